/**
 * A new device's first pages, asked for while the app is still starting.
 *
 * On a device that holds nothing of the person, the sync's first request of each collection is
 * known as soon as the person is: every database of theirs from its start, the pull's first
 * page size. Between the answer of `/api/me` and the sync's own first request the app loads
 * its data layer and opens its stores (about 0.6 s on a 2-core machine); the server reads the
 * first pages meanwhile instead of afterwards. The pull takes such an answer only for exactly
 * the request it would make (`take`), once; any other request is asked anew. A device with
 * stores of the person's (a reload, a return) asks nothing early: its first requests carry its
 * checkpoints.
 *
 * Small on purpose: it loads beside the data layer, not inside it.
 */
import { MAX_BATCH_DBS, type BatchChangesResponse } from '../domain/sync-protocol';
import { DirtySet, pageRequest, requestKey, type SinceMap } from './checkpoint';
import { dbsByCollection, FILES_COLLECTION } from './db-feeds';
import { CouchClient, type FetchLike } from './couch-http';
import { listStores, rxDatabaseName } from './local-names';
import type { DbAccess } from './push-routing';

/** Documents per pull page (`replicateRxCollection`'s `batchSize`). */
export const PULL_BATCH_SIZE = 1000;

/**
 * The pull's first request of a collection on a device that read none of its databases: every
 * database starts marked (`DirtySet`) and no checkpoint holds a sequence, so the pull's own
 * choice (`take`, `pageRequest`) of those is the request.
 */
export function firstRequest(readable: readonly string[], batchSize: number): { since: SinceMap; limit: number } {
  return pageRequest(new DirtySet(readable).take(readable, MAX_BATCH_DBS), null, batchSize);
}

export interface EarlyPulls {
  /** The early answer of `collection`'s first request if it was exactly this one; asked once. */
  take(collection: string, since: SinceMap, limit: number): Promise<BatchChangesResponse> | null;
}

/** Longest the start waits to learn whether the browser holds the person's stores. */
const LOOKUP_MS = 300;

/** Whether this browser holds any store of the person's local database (yes when it cannot tell in time). */
async function holdsStoresOf(userId: string, stores: Promise<readonly string[] | null>): Promise<boolean> {
  const prefix = `rxdb-dexie-${rxDatabaseName(userId)}--`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      stores.then((names) => !names || names.some((name) => name.startsWith(prefix))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), LOOKUP_MS)))
    ]);
  } catch {
    return true;
  } finally {
    clearTimeout(timer);
  }
}

/** An answer nobody will read: its body is released, not left holding a connection. */
const release = (answer: Promise<Response>) => void answer.then((res) => res.body?.cancel()).catch(() => undefined);

/**
 * Asks every collection's first page now, when this device holds nothing of the person's; else
 * null. `stores` is the browser's list of databases when it was asked before (`listStores`).
 */
export async function startEarlyPulls(
  me: { user: { id: string }; databases: readonly DbAccess[] },
  opts: { origin?: string; fetch?: FetchLike; stores?: Promise<readonly string[] | null> } = {}
): Promise<EarlyPulls | null> {
  if (await holdsStoresOf(me.user.id, opts.stores ?? listStores())) return null;
  const fetchFn: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const client = new CouchClient(fetchFn, `${opts.origin ?? ''}/couch`, me.user.id);
  // The answers are kept unread: parsing a page is the page's work, and the app is starting.
  const asked = new Map<string, { key: string; answer: Promise<Response> }>();
  for (const [collection, dbs] of dbsByCollection(me.databases)) {
    if (collection === FILES_COLLECTION) continue;
    const { since, limit } = firstRequest(
      dbs.map((d) => d.db),
      PULL_BATCH_SIZE
    );
    const answer = client.changesBatchAnswer(since, limit);
    // An answer nobody takes (or a failure) is nobody's error: the pull asks again.
    answer.catch(() => undefined);
    asked.set(collection, { key: requestKey(since, limit), answer });
  }
  return {
    take(collection, since, limit) {
      const early = asked.get(collection);
      asked.delete(collection);
      if (!early) return null;
      if (early.key === requestKey(since, limit))
        return early.answer.then((res) => client.read<BatchChangesResponse>(res));
      release(early.answer);
      return null;
    }
  };
}
