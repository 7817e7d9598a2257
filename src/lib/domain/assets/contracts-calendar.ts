/**
 * Calendar days as `YYYY-MM-DD` text (Prague dates, see `pragueDate` in `access.ts`): licences,
 * contracts and number assignments are dated by day, and comparing days as text is exact where
 * comparing instants would shift a deadline by the time-zone offset. Arithmetic goes through
 * UTC midnight, which has no daylight-saving gaps.
 */

export type Day = string;

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const toUtc = (day: Day): Date => new Date(`${day}T00:00:00Z`);
const fromUtc = (d: Date): Day => d.toISOString().slice(0, 10);

/** Whether the text is a real calendar day (2026-02-30 is not). */
export function isDay(text: unknown): text is Day {
  if (typeof text !== 'string' || !DAY_PATTERN.test(text)) return false;
  const d = toUtc(text);
  return !Number.isNaN(d.getTime()) && fromUtc(d) === text;
}

export function addDays(day: Day, n: number): Day {
  const d = toUtc(day);
  d.setUTCDate(d.getUTCDate() + n);
  return fromUtc(d);
}

/**
 * `n` months later (or earlier), clamped to the month's last day: a month after 31 January is
 * 28 (29) February, as Czech civil law counts a period in months (§ 605 of act 89/2012).
 */
export function addMonths(day: Day, n: number): Day {
  const d = toUtc(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return fromUtc(new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), last))));
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 86_400_000);
}

/** The last day of the month before the one `day` falls in. */
export function endOfPreviousMonth(day: Day): Day {
  const d = toUtc(day);
  return fromUtc(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0)));
}

export function firstOfMonth(day: Day): Day {
  return `${day.slice(0, 7)}-01`;
}
