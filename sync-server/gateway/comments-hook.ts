/**
 * The comments database's part of the gateway: before a batch of comments is judged, read the
 * tickets they reference (one `_all_docs` request to the organization's tickets database), so
 * each new comment is judged against its ticket as the server holds it (see
 * `src/lib/domain/tickets/comments.ts`). Only new comments need their ticket; re-sends of a
 * stored comment are judged by their shape alone.
 */
import type nano from 'nano';
import { orgDb, type DbRef } from '../../src/lib/domain/databases';
import { checkCommentAgainstTicket } from '../../src/lib/domain/tickets/comments';
import type { TicketFacts } from '../../src/lib/domain/tickets/lifecycle';
import type { Doc, WriteContext } from '../../src/lib/domain/write-rules';
import type { BeginPortalBatch } from '../portal/write-hook';

const isObj = (d: unknown): d is Doc => !!d && typeof d === 'object' && !Array.isArray(d);

async function readTickets(couch: nano.ServerScope, db: string, ids: string[]): Promise<Map<string, TicketFacts>> {
  const out = new Map<string, TicketFacts>();
  if (!ids.length) return out;
  const res = await couch.use<Doc>(db).fetch({ keys: ids });
  for (const row of res.rows) {
    if (!('doc' in row) || !row.doc || (row.doc as Doc)._deleted) continue;
    const t = row.doc as unknown as TicketFacts & { _id: string };
    out.set(t._id, { requester: t.requester, createdBy: t.createdBy, assignee: t.assignee });
  }
  return out;
}

/** Wraps the portal's batch hook: comments batches get the ticket check, others go on unchanged. */
export function withCommentBatches(couch: () => nano.ServerScope, next: BeginPortalBatch): BeginPortalBatch {
  return async (ref: DbRef, docs, stored) => {
    if (ref.kind !== 'org' || ref.collection !== 'comments') return next(ref, docs, stored);
    const ids = [
      ...new Set(docs.filter(isObj).flatMap((d) => (typeof d.ticketId === 'string' && d.ticketId ? [d.ticketId] : [])))
    ];
    const tickets = await readTickets(couch(), orgDb(ref.orgId, 'tickets'), ids.slice(0, 1000));
    const check = (ctx: WriteContext) =>
      checkCommentAgainstTicket(ctx, tickets.get(String(ctx.after.ticketId)) ?? null);
    return { hooks: { checkCommentWrite: check }, release: () => undefined };
  };
}
