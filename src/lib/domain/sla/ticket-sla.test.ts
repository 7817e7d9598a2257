import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from './policy';
import { slaReceipt, ticketSla, ticketSlaPolicy } from './ticket-sla';

const p2 = (id: string, resolutionMinutes: number, validFrom?: string): CatalogEntry => ({
  id,
  kind: 'sla',
  name: id,
  priority: 'P2',
  responseMinutes: 60,
  resolutionMinutes,
  calendar: '24x7',
  penalty: 2000,
  ...(validFrom ? { validFrom } : {})
});
const before = [p2('sla-p2', 8 * 60)];
// Tightened to 2 hours on 12 January at 12:00 UTC, after the first ticket was received.
const after = [...before, p2('sla-p2-20260112', 2 * 60, '2026-01-12T12:00:00.000Z')];

const ticket = (receivedAt: string | undefined, createdAt = '2026-01-12T08:00:00.000Z') => ({
  priority: 'P2' as const,
  requester: 'ucitel.gymkt',
  createdBy: 'ucitel.gymkt',
  createdAt,
  ...(receivedAt ? { receivedAt } : {}),
  events: []
});

describe('the SLA rule of a ticket: policy in force at its receipt', () => {
  const old = ticket('2026-01-12T08:00:00.000Z');
  const fresh = ticket('2026-01-12T13:00:00.000Z', '2026-01-12T13:00:00.000Z');

  it('a policy entered after receipt leaves the received ticket its deadline', () => {
    const now = '2026-01-12T14:00:00.000Z';
    expect(ticketSla(old, after, now).resolutionDueAt).toBe(ticketSla(old, before, now).resolutionDueAt);
    expect(ticketSla(old, after, now).resolutionDueAt).toBe('2026-01-12T16:00:00.000Z');
    expect(ticketSlaPolicy(after, old).resolutionMinutes).toBe(480);
  });

  it('applies to a ticket received after it', () => {
    expect(ticketSlaPolicy(after, fresh).resolutionMinutes).toBe(120);
    expect(ticketSla(fresh, after, '2026-01-12T14:00:00.000Z').resolutionDueAt).toBe('2026-01-12T15:00:00.000Z');
  });

  it('a calendar entered after receipt leaves the received ticket the hours it had', () => {
    const business = [{ ...p2('sla-p2', 60), calendar: 'business' as const }];
    const calendar: CatalogEntry = {
      id: 'calendar-20260112',
      kind: 'calendar',
      name: 'Saturdays too',
      weekdays: [1, 2, 3, 4, 5, 6],
      opens: 6 * 60,
      closes: 18 * 60,
      validFrom: '2026-01-12T12:00:00.000Z'
    };
    // Friday 16 January 2026, 14:00 Prague; the built-in calendar closes at 15:30.
    const friday = ticket('2026-01-16T13:00:00.000Z', '2026-01-16T13:00:00.000Z');
    const receivedBefore = ticket('2026-01-12T08:00:00.000Z');
    const now = '2026-01-16T13:30:00.000Z';
    expect(ticketSla(friday, [...business, calendar], now).resolutionDueAt).toBe('2026-01-16T14:00:00.000Z');
    expect(ticketSla(receivedBefore, [...business, calendar], now).resolutionDueAt).toBe(
      ticketSla(receivedBefore, business, now).resolutionDueAt
    );
  });

  it('before the server has the ticket, the device creation time stands in', () => {
    expect(slaReceipt(ticket(undefined, '2026-01-12T13:00:00.000Z'))).toBe('2026-01-12T13:00:00.000Z');
    expect(ticketSlaPolicy(after, ticket(undefined, '2026-01-12T13:00:00.000Z')).resolutionMinutes).toBe(120);
  });
});
