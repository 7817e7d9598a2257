import { describe, expect, it } from 'vitest';
import { businessMinutesBetween, PRAGUE_BUSINESS_HOURS } from './calendar';
import { businessCalendarAt, checkCalendar, type CalendarEntry } from './calendar-entries';
import { slaPolicyFor, type CatalogEntry } from './policy';

const closure: CalendarEntry = {
  id: 'calendar-20261201',
  kind: 'calendar',
  calendar: 'business',
  weekdays: [1, 2, 3, 4, 5],
  opens: 8 * 60,
  closes: 16 * 60,
  closedDays: ['2026-12-28', '2026-12-29'],
  validFrom: '2026-11-30T23:00:00.000Z'
};

describe('the SLA business calendar from the catalog', () => {
  it('is the built-in one without an entry, and before an entry applies', () => {
    expect(businessCalendarAt([])).toBe(PRAGUE_BUSINESS_HOURS);
    expect(businessCalendarAt([closure], '2026-11-30T10:00:00Z')).toBe(PRAGUE_BUSINESS_HOURS);
  });

  it('counts the hours and days off of the entry in force', () => {
    const cal = businessCalendarAt([closure], '2026-12-10T10:00:00Z');
    expect(cal.opens).toBe(480);
    // Monday 28 December is a closure day: no working minutes; Wednesday 30th counts 8 hours.
    expect(businessMinutesBetween('2026-12-27T23:00:00Z', '2026-12-28T23:00:00Z', cal)).toBe(0);
    expect(businessMinutesBetween('2026-12-29T23:00:00Z', '2026-12-30T23:00:00Z', cal)).toBe(480);
    // Czech public holidays stay days off (24 December).
    expect(businessMinutesBetween('2026-12-23T23:00:00Z', '2026-12-24T23:00:00Z', cal)).toBe(0);
    // The same calendar object for the same entry: the clock's window cache keeps working.
    expect(businessCalendarAt([closure], '2026-12-11T10:00:00Z')).toBe(cal);
  });

  it('judges a ticket by the calendar in force at its receipt, with the policy', () => {
    const policy = slaPolicyFor([closure] as CatalogEntry[], 'P3', '2026-12-10T10:00:00Z');
    expect(policy.businessCalendar?.closes).toBe(960);
    expect(slaPolicyFor([closure] as CatalogEntry[], 'P3', '2026-11-20T10:00:00Z').businessCalendar).toBe(
      PRAGUE_BUSINESS_HOURS
    );
  });

  it.each([
    [{ weekdays: [] }, 'weekdays', 'no-weekdays'],
    [{ weekdays: [1, 8] }, 'weekdays', 'bad-weekday'],
    [{ weekdays: [1, 1] }, 'weekdays', 'bad-weekday'],
    [{ opens: 900, closes: 480 }, 'opens', 'bad-hours'],
    [{ closedDays: ['28.12.2026'] }, 'closedDays', 'bad-day']
  ])('refuses %o', (change, field, code) => {
    const valid = { weekdays: [1, 2, 3, 4, 5], opens: 420, closes: 930, closedDays: ['2026-12-28'] };
    expect(checkCalendar(valid)).toEqual([]);
    expect(checkCalendar({ ...valid, ...change })).toEqual([{ field, code }]);
  });
});
