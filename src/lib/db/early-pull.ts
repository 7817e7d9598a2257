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
 * A first answer that is full is followed at once by the page after it, asked as the pull would
 * ask it once it took the first (`nextRequest`): the first answer arrives while the app still
 * opens its stores (0.6-0.7 s after it on a 2-core machine), and the server reads the second page
 * in that time instead of after it. The pull takes it as its next page only if the requests are
 * equal (`pull.ts`, its prefetch).
 *
 * Small on purpose: it loads beside the data layer, not inside it.
 */
import { MAX_BATCH_DBS, type BatchChangesResponse } from '../domain/sync-protocol';
import {
  advance,
  changedDocs,
  DirtySet,
  outcomeOf,
  pageRequest,
  readsAgain,
  requestKey,
  type CompositeCheckpoint,
  type SinceMap
} from './checkpoint';
import { dbsByCollection, FILES_COLLECTION } from './db-feeds';
import { CouchClient, type FetchLike } from './couch-http';
import { listStores, storePrefix } from './local-names';
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

/**
 * The request the pull makes after taking `answer` to the first request of `readable`: the
 * databases it leaves marked (not read to their end, or not read at all) on from where the answer
 * ended, for a next page of the same size. Null when the pull would ask none right after it (the
 * answer held fewer documents than asked, or named a database the server failed to read).
 */
export function nextRequest(
  readable: readonly string[],
  batchSize: number,
  answer: BatchChangesResponse
): { since: SinceMap; limit: number } | null {
  const dirty = new DirtySet(readable);
  let cp: CompositeCheckpoint = { seqs: {} };
  let documents = 0;
  for (const db of dirty.take(readable, MAX_BATCH_DBS)) {
    const outcome = outcomeOf(answer, db);
    // Failed on the server, it is retried later: the pull does not go on right after it.
    if (outcome.kind === 'unread' && outcome.failed) return null;
    if (readsAgain(outcome)) dirty.mark(db);
    if (outcome.kind === 'read') {
      cp = advance(cp, db, outcome.page.last_seq);
      documents += changedDocs(outcome.page).length;
    }
  }
  const dbs = dirty.peek(readable, MAX_BATCH_DBS);
  return documents >= batchSize && dbs.length ? pageRequest(dbs, cp, batchSize) : null;
}

export interface EarlyPulls {
  /**
   * The early answer of `collection`'s next request (its first, then the page after it) if it
   * was exactly this one. Each is taken once; a request that is not the next one drops them all.
   */
  take(collection: string, since: SinceMap, limit: number): Promise<BatchChangesResponse> | null;
}

/** Longest the start waits to learn whether the browser holds the person's stores. */
const LOOKUP_MS = 300;

/** Whether this browser holds any store of the person's local database (yes when it cannot tell in time). */
async function holdsStoresOf(userId: string, stores: Promise<readonly string[] | null>): Promise<boolean> {
  const prefix = storePrefix(userId);
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
  // Each collection's early answers in the order the pull asks for them. An answer is parsed as
  // it arrives (the pull would parse it the same way), to know the page after it.
  const queues = new Map<string, { key: string; answer: Promise<BatchChangesResponse> }[] | null>();
  for (const [collection, dbs] of dbsByCollection(me.databases)) {
    if (collection === FILES_COLLECTION) continue;
    const readable = dbs.map((d) => d.db);
    const { since, limit } = firstRequest(readable, PULL_BATCH_SIZE);
    const answer = client.changesBatch(since, limit);
    const queue = [{ key: requestKey(since, limit), answer }];
    queues.set(collection, queue);
    answer.then(
      (first) => {
        const next = nextRequest(readable, PULL_BATCH_SIZE, first);
        if (!next || queues.get(collection) !== queue) return;
        const following = client.changesBatch(next.since, next.limit);
        following.catch(() => undefined);
        queue.push({ key: requestKey(next.since, next.limit), answer: following });
      },
      // An answer nobody takes (or a failure) is nobody's error: the pull asks again.
      () => undefined
    );
  }
  return {
    take(collection, since, limit) {
      const queue = queues.get(collection);
      const early = queue?.shift();
      if (early && early.key === requestKey(since, limit)) return early.answer;
      // Not the request asked early: neither is anything after it.
      queues.set(collection, null);
      return null;
    }
  };
}
