import Holidays from 'date-holidays';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import {
  ALWAYS,
  PRAGUE_BUSINESS_HOURS as BH,
  addBusinessMinutes,
  addBusinessMs,
  businessMinutesBetween,
  businessMsBetween,
  type BusinessCalendar
} from './calendar';
import { czechHolidays, easterSunday } from './holidays-cz';

// Prague is UTC+1 in winter (CET) and UTC+2 in summer (CEST); the cases give both forms.
describe('businessMinutesBetween (Mon–Fri 7:00–15:30 Prague)', () => {
  it.each([
    ['within one day', '2026-04-13T06:00:00Z', '2026-04-13T08:00:00Z', 120],
    ['before opening to after closing', '2026-01-12T04:00:00Z', '2026-01-12T16:00:00Z', 510],
    ['over a weekend (Fri 14:30 → Mon 8:00 CET)', '2026-01-09T13:30:00Z', '2026-01-12T07:00:00Z', 120],
    [
      'over Easter 2026 (Thu 15:00 → Tue 8:00; Good Friday 3 Apr, Easter Monday 6 Apr)',
      '2026-04-02T13:00:00Z',
      '2026-04-07T06:00:00Z',
      90
    ],
    ['over 28 September 2026 (a Monday)', '2026-09-25T13:00:00Z', '2026-09-29T06:00:00Z', 90],
    ['over Christmas 2026 (Wed 23 Dec 15:00 → Mon 28 Dec 8:00)', '2026-12-23T14:00:00Z', '2026-12-28T07:00:00Z', 90],
    [
      'over the spring DST change (Fri 27 Mar CET → Mon 30 Mar CEST)',
      '2026-03-27T14:00:00Z',
      '2026-03-30T06:00:00Z',
      90
    ],
    [
      'over the autumn DST change (Fri 23 Oct CEST → Mon 26 Oct CET)',
      '2026-10-23T13:00:00Z',
      '2026-10-26T07:00:00Z',
      90
    ],
    ['a whole week with 28 October (Wed)', '2026-10-26T00:00:00Z', '2026-11-02T00:00:00Z', 4 * 510],
    ['end before start', '2026-01-12T08:00:00Z', '2026-01-12T07:00:00Z', 0]
  ])('%s', (_name, start, end, minutes) => {
    expect(businessMinutesBetween(start, end, BH)).toBe(minutes);
  });

  it('counts every minute on the 24x7 calendar, DST included', () => {
    expect(businessMinutesBetween('2026-01-09T13:30:00Z', '2026-01-12T07:00:00Z', ALWAYS)).toBe(3930);
    // Sat 12:00 CET → Sun 12:00 CEST is 23 hours.
    expect(businessMinutesBetween('2026-03-28T11:00:00Z', '2026-03-29T10:00:00Z', ALWAYS)).toBe(23 * 60);
  });
});

describe('addBusinessMinutes', () => {
  it.each([
    ['inside a day', '2026-01-12T07:00:00Z', 60, '2026-01-12T08:00:00.000Z'],
    ['from Saturday: opens Monday 7:00 CET', '2026-01-10T10:00:00Z', 10, '2026-01-12T06:10:00.000Z'],
    ['over the spring DST change: Monday 7:01 CEST', '2026-03-27T14:00:00Z', 31, '2026-03-30T05:01:00.000Z'],
    ['over Easter: Tuesday 7 April', '2026-04-02T13:00:00Z', 60, '2026-04-07T05:30:00.000Z'],
    ['exactly to closing time', '2026-01-12T06:00:00Z', 510, '2026-01-12T14:30:00.000Z'],
    ['a full day from 8:00 ends next day 8:00', '2026-01-12T07:00:00Z', 510, '2026-01-13T07:00:00.000Z']
  ])('%s', (_name, start, minutes, expected) => {
    expect(addBusinessMinutes(start, minutes, BH).toISOString()).toBe(expected);
  });
});

describe('Czech public holidays', () => {
  it('knows Easter', () => {
    expect(easterSunday(2026)).toEqual([4, 5]);
    expect(easterSunday(2027)).toEqual([3, 28]);
    expect(czechHolidays(2026).has('2026-04-06')).toBe(true);
    expect(czechHolidays(2026).has('2026-04-03')).toBe(true);
    expect(czechHolidays(2015).has('2015-04-03')).toBe(false); // Good Friday only since 2016
  });

  it('matches date-holidays for 2016–2100', () => {
    const hd = new Holidays('CZ');
    for (let year = 2016; year <= 2100; year++) {
      const theirs = hd
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10));
      expect([...czechHolidays(year)].sort(), String(year)).toEqual([...new Set(theirs)].sort());
    }
  });
});

const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) });
const calendar = fc.constantFrom(BH, ALWAYS);

describe('business time properties', () => {
  it('is monotone in the end time and additive over a split', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, a, b, c) => {
        const [s, m, e] = [a, b, c].sort((x, y) => x - y);
        expect(businessMinutesBetween(s, e, cal)).toBeGreaterThanOrEqual(businessMinutesBetween(s, m, cal));
        expect(businessMinutesBetween(s, e, cal)).toBeCloseTo(
          businessMinutesBetween(s, m, cal) + businessMinutesBetween(m, e, cal),
          6
        );
      }),
      { numRuns: 200 }
    );
  });

  it('addBusinessMinutes inverts businessMinutesBetween', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 20_000 }), (cal, s, minutes) => {
        const end = addBusinessMinutes(s, minutes, cal);
        expect(businessMinutesBetween(s, end, cal)).toBe(minutes);
      }),
      { numRuns: 200 }
    );
  });

  it('businessMinutesBetween then addBusinessMinutes never passes the end', () => {
    fc.assert(
      fc.property(calendar, instant, instant, (cal, a, b) => {
        const [s, e] = a < b ? [a, b] : [b, a];
        const back = addBusinessMinutes(s, businessMinutesBetween(s, e, cal), cal).getTime();
        expect(back).toBeLessThanOrEqual(e);
        expect(businessMinutesBetween(back, e, cal)).toBe(0);
      }),
      { numRuns: 200 }
    );
  });
});

/** The day-by-day walk, each window from the zone's own rules: the reference for the running totals. */
const referenceWindows = new Map<string, [number, number] | null>();
function* walkWindows(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  const local = new TZDate(from, cal.timeZone);
  for (let i = 0; i < 800; i++) {
    const d = new Date(Date.UTC(local.getFullYear(), local.getMonth(), local.getDate() + i));
    const iso = d.toISOString().slice(0, 10);
    const key = `${cal.weekdays.join()}|${cal.opens}|${cal.closes}|${iso}`;
    let w = referenceWindows.get(key);
    if (w === undefined) {
      const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
      const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
      const at = (min: number) => new TZDate(y, m, day, Math.floor(min / 60), min % 60, cal.timeZone).getTime();
      w = !cal.weekdays.includes(weekday) || cal.holidays(y).has(iso) ? null : [at(cal.opens), at(cal.closes)];
      referenceWindows.set(key, w);
    }
    if (w) yield w;
  }
}

describe('running totals against the day-by-day walk', () => {
  // Saturdays worked and a few closed days: the tables of two calendars must not mix.
  const closed = new Set(['2026-03-30', '2026-10-26', '2027-01-04']);
  const odd: BusinessCalendar = {
    ...BH,
    weekdays: [1, 2, 3, 4, 6],
    opens: 0,
    closes: 23 * 60 + 59,
    holidays: (y) => new Set([...BH.holidays(y), ...[...closed].filter((d) => d.startsWith(`${y}-`))])
  };
  const cal = fc.constantFrom(BH, odd);
  const nearDst = fc.constantFrom(
    Date.UTC(2026, 2, 29, 0, 30),
    Date.UTC(2026, 9, 25, 0, 30),
    Date.UTC(2026, 9, 24, 22)
  );
  const start = fc.oneof(instant, nearDst);

  it('counts the same working time and finds the same deadlines, in any order of questions', () => {
    fc.assert(
      fc.property(
        cal,
        start,
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.integer({ min: 0, max: 150_000 }),
        (c, s, span, minutes) => {
          const e = s + span;
          let expected = 0;
          for (const [ws, we] of walkWindows(c, s)) {
            if (ws >= e) break;
            expected += Math.max(0, Math.min(we, e) - Math.max(ws, s));
          }
          expect(businessMsBetween(s, e, c)).toBe(expected);
          let left = minutes * 60_000;
          let deadline = s;
          for (const [ws, we] of walkWindows(c, s)) {
            const from = Math.max(ws, s);
            if (from >= we) continue;
            if (left <= we - from) {
              deadline = from + left;
              break;
            }
            left -= we - from;
          }
          if (minutes > 0) expect(addBusinessMs(s, minutes * 60_000, c).getTime()).toBe(deadline);
        }
      ),
      { numRuns: 150 }
    );
  });
});
