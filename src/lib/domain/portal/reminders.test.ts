import { describe, expect, it } from 'vitest';
import { DEFAULT_REMINDERS, deadlineMs, leadsFor, parseLeads, timing } from './reminders';

// Local times, so the day counts hold in any time zone the tests run in.
const now = new Date(2026, 10, 30, 9, 0, 0);
const day = (d: number, h = 12) => new Date(2026, 10, 30 + d, h, 0, 0).toISOString();
const date = (d: number) => {
  const x = new Date(2026, 10, 30 + d);
  return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
};

describe('reminders before a deadline', () => {
  it.each([
    ['no deadline', undefined, { urgency: 'later' }],
    ['passed an hour ago', new Date(2026, 10, 30, 8).toISOString(), { urgency: 'overdue', daysLeft: 0 }],
    ['passed three days ago', day(-3), { urgency: 'overdue', daysLeft: -3 }],
    ['a date that ended yesterday', date(-1), { urgency: 'overdue', daysLeft: -1 }],
    ['later today', day(0, 18), { urgency: 'today', daysLeft: 0 }],
    ['the date of today (ends at midnight)', date(0), { urgency: 'today', daysLeft: 0 }],
    ['tomorrow: the 1-day reminder', day(1), { urgency: 'soon', daysLeft: 1, remindDays: 1 }],
    ['in 2 days: the 7-day reminder', day(2), { urgency: 'soon', daysLeft: 2, remindDays: 7 }],
    ['in exactly 7 days', date(7), { urgency: 'soon', daysLeft: 7, remindDays: 7 }],
    ['in 8 days: no reminder yet', day(8), { urgency: 'later', daysLeft: 8 }],
    ['not a date', 'soon', { urgency: 'later' }]
  ] as const)('%s', (_what, due, expected) => {
    expect(timing(due, now, [7, 1])).toEqual(expected);
  });

  it('gives no reminder without lead times, but still marks overdue and today', () => {
    expect(timing(day(2), now, [])).toEqual({ urgency: 'later', daysLeft: 2 });
    expect(timing(day(-1), now, []).urgency).toBe('overdue');
    expect(timing(day(0, 20), now, []).urgency).toBe('today');
  });

  it("takes an item's own lead times over its kind's, and keeps only whole days of a year at most", () => {
    expect(leadsFor('task')).toEqual([7, 1]);
    expect(leadsFor('invoice')).toEqual([...DEFAULT_REMINDERS.invoice]);
    expect(leadsFor('task', [3])).toEqual([3]);
    expect(leadsFor('task', [])).toEqual([7, 1]);
    expect(leadsFor('unknown-kind')).toEqual([]);
    expect(leadsFor('task', [1, 14, 1, 0, 2.5, 400])).toEqual([14, 1]);
    expect(leadsFor('contract', undefined, { contract: [10] })).toEqual([10]);
  });

  it('reads lead times typed by a person, refusing what is not a day count', () => {
    expect(parseLeads('')).toEqual([]);
    expect(parseLeads('7, 1')).toEqual([7, 1]);
    expect(parseLeads('1;7 14')).toEqual([14, 7, 1]);
    expect(parseLeads('1, 1')).toEqual([1]);
    for (const bad of ['0', '-1', 'x', '1.5', '366', '1,2,3,4,5,6']) expect(parseLeads(bad), bad).toBeNull();
  });

  it('ends a date-only deadline at the end of that day on the device', () => {
    expect(new Date(deadlineMs('2026-12-24')).getHours()).toBe(23);
    expect(deadlineMs('2026-12-24T10:00:00Z')).toBe(Date.parse('2026-12-24T10:00:00Z'));
  });
});
