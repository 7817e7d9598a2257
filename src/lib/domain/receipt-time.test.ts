import { describe, expect, it } from 'vitest';
import { mergeDocuments } from './merge';
import {
  byReceipt,
  CLOCK_TOLERANCE_MS,
  checkDeviceTime,
  eventTime,
  receiptTimesKept,
  stampEvents
} from './receipt-time';

const NOW = '2026-04-01T12:00:00.000Z';
const shift = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const ev = (id: string, at: string, receivedAt?: string) => ({
  id,
  at,
  by: 'helpdesk',
  kind: 'comment',
  ...(receivedAt ? { receivedAt } : {})
});

describe('receipt order', () => {
  it('orders by receipt, then device time, then id; events stored before receipts existed by their device time', () => {
    const offline = ev('b', '2026-04-01T08:00:00.000Z', '2026-04-01T11:00:00.000Z');
    const earlier = ev('a', '2026-04-01T10:00:00.000Z', '2026-04-01T10:00:01.000Z');
    const legacy = ev('c', '2026-04-01T09:00:00.000Z');
    expect([offline, earlier, legacy].sort(byReceipt).map((e) => e.id)).toEqual(['c', 'a', 'b']);
    expect(eventTime(offline)).toBe(offline.receivedAt);
    expect(eventTime(legacy)).toBe(legacy.at);
    const sameReceipt = [ev('y', '2026-04-01T10:02:00.000Z', NOW), ev('x', '2026-04-01T10:01:00.000Z', NOW)];
    expect(sameReceipt.sort(byReceipt).map((e) => e.id)).toEqual(['x', 'y']);
  });
});

describe('checkDeviceTime', () => {
  it('admits honest drift and old device times, refuses the future beyond the tolerance', () => {
    expect(checkDeviceTime('at', shift(CLOCK_TOLERANCE_MS - 1000), NOW)).toBeNull();
    expect(checkDeviceTime('at', shift(-30 * 24 * 3_600_000), NOW)).toBeNull();
    expect(checkDeviceTime('at', shift(CLOCK_TOLERANCE_MS + 60_000), NOW)).toMatch(/6 minutes ahead/);
    expect(checkDeviceTime('at', '2099-01-01T00:00:00.000Z', NOW)).toMatch(/ahead of the server's clock/);
  });

  it('refuses a time before the record was created, beyond the tolerance', () => {
    const created = shift(-3_600_000);
    expect(checkDeviceTime('at', shift(-3_600_000 - CLOCK_TOLERANCE_MS + 1000), NOW, created)).toBeNull();
    expect(checkDeviceTime('at', shift(-3_600_000 - CLOCK_TOLERANCE_MS - 1000), NOW, created)).toMatch(
      /before the record was created/
    );
    expect(checkDeviceTime('at', 'yesterday', NOW)).toMatch(/not a valid time/);
  });
});

describe('stampEvents', () => {
  it('keeps stored receipt times, stamps new events, and ignores what the client sent', () => {
    const stored = [
      ev('a', '2026-04-01T08:00:00.000Z', '2026-04-01T08:00:02.000Z'),
      ev('b', '2026-04-01T08:30:00.000Z')
    ];
    const sent = [
      { ...stored[0], receivedAt: '2000-01-01T00:00:00.000Z' },
      { ...stored[1], receivedAt: '2000-01-01T00:00:00.000Z' },
      ev('c', '2026-04-01T07:00:00.000Z', '2000-01-01T00:00:00.000Z')
    ];
    const { events, added } = stampEvents(stored, sent, NOW);
    expect(events).toEqual([stored[0], stored[1], { ...ev('c', '2026-04-01T07:00:00.000Z'), receivedAt: NOW }]);
    expect(added.map((e) => e.id)).toEqual(['c']);
  });

  it('judges replicated revisions, which cannot be stamped: stored receipts unchanged, none invented', () => {
    const stored = [ev('a', '2026-04-01T08:00:00.000Z', '2026-04-01T08:00:02.000Z')];
    expect(receiptTimesKept(stored, [...stored, ev('b', NOW)])).toBeNull();
    expect(receiptTimesKept(stored, [ev('a', '2026-04-01T08:00:00.000Z')])).toMatch(/event a: receivedAt/);
    expect(receiptTimesKept(stored, [...stored, ev('b', NOW, NOW)])).toMatch(/event b: receivedAt/);
  });
});

describe('merging records the server has stamped', () => {
  it('takes the stamped copy of a record over the unstamped one, without a conflict, from either side', () => {
    const pending = ev('a', '2026-04-01T08:00:00.000Z');
    const stamped = { ...pending, receivedAt: NOW };
    const base = { events: [] as unknown[], updatedAt: NOW, updatedBy: 'x' };
    for (const [l, r] of [
      [pending, stamped],
      [stamped, pending]
    ]) {
      const { merged, conflicts } = mergeDocuments(
        base,
        { ...base, events: [l] },
        { ...base, events: [r] },
        { appendOnly: ['events'] }
      );
      expect(merged.events).toEqual([stamped]);
      expect(conflicts).toEqual([]);
    }
  });
});
