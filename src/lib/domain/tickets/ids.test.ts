import { describe, expect, it } from 'vitest';
import { idField } from '../schemas/common';
import { newEventId, newTicketId, ticketNumber } from './ids';

describe('ids made on any device', () => {
  const pattern = new RegExp(idField.pattern);
  const now = new Date('2026-04-06T10:00:00Z');

  it('fit the id pattern and do not repeat over many draws from the shared random pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => (i % 2 ? newEventId(now) : newTicketId(now)));
    expect(ids.every((id) => pattern.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('take their random part from the given bytes', () => {
    const bytes = (n: number) => new Uint8Array(Array.from({ length: n }, (_, i) => i + 10));
    expect(newTicketId(now, bytes)).toBe('tk-20260406-abcdefgh');
    expect(newEventId(now, bytes)).toBe(`ev-${now.getTime().toString(36)}-abcdefgh`);
    expect(ticketNumber('tk-20260406-abcdefgh')).toBe('ABCDEFGH');
  });

  it('read out without a separator they would start with', () => {
    expect(ticketNumber('demo-mu-tc-0002')).toBe('TC-0002');
    expect(ticketNumber('x')).toBe('X');
  });
});
