/**
 * Moves internal notes out of tickets, once per tickets database, at every start (after
 * provisioning and the demo seed).
 *
 * Notes used to be ticket events of kind `note`, so every reader of a ticket received them.
 * For each ticket whose winning revision or any conflicting leaf holds such events, each one
 * becomes a note document in `org_<org>_notes` (id derived from ticket and event, so a second
 * run finds it written already), and the leaf gets a new child revision without them; devices
 * receive that revision through normal replication, and their merge strips any note left in a
 * local copy. The database is then compacted, which discards the bodies of every non-leaf
 * revision: the old revisions that held notes cannot be read any more by `rev=`,
 * `open_revs`, or `_bulk_get`. Only when compaction has finished is the database marked done
 * (`_local/notes-moved`), so a start interrupted half-way simply runs again.
 *
 * Writes go straight to CouchDB as its admin: the move is the server's own act, not a user's,
 * and the gateway now refuses `note` events in tickets.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { orgDb } from '../../src/lib/domain/databases';
import type { Ticket, TicketEvent } from '../../src/lib/domain/schemas';
import { hasNoteEvents, noteFromEvent, withoutNoteEvents } from '../../src/lib/domain/tickets/notes';

export const MIGRATION_MARKER = '_local/notes-moved';
const PAGE = 500;
const COMPACTION_WAIT_MS = 120_000;

type StoredTicket = Ticket & { _id: string; _rev: string; _conflicts?: string[] };

export interface NotesMigrationReport {
  /** Ticket revisions rewritten without notes. */
  tickets: number;
  /** Note documents written. */
  notes: number;
  /** Tickets databases compacted and marked done. */
  databases: string[];
}

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function isMarked(db: nano.DocumentScope<StoredTicket>): Promise<boolean> {
  try {
    await db.get(MIGRATION_MARKER);
    return true;
  } catch (err) {
    if (statusOf(err) === 404) return false;
    throw err;
  }
}

/** Every leaf of a ticket: the winner (as listed) and the bodies of its conflicting revisions. */
async function leavesOf(db: nano.DocumentScope<StoredTicket>, doc: StoredTicket): Promise<StoredTicket[]> {
  const others = await Promise.all((doc._conflicts ?? []).map((rev) => db.get(doc._id, { rev })));
  return [doc, ...others];
}

async function writeNotes(notesDb: nano.DocumentScope<unknown>, leaf: StoredTicket, now: string): Promise<number> {
  const notes = leaf.events
    .filter((e): e is TicketEvent => e.kind === 'note')
    .map((e) => {
      const { id, ...rest } = noteFromEvent({ id: leaf._id, orgId: leaf.orgId }, e, now);
      return { _id: id, ...rest };
    });
  if (!notes.length) return 0;
  const rows = await notesDb.bulk({ docs: notes });
  // A conflict is a note an earlier, interrupted run already wrote.
  const failed = rows.filter((r) => r.error && r.error !== 'conflict');
  if (failed.length) throw new Error(`moving notes of ${leaf._id} failed: ${failed.map((f) => f.reason).join('; ')}`);
  return rows.filter((r) => !r.error).length;
}

async function waitForCompaction(couch: nano.ServerScope, db: string): Promise<boolean> {
  const until = Date.now() + COMPACTION_WAIT_MS;
  for (;;) {
    const info = (await couch.db.get(db)) as { compact_running?: boolean };
    if (!info.compact_running) return true;
    if (Date.now() > until) return false;
    await sleep(250);
  }
}

/** Moves the notes of one organization's tickets; null when it was done before. */
export async function migrateOrgNotes(
  couch: nano.ServerScope,
  orgId: string,
  log?: FastifyBaseLogger,
  now = () => new Date().toISOString()
): Promise<NotesMigrationReport | null> {
  const name = orgDb(orgId, 'tickets');
  const tickets = couch.use<StoredTicket>(name);
  if (await isMarked(tickets)) return null;
  const notesDb = couch.use<unknown>(orgDb(orgId, 'notes'));
  const report: NotesMigrationReport = { tickets: 0, notes: 0, databases: [] };

  let startkey: string | undefined;
  for (;;) {
    const page = await tickets.list({
      include_docs: true,
      conflicts: true,
      limit: PAGE + 1,
      ...(startkey === undefined ? {} : { startkey })
    });
    const rows = page.rows.slice(0, PAGE);
    for (const row of rows) {
      const doc = row.doc;
      if (!doc || row.id.startsWith('_design/')) continue;
      if (!hasNoteEvents(doc) && !doc._conflicts?.length) continue;
      for (const leaf of await leavesOf(tickets, doc)) {
        if (!hasNoteEvents(leaf)) continue;
        report.notes += await writeNotes(notesDb, leaf, now());
        const { _conflicts: _ignored, ...body } = withoutNoteEvents(leaf);
        // A child of this very leaf (winner or conflict): the branch goes on without its notes.
        await tickets.insert(body, body._id);
        report.tickets += 1;
      }
    }
    if (page.rows.length <= PAGE) break;
    startkey = page.rows[PAGE].id;
  }

  await couch.db.compact(name);
  if (!(await waitForCompaction(couch, name))) {
    log?.warn({ db: name }, 'compaction still running; notes migration will be confirmed at the next start');
    return report;
  }
  await tickets.insert({ movedAt: now(), notes: report.notes } as never, MIGRATION_MARKER);
  report.databases.push(name);
  return report;
}

/** Moves the notes of every organization's tickets; organizations done before cost one read each. */
export async function migrateTicketNotes(
  couch: nano.ServerScope,
  orgIds: readonly string[],
  log?: FastifyBaseLogger
): Promise<NotesMigrationReport> {
  const total: NotesMigrationReport = { tickets: 0, notes: 0, databases: [] };
  for (const org of orgIds) {
    const r = await migrateOrgNotes(couch, org, log);
    if (!r) continue;
    total.tickets += r.tickets;
    total.notes += r.notes;
    total.databases.push(...r.databases);
  }
  if (total.tickets || total.databases.length) log?.info(total, 'internal notes moved out of tickets');
  return total;
}
