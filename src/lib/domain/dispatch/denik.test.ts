import { describe, expect, it } from 'vitest';
import { denikDay, pragueDay } from './denik';
import type { DispatchEntry } from './types';

const e = (id: string, receivedAt: string | undefined, extra: Partial<DispatchEntry> = {}): DispatchEntry => ({
  id,
  orgId: 'sus',
  entry: 'report',
  district: 'KT',
  createdBy: 'silnicar.kt',
  createdAt: '2026-01-14T05:00:00.000Z',
  updatedAt: '2026-01-14T05:00:00.000Z',
  receivedAt,
  ...extra
});

describe('deník of a day', () => {
  it('orders by server receipt, whatever the device clocks said; an unsent entry by its device time', () => {
    const rows = denikDay(
      {
        entries: [
          e('b', '2026-01-14T06:00:00.000Z', { createdAt: '2026-01-14T04:00:00.000Z' }),
          e('a', '2026-01-14T05:30:00.000Z'),
          e('c', undefined)
        ],
        izs: [
          {
            id: 'h1',
            entry: 'handoff',
            district: 'KT',
            title: 'Uzavírka',
            createdBy: 'dispecer',
            createdAt: '2026-01-14T06:10:00.000Z',
            receivedAt: '2026-01-14T06:10:01.000Z'
          },
          {
            id: 'receipt:h1',
            entry: 'receipt',
            handoffId: 'h1',
            createdBy: 'izs',
            createdAt: '2026-01-14T06:20:00.000Z',
            receivedAt: '2026-01-14T06:20:00.500Z'
          }
        ],
        alerts: [
          {
            id: 'al',
            district: 'DO',
            title: 'Vítr',
            severity: 2,
            createdBy: 'dispecer',
            createdAt: '2026-01-14T06:00:00.000Z',
            receivedAt: '2026-01-14T06:00:00.000Z'
          }
        ]
      },
      'KT',
      '2026-01-14'
    );
    expect(rows.map((r) => r.id)).toEqual(['c', 'a', 'b', 'h1', 'receipt:h1']);
    expect(rows[4]).toMatchObject({ kind: 'receipt', district: 'KT', by: 'izs', refId: 'h1' });
  });

  it('cuts days at midnight in Prague', () => {
    expect(pragueDay(Date.parse('2026-01-13T23:30:00.000Z'))).toBe('2026-01-14');
    expect(pragueDay(Date.parse('2026-07-13T22:30:00.000Z'))).toBe('2026-07-14');
    const rows = denikDay(
      { entries: [e('late', '2026-01-13T23:30:00.000Z'), e('early', '2026-01-13T22:30:00.000Z')] },
      '',
      '2026-01-14'
    );
    expect(rows.map((r) => r.id)).toEqual(['late']);
  });
});
