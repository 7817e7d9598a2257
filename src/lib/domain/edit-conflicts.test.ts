import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capEditConflicts, EDIT_CONFLICTS_MAX, type EditConflictRecord } from './edit-conflicts';

const rec = (i: number, prefix = 'c'): EditConflictRecord => ({
  id: `${prefix}-${String(i).padStart(4, '0')}`,
  at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  by: 'helpdesk',
  kind: 'conflict',
  field: 'title',
  kept: '"a"',
  lost: '"b"'
});
const doc = (list: EditConflictRecord[]) => ({ id: 'tk-1', title: 'x', editConflicts: list });

describe('capEditConflicts', () => {
  it('uses the schema limit', () => {
    expect(EDIT_CONFLICTS_MAX).toBe(200);
  });

  it('leaves a document within the cap as it is', () => {
    const d = doc([rec(1), rec(2)]);
    expect(capEditConflicts(d, [d], 3)).toEqual({ doc: d, overflow: [] });
  });

  it('keeps the newest records and hands back the older ones', () => {
    const d = doc([rec(5), rec(1), rec(3), rec(4), rec(2)]);
    const { doc: out, overflow } = capEditConflicts(d, [], 3);
    expect(out.editConflicts.map((r) => r.id)).toEqual(['c-0003', 'c-0004', 'c-0005']);
    expect(overflow.map((r) => r.id)).toEqual(['c-0001', 'c-0002']);
    expect(out.title).toBe('x');
  });

  it('orders by server receipt time before device time', () => {
    const late = { ...rec(1), receivedAt: '2027-01-01T00:00:00.000Z' };
    const { doc: out } = capEditConflicts(doc([late, rec(2), rec(3)]), [], 2);
    expect(out.editConflicts.map((r) => r.id)).toEqual(['c-0003', 'c-0001']);
  });

  it('records a merge already cut from the versions it saw are overflow too', () => {
    const local = doc([rec(1), rec(2), rec(3)]);
    const merged = doc([rec(2), rec(3)]);
    expect(capEditConflicts(merged, [local], 2).overflow.map((r) => r.id)).toEqual(['c-0001']);
  });

  it('never exceeds the cap, and every record seen is kept or handed back', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 250 }),
        (a, b, max) => {
          const local = doc(a.map((i) => rec(i)));
          const union = doc([...new Map([...a, ...b].map((i) => [i, rec(i)])).values()]);
          const { doc: out, overflow } = capEditConflicts(union, [local], max);
          expect(out.editConflicts.length).toBeLessThanOrEqual(max);
          const all = new Set([...out.editConflicts, ...overflow].map((r) => r.id));
          for (const i of new Set([...a, ...b])) expect(all.has(rec(i).id)).toBe(true);
          const kept = new Set(out.editConflicts.map((r) => r.id));
          expect(overflow.some((r) => kept.has(r.id))).toBe(false);
        }
      )
    );
  });
});
