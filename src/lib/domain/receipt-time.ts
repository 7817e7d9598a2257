/**
 * Server receipt times: which clock decides.
 *
 * A device's clock is set by the person holding it, so nothing that decides anything (SLA,
 * lifecycle order, who edited last) may rest on it alone. The rule, for every append-only
 * event of every collection (ticket events, task events, approval decisions, …):
 *
 * - The gateway stamps each NEW event with `receivedAt`, the server's time when it accepted
 *   it; an event already stored keeps the `receivedAt` it had, whatever a client sends. A
 *   client never sets it (a value it sends is overwritten).
 * - Events are ordered by `receivedAt` (then device `at`, then id). Events stored before
 *   receipt times existed have none and are ordered by their `at`, as before. The SLA and the
 *   lifecycle read this order and these times, so back-dating an event moves nothing: a
 *   pause written "yesterday" still starts when the server received it.
 * - The device time `at` is kept and shown ("written offline at 9:05, received 12:40").
 *   It is refused only when it cannot be honest: more than `CLOCK_TOLERANCE_MS` in the
 *   future of the receipt, or before the record it belongs to was created (minus the same
 *   tolerance). Old device times are NOT refused otherwise: a device that was offline for
 *   hours legitimately sends events dated hours before the last event the server accepted,
 *   and under receipt ordering that is harmless. "Before the last accepted event" is thus
 *   answered by the order, not by a refusal.
 * - Edit times used by merges (`updatedAt`, changed `fieldTimes` entries) more than the
 *   tolerance in the future are refused too, so a fast clock cannot win every merge: the
 *   most it can gain is the tolerance.
 */

/**
 * Honest drift between a device and the server. Phones and PCs synchronise their clocks over
 * the network and stay within seconds; a device that has been off the network for weeks can
 * drift by a minute or two. Five minutes admits that with a margin and is still far too
 * short to gain anything against SLA targets counted in hours.
 */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

export interface TimedEvent {
  id: string;
  at: string;
  receivedAt?: string;
}

/** The time that decides: the server's receipt, or the device time of an event stored before receipts existed. */
export function eventTime(e: Pick<TimedEvent, 'at' | 'receivedAt'>): string {
  return e.receivedAt ?? e.at;
}

/** Order of events: receipt (or legacy device) time, then device time, then id. */
export function byReceipt(a: TimedEvent, b: TimedEvent): number {
  const ta = eventTime(a);
  const tb = eventTime(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const ms = (iso: string) => Date.parse(iso);

// One batch checks thousands of device times against the same receipt time: parse it once.
let lastNow = '';
let lastNowMs = Number.NaN;
function nowMs(now: string): number {
  if (now !== lastNow) {
    lastNowMs = ms(now);
    lastNow = now;
  }
  return lastNowMs;
}

function minutes(n: number): string {
  return String(Math.round(n / 60_000));
}

/** Null when a device time is acceptable at receipt `now`; else a reason a person can act on. */
export function checkDeviceTime(what: string, at: string, now: string, notBefore?: string): string | null {
  const t = ms(at);
  if (Number.isNaN(t)) return `${what} is not a valid time`;
  const ahead = t - nowMs(now);
  if (ahead > CLOCK_TOLERANCE_MS)
    return `${what} (${at}) is ${minutes(ahead)} minutes ahead of the server's clock; correct the device's date and time and save again`;
  if (notBefore !== undefined && ms(notBefore) - t > CLOCK_TOLERANCE_MS)
    return `${what} (${at}) is before the record was created (${notBefore}); correct the device's date and time`;
  return null;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x);

/** Stored events by id (entries that are not events with an id are left out). */
function byId(events: readonly unknown[]): Map<string, Obj> {
  const out = new Map<string, Obj>();
  for (const e of events) if (isObj(e) && typeof e.id === 'string') out.set(e.id, e);
  return out;
}

/** The event with `receivedAt` set (last, as a stamp), or without one when `at` is undefined. */
function withReceipt(e: Obj, at: string | undefined): Obj {
  // Already so: most often a stored event sent back as it was, or the server's own routing.
  if (e.receivedAt === at) return e;
  // A spread, not a rest pattern, for the usual event that came without one: the batch of a
  // thousand new tickets stamps a thousand events, and the rest pattern was slower by half.
  if (!('receivedAt' in e)) return at === undefined ? { ...e } : { ...e, receivedAt: at };
  const { receivedAt: _sent, ...rest } = e;
  void _sent;
  return at === undefined ? rest : { ...rest, receivedAt: at };
}

/**
 * `after`'s events with the server's receipt times: stored events keep theirs (or none),
 * new ones get `now`. Also returns the new events, for their device-time check.
 */
export function stampEvents(
  before: readonly unknown[] | undefined,
  after: readonly unknown[],
  now: string
): { events: unknown[]; added: Obj[] } {
  // No map where nothing is stored: a new ticket's events are all new.
  const stored = before && before.length > 0 ? byId(before) : null;
  const added: Obj[] = [];
  const events = after.map((e) => {
    if (!isObj(e) || typeof e.id !== 'string') return e;
    const old = stored?.get(e.id);
    if (old) return withReceipt(e, typeof old.receivedAt === 'string' ? old.receivedAt : undefined);
    const stamped = withReceipt(e, now);
    added.push(stamped);
    return stamped;
  });
  return { events, added };
}

/**
 * For a revision the server cannot stamp (a replicated one keeps the sender's body): null when
 * every stored event carries its stored receipt time unchanged and no new event claims one.
 */
export function receiptTimesKept(before: readonly unknown[] | undefined, after: readonly unknown[]): string | null {
  const stored = byId(before ?? []);
  for (const e of after) {
    if (!isObj(e)) continue;
    const old = typeof e.id === 'string' ? stored.get(e.id) : undefined;
    if (old ? old.receivedAt !== e.receivedAt : e.receivedAt !== undefined)
      return `event ${String(e.id)}: receivedAt is set by the server and may not be sent or changed`;
  }
  return null;
}
