/**
 * Push handler for one collection fed into several databases.
 *
 * Guarantees: each document is written to its own organization's database with the rev
 * the server holds now, and only if the server still holds the state the local edit was
 * built on; otherwise the server's state is returned to RxDB as a conflict and merged by
 * the collection's conflict handler. A document the server (or the access list) refuses is
 * set aside in the `rejected` store with the server's reason and NOT returned as a conflict,
 * so RxDB moves on and the rest of the sync continues; a later successful push of it clears
 * the rejection if it still carries the refused change (`refusal.ts`). Only transient failures (no answer, 5xx, expired session) throw, which
 * makes RxDB retry the batch; retried rows that did get written come back as conflicts
 * whose merge is a no-op.
 */
import { sameEdit, type CouchDoc, type DocState } from './couch-doc';
import { SyncHttpError, type CouchClient } from './couch-http';
import {
  classifyBulkResult,
  mastersFromAllDocs,
  outdatedRows,
  planWrites,
  routeForPush,
  type BulkDocsRow,
  type DbAccess,
  type MasterInfo,
  type PushRow,
  type Refusal
} from './push-routing';
import { APPEND_ONLY } from './conflict-handler';
import { buildsOnRefused } from './refusal';
import { plainCodec, type DocCodec } from './region';
import type { RejectedEntry, SyncIssues } from './sync-issues';

export interface PushOptions {
  client: CouchClient;
  collection: string;
  access: () => readonly DbAccess[];
  issues: Pick<SyncIssues, 'rejectedFor' | 'setAside' | 'clear' | 'clearPushed'>;
  onRejected?: (refusals: Refusal[]) => void;
  /** How local documents map to the server's (the region collection adds its kind and key). */
  codec?: DocCodec;
  /** Documents removed from the device because access was withdrawn: nothing to send. */
  isPurged?: (collection: string, key: string) => boolean;
  /** The server refused a whole database (403/404): the user's access may have changed. */
  onDbRefused?: (db: string) => void;
  /** What the device holds now for these local keys (to leave out rows RxDB read before a newer version). */
  current?: (keys: string[]) => Promise<ReadonlyMap<string, DocState>>;
}

export function createPushHandler(opts: PushOptions) {
  const { client, collection, issues } = opts;
  const codec = opts.codec ?? plainCodec;
  const keyOf = (s: DocState) => codec.keyOf(s);

  /**
   * Versions sent whose answer never came (local key → the version): the server may hold them.
   * RxDB retries with the device's newest version and the base from before that send, so a
   * server holding exactly the version sent looked like someone else's edit, and the merge let
   * it win over a later edit that set a field back. Such a server version is this device's own:
   * it is the base. Kept for the session; a version answered either way leaves.
   */
  const unanswered = new Map<string, DocState>();

  /**
   * One `_bulk_docs`, or, when the body is too large for the server (413: a few big documents
   * can pass its limit, which is per request), halves of it until each part fits or holds one
   * document; only a document too large on its own is refused.
   */
  const bulkDocsInParts = async (db: string, docs: readonly CouchDoc[]): Promise<BulkDocsRow[]> => {
    try {
      return await client.bulkDocs(db, docs);
    } catch (err) {
      if (!(err instanceof SyncHttpError) || err.status !== 413 || docs.length < 2) throw err;
      const half = Math.ceil(docs.length / 2);
      return [...(await bulkDocsInParts(db, docs.slice(0, half))), ...(await bulkDocsInParts(db, docs.slice(half)))];
    }
  };

  return async function push(allRows: PushRow[]): Promise<DocState[]> {
    const purged = allRows.filter(
      (r) => r.newDocumentState._deleted && opts.isPurged?.(collection, keyOf(r.newDocumentState))
    );
    const kept = purged.length ? allRows.filter((r) => !purged.includes(r)) : allRows;
    const outdated = opts.current
      ? outdatedRows(kept, await opts.current(kept.map((r) => keyOf(r.newDocumentState))), keyOf)
      : new Set<string>();
    const rows = outdated.size ? kept.filter((r) => !outdated.has(keyOf(r.newDocumentState))) : kept;
    const handedBack = outdated.size ? kept.filter((r) => outdated.has(keyOf(r.newDocumentState))) : [];
    // A row handed back whose document is now exactly RxDB's server state (an edit taken back,
    // its time included): RxDB pushes only what differs from that state, so no answer would
    // ever clear the mark. `clearPushed` still leaves it while the device holds anything else.
    const atBase = handedBack.flatMap((r) =>
      r.assumedMasterState ? [{ id: keyOf(r.newDocumentState), doc: r.assumedMasterState }] : []
    );
    if (purged.length || atBase.length)
      await issues.clearPushed(collection, [
        ...purged.map((r) => ({ id: keyOf(r.newDocumentState), doc: r.newDocumentState })),
        ...atBase
      ]);
    // Everything below is keyed by the local key; the server's ids are unique per database only.
    const keys = rows.map((r) => keyOf(r.newDocumentState));
    const rowById = new Map(rows.map((r) => [keyOf(r.newDocumentState), r]));
    const before = await issues.rejectedFor(collection, keys);
    // A version made on top of the refused one builds on the server state recorded with the
    // refusal (RxDB believes the refused version reached the server); one that lost it to a
    // newer server version builds on what RxDB assumes, like any other edit.
    const expected = (row: PushRow): DocState | null => {
      const entry = before.get(keyOf(row.newDocumentState));
      return entry && buildsOnRefused(entry, row.newDocumentState, row.assumedMasterState, APPEND_ONLY[collection])
        ? entry.serverDoc
        : (row.assumedMasterState ?? null);
    };

    const { byDb, refused } = routeForPush(collection, rows, opts.access(), keyOf);
    const conflicts: DocState[] = handedBack.map((r) => r.newDocumentState);
    const setAside: RejectedEntry[] = [];
    const written: string[] = [];
    let transient: unknown = null;
    const refuse = (r: Refusal, serverDoc: DocState | null) => {
      setAside.push({
        docId: r.id,
        code: r.code,
        reason: r.reason,
        doc: rowById.get(r.id)!.newDocumentState,
        serverDoc
      });
    };
    for (const r of refused) refuse(r, expected(rowById.get(r.id)!));

    await Promise.all(
      [...byDb].map(async ([db, dbRows]) => {
        // Server id → local key, within this one database.
        const keyFor = new Map(dbRows.map((r) => [r.newDocumentState.id, keyOf(r.newDocumentState)]));
        const toKey = (id: string) => keyFor.get(id) ?? id;
        const liveOrNull = (m: MasterInfo | undefined): DocState | null =>
          m && !m.deleted && m.doc ? codec.fromCouch(db, m.doc) : null;
        try {
          const masters = mastersFromAllDocs(
            await client.allDocs(
              db,
              dbRows.map((r) => r.newDocumentState.id)
            )
          );
          const ownOrExpected = (row: PushRow): DocState | null => {
            const sent = unanswered.get(keyOf(row.newDocumentState));
            const live = liveOrNull(masters.get(row.newDocumentState.id));
            return sent && live && sameEdit(sent, live) ? live : expected(row);
          };
          const plan = planWrites(dbRows, masters, ownOrExpected, db, codec, collection === 'assets');
          conflicts.push(...plan.conflicts);
          written.push(...plan.noop.map(toKey));
          for (const key of [...plan.noop.map(toKey), ...plan.conflicts.map((d) => toKey(d.id))])
            unanswered.delete(key);
          if (!plan.write.length) return;
          for (const d of plan.write) unanswered.set(toKey(d._id), rowById.get(toKey(d._id))!.newDocumentState);
          const outcome = classifyBulkResult(
            plan.write.map((d) => d._id),
            await bulkDocsInParts(db, plan.write)
          );
          for (const id of plan.write.map((d) => d._id)) unanswered.delete(toKey(id));
          written.push(...outcome.written.map(toKey));
          for (const r of outcome.rejected) refuse({ ...r, id: toKey(r.id) }, liveOrNull(masters.get(r.id)));
          if (outcome.conflicts.length) {
            // Someone wrote between our read and our write: merge with what is there now.
            const now = mastersFromAllDocs(await client.allDocs(db, outcome.conflicts));
            for (const id of outcome.conflicts)
              conflicts.push(liveOrNull(now.get(id)) ?? codec.fromCouch(db, { _id: id, _deleted: true }));
          }
        } catch (err) {
          if (
            err instanceof SyncHttpError &&
            (err.status === 403 || err.status === 404 || err.status === 400 || err.status === 413)
          ) {
            const reason = err.reason ?? err.message;
            // The database itself refused (not one document): access was withdrawn since sign-in.
            const lost = err.status === 403 || err.status === 404;
            for (const r of dbRows)
              refuse({ id: keyOf(r.newDocumentState), code: lost ? 'no-access' : 'invalid', reason }, expected(r));
            if (lost) opts.onDbRefused?.(db);
          } else {
            transient ??= err;
          }
        }
      })
    );

    // Whether the version sent was made on top of the document's refused one.
    const buildsOnEntry = (key: string) => {
      const entry = before.get(key);
      const row = rowById.get(key)!;
      return !!entry && buildsOnRefused(entry, row.newDocumentState, row.assumedMasterState, APPEND_ONLY[collection]);
    };
    await issues.setAside(collection, setAside, new Set(setAside.map((e) => e.docId).filter(buildsOnEntry)));
    if (setAside.length) opts.onRejected?.(setAside.map((e) => ({ id: e.docId, code: e.code, reason: e.reason })));
    // A refusal ends only when a version made on top of the refused one reached the server.
    const cleared = written.filter(buildsOnEntry);
    await issues.clear('rejected', collection, cleared);
    // A set-aside version is no longer "pending": it is counted and shown as rejected.
    const pushed = (d: DocState) => ({ id: keyOf(d), doc: d });
    await issues.clearPushed(collection, [
      ...written.map((key) => pushed(rowById.get(key)!.newDocumentState)),
      ...setAside.map((e) => pushed(e.doc))
    ]);
    if (transient) throw transient;
    return conflicts;
  };
}
