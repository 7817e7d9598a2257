/**
 * Routing of a new ticket when the server first accepts it, by the catalog's district rule:
 * an on-site category (hardware, printers, network) of an organization in a contractor's
 * districts goes to that contractor; everything else to the central IT queue.
 *
 * The routing is an ordinary `assign` event recorded by the reserved user `system`, so it is
 * part of the append-only history like any other decision: it shows in the timeline, merges
 * as a union with offline events, and a later manual assignment overrides it. It is never a
 * response for the SLA (no person has looked at the ticket yet).
 */
import type { Role } from '../access';
import type { Assignee, Ticket, TicketEvent } from '../schemas/tickets';
import { withEvents } from './build';
import { deriveAssignee, deriveStatus } from './events';
import { newEventId, type RandomBytes } from './ids';
import { isOpenStatus, mayBeAssigned } from './lifecycle';

/** The author of events the server records on its own; no person may sign in under this id. */
export const SYSTEM_USER = 'system';

export interface ContractorRule {
  userId: string;
  districts: readonly string[];
}

export interface AssignRules {
  /** Category ids whose work is done on site (by the district's contractor). */
  onSiteCategories: readonly string[];
  contractors: readonly ContractorRule[];
}

/** Where a ticket of this category from an organization in `district` belongs. */
export function routeTicket(category: string, district: string | undefined, rules: AssignRules): Assignee {
  if (district && rules.onSiteCategories.includes(category)) {
    const contractor = rules.contractors.find((c) => c.districts.includes(district));
    if (contractor) return { queue: 'contractor', userId: contractor.userId };
  }
  return { queue: 'central' };
}

/**
 * The system's routing of a new ticket, or null when it needs none: someone already assigned
 * it, or it left `new` before the server saw it (created offline and handled at once).
 * `received`: the server records it as it receives the ticket, so `at` is also its receipt time.
 */
export function routingEvent(
  ticket: Ticket,
  district: string | undefined,
  rules: AssignRules,
  at: string,
  opts: { bytes?: RandomBytes; received?: boolean } = {}
): TicketEvent | null {
  if (ticket.status !== 'new' || ticket.assignee || ticket.events.some((e) => e.kind === 'assign')) return null;
  const event: TicketEvent = {
    id: newEventId(new Date(at), opts.bytes),
    at,
    by: SYSTEM_USER,
    kind: 'assign',
    assignee: routeTicket(ticket.category, district, rules)
  };
  if (opts.received) event.receivedAt = at;
  return event;
}

/** The ticket with the system's routing appended (`routingEvent`), or null when it needs none. */
export function autoAssign(
  ticket: Ticket,
  district: string | undefined,
  rules: AssignRules,
  at: string,
  bytes?: RandomBytes
): Ticket | null {
  const event = routingEvent(ticket, district, rules, at, { bytes });
  // The writer stays the person who sent the ticket: the server only appends its routing.
  return event && withEvents(ticket, [...ticket.events, event], ticket.updatedBy, ticket.updatedAt);
}

/**
 * The roles a person holds in the ticket's organization: null when no active account has that
 * id, undefined when their account was not looked up (nothing is concluded about them).
 */
export type AssigneeRoles = (userId: string) => readonly Role[] | null | undefined;

/**
 * A reopened ticket whose assignee can no longer work it (the account is gone, or the person left
 * the helpdesk or the district's contract) goes where a new ticket of its category would go, with
 * the central queue instead of that same person: the one who reopens it is its requester, who
 * cannot choose a person, and a ticket left with nobody able to act on it would wait unseen.
 * The routing is a `system` assignment, as a new ticket's, timed after the write's own events. Null when there is nothing to do: not
 * a reopen, nobody named, the person can still work it, or their account was not looked up.
 */
export function requeueReopened(
  before: Ticket,
  after: Ticket,
  district: string | undefined,
  rules: AssignRules | undefined,
  held: AssigneeRoles,
  at: string,
  bytes?: RandomBytes
): Ticket | null {
  if (isOpenStatus(deriveStatus(before.events)) || !isOpenStatus(deriveStatus(after.events))) return null;
  const gone = deriveAssignee(after.events);
  if (gone?.userId === undefined) return null;
  const roles = held(gone.userId);
  if (roles === undefined || (roles && mayBeAssigned(gone, roles))) return null;
  const routed = rules ? routeTicket(after.category, district, rules) : { queue: 'central' as const };
  // After the reopen in the history's order: it gets the same receipt time, and its device time
  // may run a few minutes ahead of the server's, which would put the assignment first.
  const latest = Math.max(...after.events.map((e) => Date.parse(e.at)).filter(Number.isFinite));
  const when = new Date(Math.max(Date.parse(at), latest + 1));
  const event: TicketEvent = {
    id: newEventId(when, bytes),
    at: when.toISOString(),
    by: SYSTEM_USER,
    kind: 'assign',
    assignee: routed.userId === gone.userId ? { queue: 'central' } : routed
  };
  return withEvents(after, [...after.events, event], after.updatedBy, after.updatedAt);
}
