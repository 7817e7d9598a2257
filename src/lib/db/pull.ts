/**
 * Pull handler for one collection fed by several databases (one per organization).
 *
 * Guarantees: only databases marked changed are read (an event naming one database costs
 * one request, not one per organization); the composite checkpoint advances per database
 * only after its page was received; a database that fails with a network or server error
 * stays marked and the error goes to RxDB, which retries; a database the server refuses
 * (403/404: access withdrawn since sign-in) is skipped and reported, so it cannot stall the
 * others.
 *
 * RxDB ends a pull as soon as one answer holds fewer documents than `batchSize` (it takes
 * that as "the remote has nothing more"). So one call keeps reading marked databases, a few
 * at a time, until it holds at least `batchSize` documents or no database is marked any
 * more: a short answer is only ever given when every marked database is exhausted. Returning
 * early after the first few databases left the rest of a many-organization user unread until
 * some later event named them.
 *
 * A transient failure of one database does not discard what the others delivered: the
 * documents read so far are returned (their progress is kept), the failed database stays
 * marked, and `onRetryLater` asks for another pull, since RxDB itself only retries a pull
 * that threw.
 */
import { advance, sinceFor, type CompositeCheckpoint, type DirtySet, type Seq } from './checkpoint';
import type { DocState } from './couch-doc';
import { SyncHttpError, type CouchClient } from './couch-http';
import { plainCodec, type DocCodec } from './region';

export interface PullOptions {
  client: CouchClient;
  /** Databases of this collection the user may read now. */
  readable: () => readonly string[];
  dirty: DirtySet;
  /** How many databases are read at once. */
  parallel?: number;
  /** Gives tombstones without content (deleted outside the app) their last known content, or drops them. */
  completeTombstones?: (docs: DocState[]) => Promise<DocState[]>;
  onPage?: (db: string, count: number) => void;
  onDbRefused?: (db: string, err: SyncHttpError) => void;
  /** Runs alongside the first read of a database the checkpoint does not know yet (first sync). */
  onFirstRead?: (db: string) => Promise<void>;
  /** A database failed transiently after others delivered documents; pull again later. */
  onRetryLater?: (err: unknown) => void;
  /** How the server's documents become local ones (the region collection adds kind and key). */
  codec?: DocCodec;
  /** Databases to read again from their beginning (their documents were removed from the device). */
  restart?: Set<string>;
}

/**
 * The gateway hides design documents from `_changes`, so a page can come back shorter than
 * its limit although more changes follow (the first page of every database does: its design
 * document is among them). A page is taken as the last one only when it is short by more
 * than the hidden documents could explain, or when it did not move the sequence at all.
 */
const HIDDEN_PER_PAGE = 8;

export function mayHaveMore(since: Seq, lastSeq: Seq, results: number, limit: number): boolean {
  if (String(lastSeq) === String(since)) return false;
  return results >= limit - HIDDEN_PER_PAGE;
}

export function createPullHandler(opts: PullOptions) {
  const parallel = opts.parallel ?? 4;
  const codec = opts.codec ?? plainCodec;
  return async function pull(checkpoint: CompositeCheckpoint | undefined, batchSize: number) {
    let cp: CompositeCheckpoint = checkpoint ?? { seqs: {} };
    let documents: DocState[] = [];
    let failure: unknown = null;
    while (documents.length < batchSize && !failure) {
      const dbs = opts.dirty.take(opts.readable(), parallel);
      if (!dbs.length) break;
      for (const db of dbs) {
        if (!opts.restart?.delete(db)) continue;
        const { [db]: _dropped, ...rest } = cp.seqs;
        cp = { seqs: rest };
      }
      const pages = await Promise.allSettled(
        dbs.map(async (db) => {
          const first =
            cp.seqs[db] === undefined && opts.onFirstRead ? opts.onFirstRead(db).catch(() => undefined) : null;
          const page = await opts.client.changes(db, sinceFor(cp, db), batchSize);
          await first;
          return page;
        })
      );
      let pageDocs: DocState[] = [];
      pages.forEach((page, i) => {
        const db = dbs[i];
        if (page.status === 'rejected') {
          const err = page.reason;
          if (err instanceof SyncHttpError && (err.status === 403 || err.status === 404)) {
            opts.onDbRefused?.(db, err);
          } else {
            opts.dirty.mark(db);
            failure ??= err;
          }
          return;
        }
        const { results, last_seq } = page.value;
        if (mayHaveMore(sinceFor(cp, db), last_seq, results.length, batchSize)) opts.dirty.mark(db);
        cp = advance(cp, db, last_seq);
        const docs = results
          .filter((r) => r.doc && !r.id.startsWith('_design/'))
          .map((r) => codec.fromCouch(db, r.doc!));
        opts.onPage?.(db, docs.length);
        pageDocs.push(...docs);
      });
      if (opts.completeTombstones && pageDocs.some((d) => d._deleted))
        pageDocs = await opts.completeTombstones(pageDocs);
      documents = documents.concat(pageDocs);
    }
    if (failure) {
      if (!documents.length) throw failure;
      opts.onRetryLater?.(failure);
    }
    return { documents, checkpoint: cp };
  };
}
