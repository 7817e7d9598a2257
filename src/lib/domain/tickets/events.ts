/**
 * A ticket's state is a function of its append-only events: `status` and `assignee` on the
 * document are caches the gateway checks against these functions, so replicas that merged
 * the same events agree on them whatever order the events arrived in.
 */
import { deepEqual } from '../merge';
import type { Assignee, TicketEvent, TicketStatus } from '../schemas/tickets';
import { byTime } from '../sla/clock';

export { byTime };

export function sortEvents(events: readonly TicketEvent[]): TicketEvent[] {
  return [...events].sort(byTime);
}

/** The events in order, for reading only: fewer than two are in order already (no copy made). */
const inOrder = (events: readonly TicketEvent[]): readonly TicketEvent[] =>
  events.length < 2 ? events : sortEvents(events);

/** Status after the events: the last status event by (at, id); an assignment moves `new` to `assigned`. */
export function deriveStatus(events: readonly TicketEvent[]): TicketStatus {
  return statusOfOrdered(inOrder(events));
}

/** Assignee after the events: the last assignment by (at, id). */
export function deriveAssignee(events: readonly TicketEvent[]): Assignee | undefined {
  return assigneeOfOrdered(inOrder(events));
}

/** Status and assignee after the events, sorted once for both. */
export function deriveState(events: readonly TicketEvent[]): { status: TicketStatus; assignee: Assignee | undefined } {
  const ordered = inOrder(events);
  return { status: statusOfOrdered(ordered), assignee: assigneeOfOrdered(ordered) };
}

/** `deriveStatus` of events already in (at, id) order, as `sortEvents` gives them. */
export function statusOfOrdered(ordered: readonly TicketEvent[]): TicketStatus {
  let status: TicketStatus = 'new';
  for (const e of ordered) {
    if (e.kind === 'status' && e.to) status = e.to;
    else if (e.kind === 'assign' && e.assignee && status === 'new') status = 'assigned';
  }
  return status;
}

/** `deriveAssignee` of events already in (at, id) order, as `sortEvents` gives them. */
export function assigneeOfOrdered(ordered: readonly TicketEvent[]): Assignee | undefined {
  let assignee: Assignee | undefined;
  for (const e of ordered) if (e.kind === 'assign' && e.assignee) assignee = e.assignee;
  return assignee ? { ...assignee } : undefined;
}

export function sameAssignee(a: Assignee | undefined, b: Assignee | undefined): boolean {
  return deepEqual(a ?? null, b ?? null);
}

/** The event that resolved the ticket last, if it is resolved or closed now. */
export function resolvingEvent(events: readonly TicketEvent[]): TicketEvent | undefined {
  let found: TicketEvent | undefined;
  for (const e of sortEvents(events)) {
    if (e.kind !== 'status' || !e.to) continue;
    if (e.to === 'resolved') found = e;
    else if (e.to !== 'closed') found = undefined;
  }
  return found;
}
