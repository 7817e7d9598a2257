import { describe, expect, it } from 'vitest';
import { addMonths, lastMonths, previousMonth } from './months';

describe('report months', () => {
  it.each([
    ['2026-03', -1, '2026-02'],
    ['2026-01', -1, '2025-12'],
    ['2025-12', 1, '2026-01'],
    ['2026-03', -15, '2024-12']
  ])('%s %+d → %s', (month, n, expected) => {
    expect(addMonths(month, n)).toBe(expected);
  });

  it('takes the previous month in Prague, not UTC', () => {
    // 1 April 00:30 in Prague is still 31 March in UTC.
    expect(previousMonth(new Date('2026-03-31T22:30:00Z'))).toBe('2026-03');
    expect(previousMonth(new Date('2026-01-10T12:00:00Z'))).toBe('2025-12');
  });

  it('lists the last months oldest first, ending with the current one', () => {
    expect(lastMonths(new Date('2026-02-10T12:00:00Z'), 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});
