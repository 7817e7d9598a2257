import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { toJsonSchema } from '../../src/lib/domain/schemas/common';
import { ticketSchema } from '../../src/lib/domain/schemas/tickets';
import { deriveAssignee, deriveStatus } from '../../src/lib/domain/tickets/events';
import type { TicketEvent } from '../../src/lib/domain/schemas/tickets';
import { makeTickets } from './tickets';

describe('benchmark tickets', () => {
  const docs = makeTickets(200, { orgId: 'gym-kt', user: 'ucitel.gymkt', idPrefix: 'bench' });

  it('pass the ticket schema the gateway validates with', () => {
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(toJsonSchema(ticketSchema));
    for (const { _id, ...rest } of docs) {
      expect(validate({ id: _id, ...rest }), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('carry the status and assignee their events lead to, as the gateway checks', () => {
    for (const d of docs) {
      const events = d.events as TicketEvent[];
      expect(deriveStatus(events)).toBe(d.status);
      expect(deriveAssignee(events) ?? null).toEqual(d.assignee ?? null);
    }
  });

  it('are about 1.5 KB of JSON each', () => {
    const avg = docs.reduce((n, d) => n + Buffer.byteLength(JSON.stringify(d)), 0) / docs.length;
    expect(avg).toBeGreaterThan(1200);
    expect(avg).toBeLessThan(1800);
  });

  it('are the same for the same seed', () => {
    expect(makeTickets(3, { orgId: 'x1', user: 'u1', idPrefix: 'p', seed: 7 })).toEqual(
      makeTickets(3, { orgId: 'x1', user: 'u1', idPrefix: 'p', seed: 7 })
    );
  });
});
