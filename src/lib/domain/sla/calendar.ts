/**
 * Business time: how much of an interval falls in working hours, and when a number of working
 * minutes starting at some instant runs out. Working hours are wall-clock times in the
 * calendar's time zone, so a day stays 7:00–15:30 across daylight-saving changes (the instants
 * shift, the length does not). The 24x7 calendar counts every minute (critical services).
 * Pure and exact to the millisecond, so `addBusinessMinutes` inverts `businessMinutesBetween`.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { czechHolidays } from './holidays-cz';

export interface BusinessCalendar {
  kind: 'business';
  timeZone: string;
  /** ISO weekdays that are working days, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
  /** Opening and closing time, minutes after local midnight. */
  opens: number;
  closes: number;
  /** Non-working dates of a year, `YYYY-MM-DD`. */
  holidays: (year: number) => ReadonlySet<string>;
}

export interface AlwaysCalendar {
  kind: '24x7';
}

export type SlaCalendar = BusinessCalendar | AlwaysCalendar;
export type CalendarName = 'business' | '24x7';
export type Instant = Date | string | number;

/** The region's service hours: Monday–Friday 7:00–15:30 in Prague, Czech public holidays off. */
export const PRAGUE_BUSINESS_HOURS: BusinessCalendar = {
  kind: 'business',
  timeZone: 'Europe/Prague',
  weekdays: [1, 2, 3, 4, 5],
  opens: 7 * 60,
  closes: 15 * 60 + 30,
  holidays: czechHolidays
};

export const ALWAYS: AlwaysCalendar = { kind: '24x7' };

export function calendarByName(name: CalendarName | undefined): SlaCalendar {
  return name === '24x7' ? ALWAYS : PRAGUE_BUSINESS_HOURS;
}

export function toMs(t: Instant): number {
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${String(t)}`);
  return ms;
}

const MINUTE = 60_000;
/** A calendar with no working day would loop forever; fifty years is beyond any SLA. */
const MAX_DAYS = 366 * 50;
const pad = (n: number) => String(n).padStart(2, '0');

/** Working window of each local date, per calendar: time-zone arithmetic is the slow part. */
const windowCache = new WeakMap<BusinessCalendar, Map<number, [number, number] | null>>();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The zone's UTC offset (minutes) at 12:00 UTC of each date: one Intl call per date, where a
 * `TZDate` costs several. A list's SLA badges span every day since a ticket was opened, and on
 * a fresh start each of those days is computed once.
 */
const noonOffsets = new Map<string, Map<number, number>>();
function noonOffset(timeZone: string, day: number): number {
  let byDay = noonOffsets.get(timeZone);
  if (!byDay) noonOffsets.set(timeZone, (byDay = new Map()));
  let o = byDay.get(day);
  if (o === undefined) {
    o = tzOffset(timeZone, new Date(day + 12 * HOUR));
    byDay.set(day, o);
  }
  return o;
}

function windowOn(cal: BusinessCalendar, y: number, m: number, d: number): [number, number] | null {
  let cache = windowCache.get(cal);
  if (!cache) windowCache.set(cal, (cache = new Map()));
  const key = Date.UTC(y, m, d);
  let w = cache.get(key);
  if (w === undefined) {
    const day = new Date(key);
    const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    const date = `${y}-${pad(m + 1)}-${pad(d)}`;
    if (!cal.weekdays.includes(weekday) || cal.holidays(y).has(date)) w = null;
    else {
      // The same offset from the day before to the day after: no change of it on this local
      // date, so wall time minus the offset is the instant. Around a change, the exact way.
      const o = noonOffset(cal.timeZone, key);
      const steady = o === noonOffset(cal.timeZone, key - DAY) && o === noonOffset(cal.timeZone, key + DAY);
      const at = (minutes: number) =>
        steady
          ? key + minutes * MINUTE - o * MINUTE
          : new TZDate(y, m, d, Math.floor(minutes / 60), minutes % 60, cal.timeZone).getTime();
      w = [at(cal.opens), at(cal.closes)];
    }
    cache.set(key, w);
  }
  return w;
}

/** Working windows [start, end) in ms, day by day from the local day containing `from`. */
function* windows(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  const local = new Date(from + tzOffset(cal.timeZone, new Date(from)) * MINUTE);
  // Local calendar dates step in plain UTC date arithmetic; only the window instants need the zone.
  let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
    const date = new Date(day);
    const w = windowOn(cal, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    if (w) yield w;
  }
  throw new RangeError('the calendar has no working time in fifty years');
}

/** Working milliseconds in [start, end); 0 when end is not after start. */
export function businessMsBetween(start: Instant, end: Instant, cal: SlaCalendar): number {
  const s = toMs(start);
  const e = toMs(end);
  if (e <= s) return 0;
  if (cal.kind === '24x7') return e - s;
  let total = 0;
  for (const [ws, we] of windows(cal, s)) {
    if (ws >= e) break;
    total += Math.max(0, Math.min(we, e) - Math.max(ws, s));
  }
  return total;
}

/** The instant at which `ms` working milliseconds counted from `start` have passed. */
export function addBusinessMs(start: Instant, ms: number, cal: SlaCalendar): Date {
  const s = toMs(start);
  if (ms <= 0) return new Date(s);
  if (cal.kind === '24x7') return new Date(s + ms);
  let left = ms;
  for (const [ws, we] of windows(cal, s)) {
    const from = Math.max(ws, s);
    if (from >= we) continue;
    if (left <= we - from) return new Date(from + left);
    left -= we - from;
  }
  throw new RangeError('unreachable');
}

export function businessMinutesBetween(start: Instant, end: Instant, cal: SlaCalendar): number {
  return businessMsBetween(start, end, cal) / MINUTE;
}

export function addBusinessMinutes(start: Instant, minutes: number, cal: SlaCalendar): Date {
  return addBusinessMs(start, Math.round(minutes * MINUTE), cal);
}
