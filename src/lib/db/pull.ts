/**
 * Pull handler for one collection fed by several databases (one per organization).
 *
 * Guarantees: only databases marked changed are read, all of them in one batched request
 * (`POST /api/changes`, the gateway's authorization per database), so a user of 140
 * organizations needs a request per page of documents, not one per database; the composite
 * checkpoint advances per database only after its page was received; a database the server
 * refuses (403/404: access withdrawn since sign-in) is skipped and reported, so it cannot stall
 * the others; one that failed on the server (5xx) or did not fit the answer stays marked.
 *
 * RxDB ends a pull as soon as one answer holds fewer documents than `batchSize` (it takes
 * that as "the remote has nothing more"). So one call keeps asking, for what the page still
 * has room for, until it holds `batchSize` documents or no database is marked any more: a
 * short answer is only ever given when every marked database is exhausted.
 *
 * The next page is asked for while RxDB stores this one: when a pull returns a full page and
 * databases are still marked, the same request the next pull would make is sent at once
 * (`prefetch`), so the server reads page N+1 while the device stores page N. The next pull uses
 * that answer only if it would ask exactly that (same databases, sequences and room) and no
 * database was marked since it was sent (a change announced meanwhile may be newer than the
 * answer); otherwise it is dropped and the pull asks anew.
 *
 * A transient failure does not discard what was already delivered: the documents read so far
 * are returned (their progress is kept), the failed databases stay marked, and `onRetryLater`
 * asks for another pull, since RxDB itself only retries a pull that threw. A session of
 * another user (`SessionMismatchError`) is thrown at once.
 */
import { MAX_BATCH_DBS, type BatchChangesResponse } from '../domain/sync-protocol';
import {
  advance,
  changedDocs,
  outcomeOf,
  pageRequest,
  readsAgain,
  requestKey,
  type CompositeCheckpoint,
  type DirtySet,
  type SinceMap
} from './checkpoint';
import type { DocState } from './couch-doc';
import { httpError, SessionMismatchError, SyncHttpError, type CouchClient } from './couch-http';
import { plainCodec, type DocCodec } from './region';

export interface PullOptions {
  client: Pick<CouchClient, 'changesBatch'>;
  /** Databases of this collection the user may read now. */
  readable: () => readonly string[];
  dirty: DirtySet;
  /**
   * Gives tombstones without content (deleted outside the app) their last known content, or
   * drops them. `handed`: documents this handler handed out lately (by key), which may not be
   * stored yet and are newer than the store's.
   */
  completeTombstones?: (docs: DocState[], handed: ReadonlyMap<string, DocState>) => Promise<DocState[]>;
  onPage?: (db: string, count: number) => void;
  onDbRefused?: (db: string, err: SyncHttpError) => void;
  /** A database read from its beginning (first sync) holds this many documents. */
  onFirstPage?: (db: string, docCount: number) => void;
  /** A database failed transiently after others delivered documents; pull again later. */
  onRetryLater?: (err: unknown) => void;
  /** How the server's documents become local ones (the region collection adds kind and key). */
  codec?: DocCodec;
  /** Databases to read again from their beginning (their documents were removed from the device). */
  restart?: Set<string>;
  /**
   * Resuming a saved stream position nothing starts marked: the first pull marks the readable
   * databases its checkpoint does not know (never read on this device).
   */
  markUnknown?: boolean;
  /** A new device's first answer, asked while the app started (`early-pull.ts`): the promise, if it was exactly this request. */
  takeEarly?: (since: SinceMap, limit: number) => Promise<BatchChangesResponse> | null;
  /** Aborted when the sync stops: a request the server was too busy for is not asked again. */
  stop?: AbortSignal;
}

const isStart = (seq: unknown) => seq === 0 || seq === '0';

/**
 * How many documents handed out by earlier calls are kept for completing deletions. The first
 * sync stores one page while the next is read, so a document of the page before may not be
 * stored yet when its deletion arrives; RxDB's own resync can run further ahead of its writes.
 */
const HANDED_KEPT = 2000;

export function createPullHandler(opts: PullOptions) {
  const codec = opts.codec ?? plainCodec;
  let prefetched: { key: string; version: number; era: number; answer: Promise<BatchChangesResponse> } | null = null;
  let takeEarly = opts.takeEarly;
  /** The page after the early one, asked early too: taken in place of the prefetch, once. */
  let takeEarlyNext = opts.takeEarly;
  /**
   * Databases of the answer being taken that are read once more after it: it was asked before
   * the event stream's first connection, which came before it was taken (`DirtySet.era`); a
   * change made in between was announced to nobody. (Reads taken before the connection are
   * marked by the connection itself.)
   */
  let readAgain: readonly string[] = [];
  const ask = (since: SinceMap, limit: number): Promise<BatchChangesResponse> => {
    // Only the very first request can be the early one, asked while the app started: era 0.
    const early = takeEarly?.(since, limit);
    takeEarly = undefined;
    if (early) {
      if (opts.dirty.era !== 0) readAgain = Object.keys(since);
      return early;
    }
    const ready = prefetched;
    prefetched = null;
    if (ready && ready.key === requestKey(since, limit) && ready.version === opts.dirty.version) {
      if (ready.era !== opts.dirty.era) readAgain = Object.keys(since);
      return ready.answer;
    }
    return opts.client.changesBatch(since, limit, opts.stop);
  };
  const prefetch = (cp: CompositeCheckpoint, room: number) => {
    const dbs = opts.dirty.peek(opts.readable(), MAX_BATCH_DBS);
    if (!dbs.length || [...(opts.restart ?? [])].some((db) => dbs.includes(db))) return;
    const { since, limit } = pageRequest(dbs, cp, room);
    // Asked while the app started, as the first page was: of era 0 like it.
    const early = takeEarlyNext?.(since, limit);
    takeEarlyNext = undefined;
    const answer = early ?? opts.client.changesBatch(since, limit, opts.stop);
    // Dropped or failed prefetches are nobody's error: the next pull asks again.
    answer.catch(() => undefined);
    prefetched = {
      key: requestKey(since, limit),
      version: opts.dirty.version,
      era: early ? 0 : opts.dirty.era,
      answer
    };
  };
  let unknownMarked = !opts.markUnknown;
  /** Documents handed out by the last calls, newest last (a bounded window, see HANDED_KEPT). */
  let handedBefore = new Map<string, DocState>();
  const keep = (handed: Map<string, DocState>) => {
    const drop = handed.size - HANDED_KEPT;
    if (drop > 0) for (const key of [...handed.keys()].slice(0, drop)) handed.delete(key);
    return handed;
  };
  return async function pull(checkpoint: CompositeCheckpoint | undefined, batchSize: number) {
    let cp: CompositeCheckpoint = checkpoint ?? { seqs: {} };
    // A database the person may no longer read leaves the checkpoint with its documents: granted
    // again (after a restart, when nothing remembers the withdrawal) it is read from its start,
    // not from where the device stood before its documents were removed.
    const readableNow = new Set(opts.readable());
    if (Object.keys(cp.seqs).some((db) => !readableNow.has(db)))
      cp = { seqs: Object.fromEntries(Object.entries(cp.seqs).filter(([db]) => readableNow.has(db))) };
    if (!unknownMarked) {
      unknownMarked = true;
      for (const db of opts.readable()) if (cp.seqs[db] === undefined) opts.dirty.mark(db);
    }
    let documents: DocState[] = [];
    let failure: unknown = null;
    const handed = new Map(handedBefore);
    /** Every database taken this call: marked again if the call fails before its documents are handed out. */
    const taken = new Set<string>();
    try {
      while (documents.length < batchSize && !failure) {
        const dbs = opts.dirty.take(opts.readable(), MAX_BATCH_DBS);
        if (!dbs.length) break;
        for (const db of dbs) taken.add(db);
        // Read again from its start; the mark goes only once a page of it arrived (a failed
        // request is retried from the stored checkpoint, which still holds the old sequence).
        for (const db of dbs) {
          if (!opts.restart?.has(db)) continue;
          const { [db]: _dropped, ...rest } = cp.seqs;
          cp = { seqs: rest };
        }
        const { since, limit } = pageRequest(dbs, cp, batchSize - documents.length);
        let answer;
        try {
          answer = await ask(since, limit);
        } catch (err) {
          for (const db of dbs) opts.dirty.mark(db);
          // Marked again above: they are read anew in any case.
          readAgain = [];
          if (err instanceof SessionMismatchError) throw err;
          failure = err;
          break;
        }
        // Each database's documents, deletions completed, before anything is taken from the answer.
        const pages = new Map<string, DocState[]>();
        for (const db of dbs) {
          const page = answer.results[db];
          if (!page) continue;
          let docs = changedDocs(page)
            .filter((r) => codec.accepts?.(db, r.doc) ?? true)
            .map((r) => codec.fromCouch(db, r.doc));
          if (opts.completeTombstones && docs.some((d) => d._deleted))
            docs = await opts.completeTombstones(docs, handed);
          pages.set(db, docs);
        }
        // Access withdrawn while the answer was on its way (or the deletions were completed): that
        // database's documents are not the person's any more, and it stays where it was.
        const readableNow = new Set(opts.readable());
        for (const db of dbs) {
          if (!readableNow.has(db)) continue;
          const outcome = outcomeOf(answer, db);
          // More of it follows, or it was not read this time (the answer was full, or the server failed on it).
          if (readsAgain(outcome)) opts.dirty.mark(db);
          if (outcome.kind === 'read') {
            const { page } = outcome;
            const docs = pages.get(db)!;
            opts.restart?.delete(db);
            if (isStart(since[db])) opts.onFirstPage?.(db, page.doc_count ?? docs.length);
            cp = advance(cp, db, page.last_seq);
            opts.onPage?.(db, docs.length);
            documents = documents.concat(docs);
            for (const d of docs) {
              const key = codec.keyOf(d);
              handed.delete(key);
              handed.set(key, d);
            }
          } else if (outcome.kind === 'withdrawn')
            opts.onDbRefused?.(db, httpError(outcome.refusal.status, outcome.refusal.reason));
          else if (outcome.failed) failure ??= httpError(outcome.failed.status, outcome.failed.reason);
        }
        for (const db of readAgain) if (answer.results[db] && readableNow.has(db)) opts.dirty.mark(db);
        readAgain = [];
      }
    } catch (err) {
      // Nothing of this call is handed out: every database it took is read again.
      for (const db of taken) opts.dirty.mark(db);
      readAgain = [];
      throw err;
    }
    handedBefore = keep(handed);
    if (failure) {
      if (!documents.length) throw failure;
      opts.onRetryLater?.(failure);
    } else if (documents.length >= batchSize) prefetch(cp, batchSize);
    return { documents, checkpoint: cp };
  };
}
