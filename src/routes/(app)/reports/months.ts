/** Report months (`YYYY-MM`, Prague calendar months, as `monthOf` in the report domain). */
import { monthOf } from '../../../lib/domain/tickets/report';

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The month before the one `now` falls in: the month a contractor report is usually made for. */
export function previousMonth(now: Date): string {
  return addMonths(monthOf(now.toISOString()), -1);
}

/** The `count` months ending with the month of `now`, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const current = monthOf(now.toISOString());
  return Array.from({ length: count }, (_, i) => addMonths(current, i - count + 1));
}
