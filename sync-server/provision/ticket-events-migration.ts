/**
 * Moves what no longer lives inside tickets out of them, at every start (after provisioning
 * and the demo seed): internal notes (events of kind `note`) to the staff-only
 * `org_<org>_notes`, comments and attachment references (kinds `comment`, `attachment`) to
 * `org_<org>_comments`, one document each (see `tickets/notes.ts`, `tickets/comments.ts`).
 *
 * For each ticket whose winning revision or any conflicting leaf holds such events, each event
 * becomes a document with an id derived from ticket and event (a second run, or the same event
 * in two conflicting leaves, meets the document already written), and the leaf gets a new
 * child revision without them; devices receive that revision through normal replication.
 * When anything was rewritten the database is compacted, which discards the bodies of every
 * non-leaf revision: the old revisions that held notes cannot be read any more by `rev=`,
 * `open_revs` or `_bulk_get`, and the space of the old discussion is freed.
 *
 * Done is recorded once for the region (`migration:ticket-events` in `auth`, the organizations
 * done), so a start with everything done costs one read, not one per tickets database. An
 * organization is added to it only after its compaction finished, so a start interrupted
 * half-way simply runs again. Writes go straight to CouchDB as its admin: the move is the
 * server's own act, and the gateway refuses such events in tickets now.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { orgDb } from '../../src/lib/domain/databases';
import type { Ticket, TicketEvent } from '../../src/lib/domain/schemas';
import { commentFromEvent, hasCommentEvents, withoutCommentEvents } from '../../src/lib/domain/tickets/comments';
import { hasNoteEvents, noteFromEvent, withoutNoteEvents } from '../../src/lib/domain/tickets/notes';
import { compacted, migratePendingOrgs } from './migration-marker';

/** The region-wide record of the organizations whose tickets were migrated. */
export const REGION_MARKER = { db: 'auth', id: 'migration:ticket-events' } as const;
const PAGE = 500;

type StoredTicket = Ticket & { _id: string; _rev: string; _conflicts?: string[] };

export interface TicketEventsReport {
  /** Ticket revisions rewritten. */
  tickets: number;
  /** Note documents written. */
  notes: number;
  /** Comment documents written. */
  comments: number;
  /** Organizations done in this run. */
  orgs: string[];
}

const needsMove = (doc: object) => hasNoteEvents(doc) || hasCommentEvents(doc);

/** Every leaf of a ticket: the winner (as listed) and the bodies of its conflicting revisions. */
async function leavesOf(db: nano.DocumentScope<StoredTicket>, doc: StoredTicket): Promise<StoredTicket[]> {
  const others = await Promise.all((doc._conflicts ?? []).map((rev) => db.get(doc._id, { rev })));
  return [doc, ...others];
}

/** Writes derived documents; a conflict is one an earlier run (or another leaf) already wrote. */
async function writeAll(db: nano.DocumentScope<unknown>, docs: { id: string }[], what: string): Promise<number> {
  if (!docs.length) return 0;
  const rows = await db.bulk({ docs: docs.map(({ id, ...rest }) => ({ _id: id, ...rest })) });
  const failed = rows.filter((r) => r.error && r.error !== 'conflict');
  if (failed.length) throw new Error(`moving ${what} failed: ${failed.map((f) => f.reason).join('; ')}`);
  return rows.filter((r) => !r.error).length;
}

/** Moves the notes and comments of one organization's tickets; `done` false when compaction has not finished. */
export async function migrateOrgTicketEvents(
  couch: nano.ServerScope,
  orgId: string,
  log?: FastifyBaseLogger,
  now = () => new Date().toISOString()
): Promise<TicketEventsReport & { done: boolean }> {
  const name = orgDb(orgId, 'tickets');
  const tickets = couch.use<StoredTicket>(name);
  const notesDb = couch.use<unknown>(orgDb(orgId, 'notes'));
  const commentsDb = couch.use<unknown>(orgDb(orgId, 'comments'));
  const report = { tickets: 0, notes: 0, comments: 0, orgs: [] as string[], done: true };

  let startkey: string | undefined;
  for (;;) {
    const page = await tickets.list({
      include_docs: true,
      conflicts: true,
      limit: PAGE + 1,
      ...(startkey === undefined ? {} : { startkey })
    });
    for (const row of page.rows.slice(0, PAGE)) {
      const doc = row.doc;
      if (!doc || row.id.startsWith('_design/')) continue;
      if (!needsMove(doc) && !doc._conflicts?.length) continue;
      for (const leaf of await leavesOf(tickets, doc)) {
        if (!needsMove(leaf)) continue;
        const ref = { id: leaf._id, orgId: leaf.orgId };
        const events = leaf.events as TicketEvent[];
        report.notes += await writeAll(
          notesDb,
          events.filter((e) => e.kind === 'note').map((e) => noteFromEvent(ref, e, now())),
          `notes of ${leaf._id}`
        );
        report.comments += await writeAll(
          commentsDb,
          events.filter((e) => e.kind === 'comment' || e.kind === 'attachment').map((e) => commentFromEvent(ref, e)),
          `comments of ${leaf._id}`
        );
        const { _conflicts: _ignored, ...body } = withoutCommentEvents(withoutNoteEvents(leaf));
        // A child of this very leaf (winner or conflict): the branch goes on without them.
        await tickets.insert(body, body._id);
        report.tickets += 1;
      }
    }
    if (page.rows.length <= PAGE) break;
    startkey = page.rows[PAGE].id;
  }

  if (report.tickets > 0) {
    if (!(await compacted(couch, name))) {
      log?.warn({ db: name }, 'compaction still running; the ticket migration will be confirmed at the next start');
      report.done = false;
    }
  }
  return report;
}

/** Moves the notes and comments of every organization's tickets not done before; one read when all are. */
export async function migrateTicketEvents(
  couch: nano.ServerScope,
  orgIds: readonly string[],
  log?: FastifyBaseLogger
): Promise<TicketEventsReport> {
  const total: TicketEventsReport = { tickets: 0, notes: 0, comments: 0, orgs: [] };
  total.orgs = await migratePendingOrgs(couch, REGION_MARKER, orgIds, async (org) => {
    const r = await migrateOrgTicketEvents(couch, org, log);
    total.tickets += r.tickets;
    total.notes += r.notes;
    total.comments += r.comments;
    return r.done;
  });
  if (total.tickets) log?.info(total, 'notes and comments moved out of tickets');
  return total;
}
