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

/**
 * The local day (as UTC-midnight ms / DAY of the same calendar date) containing instant `t`.
 * The zone's offset at `t` is the cached noon offset when the days around agree (no change of
 * it near `t`); around a change, the exact way.
 */
function localDay(cal: BusinessCalendar, t: number): number {
  const utc = Math.floor(t / DAY) * DAY;
  const o = noonOffset(cal.timeZone, utc);
  const steady = o === noonOffset(cal.timeZone, utc - DAY) && o === noonOffset(cal.timeZone, utc + DAY);
  const offset = steady ? o : tzOffset(cal.timeZone, new Date(t));
  return Math.floor((t + offset * MINUTE) / DAY);
}

/**
 * Running totals of working time, one entry per local day from `first`: `cum[i]` is the working
 * ms of the days before index `i`. Interval lengths and deadlines then cost two look-ups (and a
 * binary search), not a walk over every day since a ticket was opened, for every row of a list.
 */
interface DayTable {
  first: number;
  windows: ([number, number] | null)[];
  cum: number[];
}
const dayTables = new WeakMap<BusinessCalendar, DayTable>();

/** The calendar's table, covering the days `from`…`to` (day numbers). */
function tableFor(cal: BusinessCalendar, from: number, to: number): DayTable {
  let t = dayTables.get(cal);
  if (!t || from < t.first) {
    // Restarted a year before the day asked: older tickets rarely come one day at a time.
    const first = t ? from - 366 : from;
    t = { first, windows: [], cum: [0] };
    dayTables.set(cal, t);
  }
  while (t.first + t.windows.length <= to) {
    const date = new Date((t.first + t.windows.length) * DAY);
    const w = windowOn(cal, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    t.windows.push(w);
    t.cum.push(t.cum[t.cum.length - 1] + (w ? w[1] - w[0] : 0));
  }
  return t;
}

const NO_WORKING_TIME = 'the calendar has no working time in fifty years';

/** The part of a day's window within [a, b). */
const overlap = (w: [number, number] | null, a: number, b: number) =>
  w ? Math.max(0, Math.min(w[1], b) - Math.max(w[0], a)) : 0;

/** Working milliseconds in [start, end); 0 when end is not after start. */
export function businessMsBetween(start: Instant, end: Instant, cal: SlaCalendar): number {
  const s = toMs(start);
  const e = toMs(end);
  if (e <= s) return 0;
  if (cal.kind === '24x7') return e - s;
  const ds = localDay(cal, s);
  const de = localDay(cal, e);
  if (de - ds >= MAX_DAYS) throw new RangeError(NO_WORKING_TIME);
  const t = tableFor(cal, ds, de);
  const i = ds - t.first;
  const j = de - t.first;
  if (i === j) return overlap(t.windows[i], s, e);
  // Every day strictly between lies wholly inside [s, e): its window counts whole.
  return overlap(t.windows[i], s, e) + (t.cum[j] - t.cum[i + 1]) + overlap(t.windows[j], s, e);
}

/** The instant at which `ms` working milliseconds counted from `start` have passed. */
export function addBusinessMs(start: Instant, ms: number, cal: SlaCalendar): Date {
  const s = toMs(start);
  if (ms <= 0) return new Date(s);
  if (cal.kind === '24x7') return new Date(s + ms);
  const ds = localDay(cal, s);
  let t = tableFor(cal, ds, ds);
  const i = ds - t.first;
  const w = t.windows[i];
  let left = ms;
  if (w) {
    const from = Math.max(w[0], s);
    if (from < w[1]) {
      if (ms <= w[1] - from) return new Date(from + ms);
      left -= w[1] - from;
    }
  }
  // The first later day by whose end `left` has passed: the running totals, searched.
  const base = t.cum[i + 1];
  while (t.cum[t.cum.length - 1] - base < left) {
    if (t.windows.length - i > MAX_DAYS) throw new RangeError(NO_WORKING_TIME);
    t = tableFor(cal, ds, t.first + t.windows.length + 63);
  }
  let lo = i + 1;
  let hi = t.windows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.cum[mid + 1] - base >= left) hi = mid;
    else lo = mid + 1;
  }
  return new Date(t.windows[lo]![0] + (left - (t.cum[lo] - base)));
}

export function businessMinutesBetween(start: Instant, end: Instant, cal: SlaCalendar): number {
  return businessMsBetween(start, end, cal) / MINUTE;
}

export function addBusinessMinutes(start: Instant, minutes: number, cal: SlaCalendar): Date {
  return addBusinessMs(start, Math.round(minutes * MINUTE), cal);
}
