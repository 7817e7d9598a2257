/**
 * Ticket comments and attachment references as their own documents.
 *
 * A ticket used to hold its comments and photo references as events, in one document that
 * every reader replicates and every writer rewrites: at 2,000 events or 1 MB it could no longer
 * be written anywhere, so a busy ticket froze. Now each comment (and each attachment
 * reference) is its own append-only document in `org_<org>_comments`, referencing the ticket;
 * the ticket keeps only its lifecycle events (status, assign), which stay few.
 *
 * Who reads: the comments database has the same readers as the tickets database (role table,
 * `ORG_RIGHTS`), so a comment is readable by exactly those who can read its ticket. Who
 * writes: whoever could add to the ticket (`mayAdd`, judged against the ticket as the server
 * holds it, `checkCommentAgainstTicket`); a comment on a ticket the server has not received
 * yet (both made offline, pushed by two replications) is accepted from someone who may file
 * tickets in that organization, since that person could have made the ticket.
 *
 * Views: the timeline, the SLA clock (a staff comment is a first response) and the reports
 * read a ticket together with its comments through `withComments`, which turns the documents
 * back into events, in the same receipt-time order as the lifecycle.
 *
 * Legacy: comment and attachment events still inside stored tickets are moved out by the
 * server at start (`provision/ticket-events-migration.ts`) and by each device when it opens
 * (`db/move-comments.ts`), under the same derived id (`commentIdFor`), so both moves of the
 * same event meet as one document. Tickets refuse new such events (`checkNoCommentEvents`).
 */
import type { Role } from '../access';
import type { TicketComment, CommentKind } from '../schemas/comments';
import type { Ticket, TicketEvent } from '../schemas/tickets';
import type { Doc, WriteContext } from '../write-rules';
import { addedEvent, changesWritten, derivedId, hasEvents, ofKinds, withoutEvents } from './append-only';
import { sortEvents } from './events';
import { newEventId, type RandomBytes } from './ids';
import { mayAdd, mayCreate, type TicketFacts } from './lifecycle';

/** Event kinds that no longer live inside a ticket. */
export const MOVED_KINDS: readonly string[] = ['comment', 'attachment'];

const isMoved = ofKinds(MOVED_KINDS);

export const hasCommentEvents = (doc: object): boolean => hasEvents(doc, isMoved);

/** The ticket without comment and attachment events; the very same object when it has none. */
export const withoutCommentEvents = <T extends object>(doc: T): T => withoutEvents(doc, isMoved);

export { derivedId };

/** The id of the comment document a legacy comment or attachment event becomes. */
export const commentIdFor = (ticketId: string, eventId: string) => derivedId('cmt', ticketId, eventId);

/** The comment document a legacy event of a ticket becomes; authorship and times are kept. */
export function commentFromEvent(ticket: { id: string; orgId: string }, event: TicketEvent): TicketComment {
  const c: TicketComment = {
    id: commentIdFor(ticket.id, event.id),
    orgId: ticket.orgId,
    ticketId: ticket.id,
    kind: event.kind === 'attachment' ? 'attachment' : 'comment',
    createdBy: event.by,
    createdAt: event.at,
    updatedBy: event.by,
    updatedAt: event.at
  };
  if (event.text !== undefined) c.text = event.text;
  if (c.kind === 'comment' && !c.text?.trim()) c.text = '—';
  if (event.mediaId !== undefined) c.mediaId = event.mediaId;
  if (event.fileName !== undefined) c.fileName = event.fileName;
  if (event.receivedAt !== undefined) c.receivedAt = event.receivedAt;
  return c;
}

export type CommentInput =
  { kind: 'comment'; text: string } | { kind: 'attachment'; mediaId: string; fileName?: string };

/** A new comment or attachment reference on a ticket, written by `user`. */
export function newComment(
  ticket: { id: string; orgId: string },
  input: CommentInput,
  user: { id: string },
  now: Date,
  bytes?: RandomBytes
): TicketComment {
  const at = now.toISOString();
  const c: TicketComment = {
    id: `cmt-${newEventId(now, bytes).slice(3)}`,
    orgId: ticket.orgId,
    ticketId: ticket.id,
    kind: input.kind,
    createdBy: user.id,
    createdAt: at,
    updatedBy: user.id,
    updatedAt: at
  };
  if (input.kind === 'comment') c.text = input.text.trim();
  else {
    c.mediaId = input.mediaId;
    if (input.fileName) c.fileName = input.fileName;
  }
  return c;
}

/** A comment document as the ticket event it stands for (what the timeline, SLA and reports read). */
export function commentEvent(c: TicketComment): TicketEvent {
  const e: TicketEvent = { id: c.id, at: c.createdAt, by: c.createdBy, kind: c.kind as CommentKind };
  if (c.receivedAt) e.receivedAt = c.receivedAt;
  if (c.text !== undefined) e.text = c.text;
  if (c.mediaId !== undefined) e.mediaId = c.mediaId;
  if (c.fileName !== undefined) e.fileName = c.fileName;
  return e;
}

/**
 * The ticket as its readers see it: lifecycle events and comments in one receipt-time order.
 * A legacy comment event still inside a local copy and the document it was moved to count
 * once (they share the derived id). Status and assignee are the ticket's own.
 */
export function withComments<T extends Pick<Ticket, 'id' | 'events'>>(
  ticket: T,
  comments: readonly TicketComment[]
): T {
  const mine = comments.filter((c) => c.ticketId === ticket.id);
  if (!mine.length) return ticket;
  const byId = new Map<string, TicketEvent>();
  for (const e of ticket.events) byId.set(isMoved(e) ? commentIdFor(ticket.id, e.id) : e.id, e);
  for (const c of mine) byId.set(c.id, commentEvent(c));
  return { ...ticket, events: sortEvents([...byId.values()]) };
}

/** Comments grouped by ticket, for views over many tickets (reports). */
export function commentsByTicket(comments: readonly TicketComment[]): Map<string, TicketComment[]> {
  const out = new Map<string, TicketComment[]>();
  for (const c of comments) {
    const list = out.get(c.ticketId);
    if (list) list.push(c);
    else out.set(c.ticketId, [c]);
  }
  return out;
}

/** Tickets database: no new comment or attachment event may enter a ticket, whoever writes it. */
export function checkNoCommentEvents(before: Doc | null, after: Doc): string | null {
  const added = addedEvent(before, after, isMoved);
  return added
    ? `Comments and attachments are no longer part of the ticket (event ${String(added.id)}): write them as comments of the ticket.`
    : null;
}

/** Comments database, without the ticket: written once, never changed; a comment has text, an attachment a file. */
export function checkCommentShape(ctx: Pick<WriteContext, 'before' | 'after'>): string | null {
  const { before, after } = ctx;
  if (before)
    return changesWritten(before, after)
      ? 'A comment cannot be changed once written; add another comment instead.'
      : null;
  if (after.kind === 'comment' && (typeof after.text !== 'string' || !after.text.trim()))
    return 'A comment needs some text.';
  if (after.kind === 'attachment' && typeof after.mediaId !== 'string') return 'An attachment must name its file.';
  return null;
}

/**
 * A new comment judged against its ticket as the server holds it (`ticket` null: not received
 * yet). Unchanged re-sends of a stored comment pass `checkCommentShape` and need no ticket.
 */
export function checkCommentAgainstTicket(
  ctx: Pick<WriteContext, 'user' | 'roles' | 'before' | 'after'>,
  ticket: TicketFacts | null
): string | null {
  if (ctx.before) return null;
  const kind = ctx.after.kind === 'attachment' ? 'attachment' : 'comment';
  if (!ticket) {
    return mayCreate(ctx.roles as Role[], ctx.user.id, ctx.user.id)
      ? null
      : `Ticket ${String(ctx.after.ticketId)} is not known here; only someone who may file tickets in this organization can comment before it arrives.`;
  }
  return mayAdd(kind, ctx.roles as Role[], ticket, ctx.user.id) ? null : 'You may not add to this ticket.';
}
