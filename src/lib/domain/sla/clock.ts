/**
 * The SLA clock of a ticket, derived from its events only, so every replica and the server
 * compute the same figures.
 *
 * - Start: `receivedAt`, the server's first acceptance (an offline device cannot backdate a
 *   ticket). Before the server has seen the ticket, `createdAt` stands in and `startEstimated`
 *   says so.
 * - Event times are the server's receipt times (`eventTime`), never a device's alone, so a
 *   back-dated pause or resolution counts from when the server received it.
 * - Runs in `new`, `assigned` and `in_progress`; pauses in `waiting` (the requester owes an
 *   answer); stops in `resolved` and `closed`. A reopen starts it again from the reopen, the
 *   time counted before is kept.
 * - Response is met by the first event from IT staff that reaches the requester: an `assign`,
 *   a status change out of `new`, or a `comment` (internal notes do not count). Staff are, by
 *   default, everyone but the requester, the creator of the ticket and the server's `system` user.
 * - Targets are minutes of the policy's calendar; a target is breached when the counted time
 *   exceeds it. `due_soon` is less than 20 % of the resolution target left.
 */
import { byReceipt, eventTime } from '../receipt-time';
import type { TicketEvent, TicketStatus } from '../schemas/tickets';
import {
  addBusinessMs,
  businessMsBetween,
  calendarByName,
  toMs,
  type BusinessCalendar,
  type CalendarName,
  type SlaCalendar
} from './calendar';

export interface SlaPolicy {
  responseMinutes: number;
  resolutionMinutes: number;
  calendar?: CalendarName;
  /** The business calendar the catalog had in force (`slaPolicyFor`); the built-in one when absent. */
  businessCalendar?: BusinessCalendar;
  /** CZK per breached resolution target. */
  penalty?: number;
}

export interface SlaTicket {
  requester: string;
  createdBy?: string;
  createdAt: string;
  receivedAt?: string;
  events: readonly TicketEvent[];
}

export interface SlaOptions {
  /** Overrides the policy's calendar (tests, other regions). */
  calendar?: SlaCalendar;
  isStaff?: (userId: string) => boolean;
  dueSoonFraction?: number;
}

export type SlaState = 'running' | 'paused' | 'met' | 'due_soon' | 'breached';

export interface SlaStatus {
  startedAt: string;
  startEstimated: boolean;
  /** When the target is (or was) reached: the breach instant, or projected from now / from the stop. */
  responseDueAt: string;
  resolutionDueAt: string;
  respondedAt?: string;
  resolvedAt?: string;
  /** Minutes counted by the calendar. */
  elapsedResponse: number;
  elapsedResolution: number;
  /** Resolution minutes left; negative once breached. */
  remainingMinutes: number;
  /**
   * Response minutes left, counted like the resolution's (by the calendar); negative once
   * breached. A screen showing both must not count one in hours of the clock and the other in
   * working hours: a later deadline then showed less time left.
   */
  responseRemainingMinutes: number;
  /** Share of the resolution target left, 0–1. */
  fractionLeft: number;
  state: SlaState;
  responseBreached: boolean;
  resolutionBreached: boolean;
}

const MINUTE = 60_000;
type Phase = 'running' | 'paused' | 'stopped';

export function phaseOf(status: TicketStatus): Phase {
  if (status === 'waiting') return 'paused';
  return status === 'resolved' || status === 'closed' ? 'stopped' : 'running';
}

/** Events in the order that decides: the server's receipt (see `receipt-time.ts`). */
export const byTime: (a: TicketEvent, b: TicketEvent) => number = byReceipt;

interface Timeline {
  /** Closed running intervals, and the open one (end = null) if the clock runs now. */
  running: [number, number | null][];
  phase: Phase;
  /** When the clock last stopped, if it is stopped. */
  stoppedAt?: number;
}

function timeline(events: readonly TicketEvent[], start: number): Timeline {
  const running: [number, number | null][] = [[start, null]];
  let phase: Phase = 'running';
  let stoppedAt: number | undefined;
  for (const e of events) {
    if (e.kind !== 'status' || !e.to) continue;
    const next = phaseOf(e.to);
    if (next === phase) continue;
    const t = Math.max(toMs(eventTime(e)), start);
    if (phase === 'running') running[running.length - 1][1] = t;
    if (next === 'running') running.push([t, null]);
    if (next === 'stopped' && phase !== 'stopped') stoppedAt = t;
    phase = next;
  }
  return { running, phase, stoppedAt: phase === 'stopped' ? stoppedAt : undefined };
}

/** Counted time up to `until`, and the instant the target was crossed if it was. */
function progress(tl: Timeline, until: number, targetMs: number, cal: SlaCalendar) {
  let elapsed = 0;
  let crossedAt: number | undefined;
  for (const [from, to] of tl.running) {
    const end = Math.min(to ?? until, until);
    if (end <= from) continue;
    const part = businessMsBetween(from, end, cal);
    if (crossedAt === undefined && elapsed + part > targetMs)
      crossedAt = addBusinessMs(from, targetMs - elapsed, cal).getTime();
    elapsed += part;
  }
  return { elapsed, crossedAt };
}

function firstResponse(t: SlaTicket, events: readonly TicketEvent[], isStaff: (id: string) => boolean) {
  return events.find(
    (e) =>
      isStaff(e.by) &&
      (e.kind === 'assign' || e.kind === 'comment' || (e.kind === 'status' && e.to !== undefined && e.to !== 'new'))
  );
}

export function computeSla(
  ticket: SlaTicket,
  policy: SlaPolicy,
  now: Date | string | number,
  opts: SlaOptions = {}
): SlaStatus {
  const business = policy.calendar !== '24x7' ? policy.businessCalendar : undefined;
  const cal = opts.calendar ?? business ?? calendarByName(policy.calendar);
  // The server's automatic routing (`system`) is not a person responding.
  const isStaff =
    opts.isStaff ?? ((id: string) => id !== ticket.requester && id !== ticket.createdBy && id !== 'system');
  const start = toMs(ticket.receivedAt ?? ticket.createdAt);
  const nowMs = toMs(now);
  const events = [...ticket.events].sort(byTime);
  const tl = timeline(events, start);
  const iso = (ms: number) => new Date(ms).toISOString();

  const responseMs = policy.responseMinutes * MINUTE;
  const response = firstResponse(ticket, events, isStaff);
  const respondedAt = response ? Math.max(toMs(eventTime(response)), start) : undefined;
  const resp = progress(tl, Math.min(respondedAt ?? nowMs, nowMs), responseMs, cal);
  const responseFrom = respondedAt !== undefined && respondedAt <= nowMs ? respondedAt : nowMs;
  const responseDueAt = resp.crossedAt ?? addBusinessMs(responseFrom, responseMs - resp.elapsed, cal).getTime();

  const resolutionMs = policy.resolutionMinutes * MINUTE;
  const stopped = tl.stoppedAt !== undefined && tl.stoppedAt <= nowMs;
  const res = progress(tl, nowMs, resolutionMs, cal);
  const resolutionFrom = stopped ? tl.stoppedAt! : nowMs;
  const resolutionDueAt = res.crossedAt ?? addBusinessMs(resolutionFrom, resolutionMs - res.elapsed, cal).getTime();

  const responseBreached = resp.elapsed > responseMs;
  const resolutionBreached = res.elapsed > resolutionMs;
  const remaining = resolutionMs - res.elapsed;
  const fractionLeft = Math.min(1, Math.max(0, remaining / resolutionMs));
  const state: SlaState = stopped
    ? resolutionBreached
      ? 'breached'
      : 'met'
    : resolutionBreached || (responseBreached && respondedAt === undefined)
      ? 'breached'
      : tl.phase === 'paused'
        ? 'paused'
        : fractionLeft < (opts.dueSoonFraction ?? 0.2)
          ? 'due_soon'
          : 'running';

  return {
    startedAt: iso(start),
    startEstimated: ticket.receivedAt === undefined,
    responseDueAt: iso(responseDueAt),
    resolutionDueAt: iso(resolutionDueAt),
    respondedAt: respondedAt !== undefined ? iso(respondedAt) : undefined,
    resolvedAt: stopped ? iso(tl.stoppedAt!) : undefined,
    elapsedResponse: resp.elapsed / MINUTE,
    elapsedResolution: res.elapsed / MINUTE,
    remainingMinutes: remaining / MINUTE,
    responseRemainingMinutes: (responseMs - resp.elapsed) / MINUTE,
    fractionLeft,
    state,
    responseBreached,
    resolutionBreached
  };
}
