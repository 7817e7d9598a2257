/**
 * The SLA business calendar as catalog data. The region's working days and hours, and days
 * off besides the Czech public holidays (a closure between Christmas and New Year), are
 * `calendar` entries of the catalog with the instant they apply from, like every rule: a
 * change is a new entry, so a ticket keeps being judged under the calendar in force when the
 * server received it. Without an entry the built-in Prague calendar (Mon–Fri 7:00–15:30) holds.
 *
 * Calendars are cached per entry: the SLA clock caches working windows per calendar object,
 * and a list of thousands of tickets must not rebuild them for every row.
 */
import { PRAGUE_BUSINESS_HOURS, toMs, type BusinessCalendar, type Instant } from './calendar';
import { czechHolidays } from './holidays-cz';

/** The fields of a `calendar` catalog entry (see `catalogSchema`). */
export interface CalendarEntry {
  id: string;
  kind: string;
  calendar?: string;
  weekdays?: readonly number[];
  opens?: number;
  closes?: number;
  closedDays?: readonly string[];
  validFrom?: string;
  updatedAt?: string;
}

const cache = new Map<string, BusinessCalendar>();

function fromEntry(e: CalendarEntry): BusinessCalendar {
  const key = `${e.id}|${e.updatedAt ?? ''}`;
  let cal = cache.get(key);
  if (cal) return cal;
  const closed = new Set(e.closedDays ?? []);
  const byYear = new Map<number, ReadonlySet<string>>();
  cal = {
    kind: 'business',
    timeZone: PRAGUE_BUSINESS_HOURS.timeZone,
    weekdays: e.weekdays?.length ? [...e.weekdays] : PRAGUE_BUSINESS_HOURS.weekdays,
    opens: e.opens ?? PRAGUE_BUSINESS_HOURS.opens,
    closes: e.closes ?? PRAGUE_BUSINESS_HOURS.closes,
    holidays: (year) => {
      let days = byYear.get(year);
      if (!days) {
        const prefix = `${year}-`;
        days = new Set([...czechHolidays(year), ...[...closed].filter((d) => d.startsWith(prefix))]);
        byYear.set(year, days);
      }
      return days;
    }
  };
  cache.set(key, cal);
  return cal;
}

/** The business calendar in force at `at` (default: now). */
export function businessCalendarAt(catalog: readonly CalendarEntry[], at?: Instant): BusinessCalendar {
  const t = at === undefined ? Date.now() : toMs(at);
  let best: CalendarEntry | undefined;
  let bestFrom = -Infinity;
  for (const e of catalog) {
    if (e.kind !== 'calendar' || (e.calendar ?? 'business') !== 'business') continue;
    const from = e.validFrom ? Date.parse(e.validFrom) : -Infinity;
    if (from > t || (best && from < bestFrom)) continue;
    best = e;
    bestFrom = from;
  }
  return best ? fromEntry(best) : PRAGUE_BUSINESS_HOURS;
}

export type CalendarProblemCode = 'no-weekdays' | 'bad-weekday' | 'bad-hours' | 'bad-day';

export interface CalendarInput {
  weekdays: number[];
  opens: number;
  closes: number;
  closedDays: string[];
}

/** Problems of a calendar as the administrator entered it (the form and the server ask the same). */
export function checkCalendar(input: CalendarInput): { field: keyof CalendarInput; code: CalendarProblemCode }[] {
  const out: { field: keyof CalendarInput; code: CalendarProblemCode }[] = [];
  if (!input.weekdays.length) out.push({ field: 'weekdays', code: 'no-weekdays' });
  else if (
    input.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7) ||
    new Set(input.weekdays).size !== input.weekdays.length
  )
    out.push({ field: 'weekdays', code: 'bad-weekday' });
  const minute = (n: number) => Number.isInteger(n) && n >= 0 && n <= 1440;
  if (!minute(input.opens) || !minute(input.closes) || input.opens >= input.closes)
    out.push({ field: 'opens', code: 'bad-hours' });
  if (input.closedDays.some((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))))
    out.push({ field: 'closedDays', code: 'bad-day' });
  return out;
}
