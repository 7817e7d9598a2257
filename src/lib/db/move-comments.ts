/**
 * On open, before the sync starts: a ticket this device changed and has not sent (pending, or
 * refused and kept for the person) may still hold comment or attachment events written by an
 * older version of the app. The server no longer takes those inside a ticket, so each becomes
 * a comment document in the local `comments` collection (pending, sent by the comments
 * replication) under the id the server's own move gives the same event (`commentIdFor`), and
 * the ticket keeps only its lifecycle. Nothing unsent is lost, and an event the server had
 * already moved meets its document there instead of doubling.
 *
 * Tickets without local changes are left alone: the server's move gave them a new revision
 * without those events, which the next pull brings.
 */
import type { RxCollection } from 'rxdb';
import type { Ticket } from '../domain/schemas';
import { commentFromEvent, hasCommentEvents, withoutCommentEvents } from '../domain/tickets/comments';
import type { SyncIssues } from './sync-issues';

export async function moveLocalComments(
  tickets: RxCollection,
  comments: RxCollection,
  issues: SyncIssues
): Promise<number> {
  const marks = await issues.store
    .find({ selector: { collectionName: 'tickets', kind: { $in: ['pending', 'rejected'] } } })
    .exec();
  const ids = [...new Set(marks.map((m) => m.docId))];
  if (!ids.length) return 0;
  let moved = 0;
  for (const doc of (await tickets.findByIds(ids).exec()).values()) {
    const ticket = doc.toJSON() as unknown as Ticket;
    if (!hasCommentEvents(ticket)) continue;
    const docs = ticket.events
      .filter((e) => e.kind === 'comment' || e.kind === 'attachment')
      .map((e) => commentFromEvent(ticket, e));
    const known = await comments.findByIds(docs.map((d) => d.id)).exec();
    const fresh = docs.filter((d) => !known.has(d.id));
    if (fresh.length) {
      const { error } = await comments.bulkInsert(fresh);
      if (error.length) throw new Error(`moving comments of ${ticket.id} failed: ${error[0].status}`);
    }
    moved += fresh.length;
    await doc.incrementalModify((t: Ticket) => withoutCommentEvents(t));
  }
  return moved;
}
