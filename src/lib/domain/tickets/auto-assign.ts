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
import type { Assignee, Ticket, TicketEvent } from '../schemas/tickets';
import { withEvents } from './build';
import { newEventId, type RandomBytes } from './ids';

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
 * The ticket with the system's routing appended, or null when it needs none: someone already
 * assigned it, or it left `new` before the server saw it (created offline and handled at once).
 */
export function autoAssign(
  ticket: Ticket,
  district: string | undefined,
  rules: AssignRules,
  at: string,
  bytes?: RandomBytes
): Ticket | null {
  if (ticket.status !== 'new' || ticket.assignee || ticket.events.some((e) => e.kind === 'assign')) return null;
  const event: TicketEvent = {
    id: newEventId(new Date(at), bytes),
    at,
    by: SYSTEM_USER,
    kind: 'assign',
    assignee: routeTicket(ticket.category, district, rules)
  };
  // The writer stays the person who sent the ticket: the server only appends its routing.
  return withEvents(ticket, [...ticket.events, event], ticket.updatedBy, ticket.updatedAt);
}
