/** Pure constructors the UI uses to make and change tickets; the results pass `checkTicketChange`. */
import type { SessionUser } from '../access';
import type { Assignee, Priority, Ticket, TicketEvent, TicketStatus } from '../schemas/tickets';
import { assigneeOfOrdered, sortEvents, statusOfOrdered } from './events';
import { newEventId, newTicketId, type RandomBytes } from './ids';

export interface NewTicketInput {
  orgId: string;
  title: string;
  description: string;
  category: string;
  priority: Priority;
  requester?: string;
  site?: string;
  assetId?: string;
}

export function newTicket(input: NewTicketInput, user: SessionUser, now: Date, bytes?: RandomBytes): Ticket {
  const at = now.toISOString();
  const ticket: Ticket = {
    id: newTicketId(now, bytes),
    orgId: input.orgId,
    title: input.title.trim(),
    description: input.description.trim(),
    category: input.category,
    priority: input.priority,
    requester: input.requester ?? user.id,
    status: 'new',
    events: [],
    createdBy: user.id,
    createdAt: at,
    updatedBy: user.id,
    updatedAt: at
  };
  if (input.site) ticket.site = input.site;
  if (input.assetId) ticket.assetId = input.assetId;
  return ticket;
}

export type EventInput =
  | { kind: 'status'; to: TicketStatus; text?: string }
  | { kind: 'assign'; assignee: Assignee; text?: string }
  | { kind: 'comment' | 'note'; text: string }
  | { kind: 'attachment'; mediaId: string; fileName?: string };

/** The ticket with one more event by `user`, `status` and `assignee` re-derived. */
export function addEvent(ticket: Ticket, input: EventInput, user: SessionUser, now: Date, bytes?: RandomBytes): Ticket {
  const at = now.toISOString();
  const event = { id: newEventId(now, bytes), at, by: user.id, ...input } as TicketEvent;
  if (event.text !== undefined) event.text = event.text.trim();
  return withEvents(ticket, [...ticket.events, event], user.id, at);
}

/**
 * The requester answers a ticket waiting for them: the answer travels on the status change
 * that starts the clock again (comments are documents of their own, see `comments.ts`).
 */
export function answerWaiting(ticket: Ticket, text: string, user: SessionUser, now: Date, bytes?: RandomBytes): Ticket {
  return ticket.status === 'waiting'
    ? addEvent(ticket, { kind: 'status', to: 'in_progress', text }, user, now, bytes)
    : ticket;
}

/** Sets events and the fields derived from them. */
export function withEvents(ticket: Ticket, events: TicketEvent[], updatedBy: string, updatedAt: string): Ticket {
  const { events: sorted, status, assignee } = eventFields(events);
  const next: Ticket = { ...ticket, events: sorted, status, updatedBy, updatedAt };
  if (assignee) next.assignee = assignee;
  else delete next.assignee;
  return next;
}

/** What a ticket's events decide of it: the events in order, its status and its assignee (absent when none). */
export function eventFields(events: readonly TicketEvent[]): Pick<Ticket, 'events' | 'status' | 'assignee'> {
  const sorted = sortEvents(events);
  const fields: Pick<Ticket, 'events' | 'status' | 'assignee'> = { events: sorted, status: statusOfOrdered(sorted) };
  const assignee = assigneeOfOrdered(sorted);
  if (assignee) fields.assignee = assignee;
  return fields;
}
