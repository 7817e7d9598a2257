/**
 * Pull handler for one collection fed by several databases (one per organization).
 *
 * Guarantees: only databases marked changed are read (an event naming one database costs
 * one request, not one per organization); the composite checkpoint advances per database
 * only after its page was received; a database that fails with a network or server error
 * stays marked and the error goes to RxDB, which retries; a database the server refuses
 * (403/404: access withdrawn since sign-in) is skipped and reported, so it cannot stall the
 * others; an empty answer is only returned when every marked database is exhausted, which is
 * what tells RxDB the pull is done.
 */
import { advance, sinceFor, type CompositeCheckpoint, type DirtySet } from './checkpoint';
import { fromCouch, type DocState } from './couch-doc';
import { SyncHttpError, type CouchClient } from './couch-http';

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
}

export function createPullHandler(opts: PullOptions) {
  const parallel = opts.parallel ?? 4;
  return async function pull(checkpoint: CompositeCheckpoint | undefined, batchSize: number) {
    let cp: CompositeCheckpoint = checkpoint ?? { seqs: {} };
    let documents: DocState[] = [];
    // Loops past pages that held only design documents or unknown tombstones: an empty
    // result would end the pull while marked databases remain.
    for (;;) {
      const dbs = opts.dirty.take(opts.readable(), parallel);
      if (!dbs.length) break;
      const pages = await Promise.allSettled(dbs.map((db) => opts.client.changes(db, sinceFor(cp, db), batchSize)));
      let failure: unknown = null;
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
        cp = advance(cp, db, last_seq);
        if (results.length >= batchSize) opts.dirty.mark(db);
        const docs = results.filter((r) => r.doc && !r.id.startsWith('_design/')).map((r) => fromCouch(r.doc!));
        opts.onPage?.(db, docs.length);
        documents.push(...docs);
      });
      if (opts.completeTombstones && documents.some((d) => d._deleted))
        documents = await opts.completeTombstones(documents);
      if (failure && !documents.length) throw failure;
      if (documents.length || failure) break;
    }
    return { documents, checkpoint: cp };
  };
}
