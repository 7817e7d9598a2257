/**
 * Reminders before a deadline, and overdue marks. A reminder is not a stored record: it is
 * the moment an item with a deadline enters one of its lead times (for example 7 days and
 * 1 day before), computed on the device from the deadline and the clock, so it works offline,
 * needs no job on the server and can never be "missed" or sent twice.
 *
 * Lead times are data: a policy per kind of item (task, order, invoice, příslib, contract…),
 * which a single item may override (a task carries the lead times its issuer chose). Day
 * counts are calendar days in the device's time zone, so "due tomorrow" means tomorrow
 * where the person is, not in 24 hours.
 */

/** Lead times in days before the deadline, per kind of item. */
export type ReminderPolicy = Readonly<Record<string, readonly number[]>>;

/**
 * Defaults. A task gets a week to plan and a last call the day before; an invoice a week
 * before its due date (the supplier's payment term) and a day before; an order is short-lived.
 * A příslib's "deadline" is the end of its period: a fortnight to prepare the next one.
 */
export const DEFAULT_REMINDERS: ReminderPolicy = {
  task: [7, 1],
  invoice: [7, 1],
  order: [3, 1],
  prislib: [14],
  contract: [90, 30, 7]
};

/** Most lead times one item may carry, and the longest lead (a year). */
export const MAX_LEADS = 5;
export const MAX_LEAD_DAYS = 365;

export type Urgency = 'overdue' | 'today' | 'soon' | 'later';

export interface Timing {
  urgency: Urgency;
  /** Calendar days to the deadline: 0 due today, 1 tomorrow, negative overdue by that many. */
  daysLeft?: number;
  /** The lead time (days before) the item has reached, when a reminder is due. */
  remindDays?: number;
}

const DAY = 86_400_000;

/** The instant a deadline ends: a date alone means the end of that day on this device. */
export function deadlineMs(due: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(due)) {
    const [y, mo, d] = due.split('-').map(Number);
    return new Date(y, mo - 1, d, 23, 59, 59, 999).getTime();
  }
  return Date.parse(due);
}

const localDay = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY;
};

/** Lead times as given, or the defaults of the kind; only whole days 1..365, longest first. */
export function leadsFor(kind: string, own?: readonly number[], policy: ReminderPolicy = DEFAULT_REMINDERS): number[] {
  const src = own && own.length > 0 ? own : (policy[kind] ?? []);
  return [...new Set(src.filter((n) => Number.isInteger(n) && n >= 1 && n <= MAX_LEAD_DAYS))].sort((a, b) => b - a);
}

/**
 * Where an item with a deadline stands now: overdue once the deadline has passed, "today"
 * on its last day, "soon" once the longest lead time is reached (with the lead reached: the
 * shortest lead not yet passed), else later. No deadline: later, with no reminder.
 */
export function timing(due: string | undefined, now: Date | number, leads: readonly number[]): Timing {
  if (!due) return { urgency: 'later' };
  const end = deadlineMs(due);
  if (Number.isNaN(end)) return { urgency: 'later' };
  const at = new Date(now).getTime();
  const daysLeft = localDay(end) - localDay(at);
  if (end < at) return { urgency: 'overdue', daysLeft: Math.min(daysLeft, 0) };
  if (daysLeft <= 0) return { urgency: 'today', daysLeft: 0 };
  const reached = leads.filter((l) => daysLeft <= l);
  if (reached.length === 0) return { urgency: 'later', daysLeft };
  return { urgency: 'soon', daysLeft, remindDays: Math.min(...reached) };
}

/** Parses lead times typed by a person ("7, 1"); null when any part is not a day count. */
export function parseLeads(text: string): number[] | null {
  const parts = text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length > MAX_LEADS) return null;
  const days = parts.map(Number);
  if (days.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LEAD_DAYS)) return null;
  return [...new Set(days)].sort((a, b) => b - a);
}
