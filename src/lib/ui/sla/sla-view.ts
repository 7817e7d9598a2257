/** The SLA figures the screens show for a ticket, from the domain clock and the region catalog. */
import type { Ticket, TicketComment } from '../../domain/schemas';
import { withComments } from '../../domain/tickets/comments';
import { ticketSla, type CatalogEntry, type SlaState, type SlaStatus } from '../../domain/sla';

/**
 * `now` comes from a clock that ticks once a minute; a change made since the last tick must
 * already count (a ticket resolved a few seconds ago is met, not running), so the figures are
 * taken no earlier than the ticket's latest event.
 */
export function slaOf(
  ticket: Ticket,
  catalog: readonly CatalogEntry[],
  now: number | Date,
  /** The ticket's comments (documents of their own): a staff comment is a first response. */
  comments?: readonly TicketComment[]
): SlaStatus {
  // Fields read one by one: `ticket` may be an RxDB document, which does not spread.
  const view = comments?.length
    ? {
        requester: ticket.requester,
        createdBy: ticket.createdBy,
        createdAt: ticket.createdAt,
        receivedAt: ticket.receivedAt,
        events: withComments({ id: ticket.id, events: ticket.events }, comments).events
      }
    : ticket;
  let at = typeof now === 'number' ? now : now.getTime();
  for (const e of view.events) at = Math.max(at, Date.parse(e.at));
  // The policy in force at the ticket's receipt, as in the reports (`ticket-sla.ts`).
  return ticketSla(ticket, catalog, at, view);
}

/** States a desk agent must look at first. */
export const AT_RISK: ReadonlySet<SlaState> = new Set(['due_soon', 'breached']);

/** Whole hours and minutes of a duration in minutes, sign dropped (the state says which side). */
export function splitMinutes(minutes: number): { hours: number; minutes: number } {
  const total = Math.floor(Math.abs(minutes));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/** Order for a queue: breached first, then least time left; paused and stopped last. */
export function urgency(s: SlaStatus): number {
  if (s.state === 'breached') return -1e9 + s.remainingMinutes;
  if (s.state === 'met') return 2e9;
  if (s.state === 'paused') return 1e9 + s.remainingMinutes;
  return s.remainingMinutes;
}
