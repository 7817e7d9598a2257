/**
 * The one rule that judges a ticket's SLA, wherever it is shown or counted: the ticket
 * detail, the ticket list, the queue and its badges, the dashboards and the contractor report.
 *
 * A ticket is judged by the SLA policy of its priority and the business calendar that were in
 * force when the server received it (`receivedAt`; before the server has seen it, the
 * device's `createdAt` stands in, as it does for the clock's start). A policy or calendar
 * entered later applies to tickets received after it and never moves the deadlines of a
 * ticket already received, so a screen, a badge and a month's report always agree, today and
 * after any change of the catalog.
 */
import type { Priority } from '../schemas/tickets';
import { computeSla, type SlaOptions, type SlaPolicy, type SlaStatus, type SlaTicket } from './clock';
import { slaPolicyFor, type CatalogEntry } from './policy';

/** What the rule reads of a ticket: its priority and its receipt. */
export interface PolicyTicket {
  priority: Priority;
  createdAt: string;
  receivedAt?: string;
}

/** The instant whose catalog judges the ticket. */
export function slaReceipt(ticket: PolicyTicket): string {
  return ticket.receivedAt ?? ticket.createdAt;
}

/** The policy (with its business calendar) in force at the ticket's receipt. */
export function ticketSlaPolicy(catalog: readonly CatalogEntry[], ticket: PolicyTicket): SlaPolicy {
  return slaPolicyFor(catalog, ticket.priority, slaReceipt(ticket));
}

/**
 * The ticket's SLA at `now` under the policy in force at its receipt. `clockView` lets a caller
 * count events kept outside the ticket (its comments) without losing the ticket's own fields.
 */
export function ticketSla(
  ticket: PolicyTicket & SlaTicket,
  catalog: readonly CatalogEntry[],
  now: Date | string | number,
  clockView: SlaTicket = ticket,
  opts?: SlaOptions
): SlaStatus {
  return computeSla(clockView, ticketSlaPolicy(catalog, ticket), now, opts);
}
