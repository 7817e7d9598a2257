/**
 * Czech public holidays (zákon 245/2000 Sb.), computed rather than taken from a holiday
 * library: `date-holidays` adds about 1.5 MB (240 kB gzipped) to the browser bundle for the
 * one country we need. Checked against it for 2016–2100 in the tests.
 */

const FIXED = ['01-01', '05-01', '05-08', '07-05', '07-06', '09-28', '10-28', '11-17', '12-24', '12-25', '12-26'];

/** Easter Sunday (Gregorian calendar, anonymous algorithm of Meeus/Jones/Butcher) as [month 1–12, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a calendar date, overflowing days roll into the next month. */
export function isoDate(year: number, month: number, day: number): string {
  const d = new Date(Date.UTC(year, month - 1, day));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const cache = new Map<number, ReadonlySet<string>>();

/** Public holidays of a year as `YYYY-MM-DD`; Good Friday is one since 2016. */
export function czechHolidays(year: number): ReadonlySet<string> {
  let days = cache.get(year);
  if (!days) {
    const [m, d] = easterSunday(year);
    const set = new Set(FIXED.map((md) => `${year}-${md}`));
    set.add(isoDate(year, m, d + 1));
    if (year >= 2016) set.add(isoDate(year, m, d - 2));
    days = set;
    cache.set(year, days);
  }
  return days;
}
