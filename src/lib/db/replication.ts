/**
 * One replication per collection (RxDB's generic replication, not `replicateCouchDB`):
 * a collection is fed by one database per organization, pushes go to the database of each
 * document's own organization, refused documents are set aside, and change notifications
 * come from the single `/api/events` stream instead of a long-poll per database.
 *
 * Only the tab elected leader replicates (`waitForLeadership`) and holds the event stream;
 * other tabs see the results through the shared IndexedDB and RxDB's cross-tab broadcast.
 * Catch-up without events: on `online`, and on a timer (every minute while the stream is down).
 * The user's databases may change while it runs (`updateAccess`): new ones are read from the
 * start, withdrawn ones are no longer asked for.
 */
import type { RxCollection, RxDatabase } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { filter, firstValueFrom, Subject } from 'rxjs';
import { listenForChanges, type ChangeEventsHandle } from './change-events';
import { DirtySet, type CompositeCheckpoint } from './checkpoint';
import { DATA_COLLECTIONS, type DataCollection } from './collections';
import type { DocState } from './couch-doc';
import { SessionMismatchError, SyncHttpError, type CouchClient, type FetchLike } from './couch-http';
import { firstSync, keepBaseOnFirstEdit, replicationMeta, settledWithServer, withoutServerStates } from './first-sync';
import { createPullHandler } from './pull';
import { createPushHandler } from './push';
import type { DbAccess } from './push-routing';
import { codecFor, type DocCodec } from './region';
import { dbsByCollection, localCollectionOf } from './db-feeds';
import { PULL_BATCH_SIZE, type EarlyPulls } from './early-pull';
import type { SyncEvent } from './sync-status';
import type { SyncIssues } from './sync-issues';

export interface SyncOptions {
  db: RxDatabase;
  collections: Record<DataCollection, RxCollection>;
  databases: readonly DbAccess[];
  client: CouchClient;
  issues: SyncIssues;
  emit: (ev: SyncEvent) => void;
  /** URL of the event stream; none in tests that drive resync by hand. */
  eventsUrl?: string;
  /** Fetch for the event stream (the page's own by default). */
  eventsFetch?: FetchLike;
  /** Reconnection delays of the event stream. */
  eventsBackoff?: { initialMs: number; maxMs: number };
  /** Fallback catch-up period while the event stream is up / down. */
  fallbackMs?: { connected: number; disconnected: number };
  /** RxDB's wait between retries of a failed pull or push. */
  retryMs?: number;
  /** Documents per pull (RxDB's `batchSize`); small values in tests exercise paging. */
  pullBatchSize?: number;
  /** Databases the replication skipped (withdrawn access) are reported here too. */
  onDbRefused?: (db: string, reason: string) => void;
  /** Media databases named by the event stream, for the media sync. */
  onMediaChanged?: (dbs: string[]) => void;
  /** The event stream says the user's access changed. */
  onAccessChanged?: () => void;
  /** Local documents removed because access was withdrawn: their deletion is not pushed. */
  isPurged?: (collection: string, key: string) => boolean;
  /** The server says the browser's session belongs to another user: the sync stops, nothing moved. */
  onSessionMismatch?: (actual: string) => void;
  /**
   * The event stream's position this device saved when it had read everything announced up
   * to it (`stream-position.ts`). Given, the sync starts without reading every database: it
   * resumes the stream from there and reads what the server says changed since, plus any
   * database its checkpoint does not know.
   */
  resumeFrom?: string;
  /**
   * The stream's position before this start's first read (the server's, from `/api/me`),
   * without a saved one: every database is read as usual, and the stream's first connection
   * asks from there, so the server names what changed since instead of every database being
   * read again (`readAgainAfterFirstConnection`, for a server that gives none).
   */
  streamFrom?: string;
  /** A new device's first pages, asked while the app started (`early-pull.ts`). */
  early?: EarlyPulls | null;
  /** Saves the position once everything announced up to it has been read. */
  savePosition?: (id: string) => void;
  /**
   * The collections the page the person opened shows. Their first syncs run first; the other
   * collections' begin once those are stored, so the page fills before the rest of the device.
   */
  firstSyncFirst?: readonly DataCollection[];
}

export interface SyncHandle {
  replications: Map<DataCollection, RxReplicationState<DocState, CompositeCheckpoint>>;
  /** Marks every database changed and pulls (and pushes) everything now. */
  resyncNow(): void;
  /** The user's databases changed: read the new ones, stop asking for the withdrawn ones. */
  updateAccess(databases: readonly DbAccess[]): void;
  /** Resolves when every collection finished its first pull. */
  awaitInitial(): Promise<void>;
  /**
   * Resolves once every page this device's pull of `collection` handed out before the call is
   * stored (the first sync ended and RxDB's replication is idle); at once where this tab does
   * not replicate.
   */
  whenStored(collection: DataCollection): Promise<void>;
  stop(): Promise<void>;
}

const nowIso = () => new Date().toISOString();

/**
 * A stream opened without a saved position replays nothing: a change made between a database's
 * read (early pages, the first sync's) and the stream's first connection was announced to
 * nobody. Returns the databases to read once more from their checkpoints, after the stream
 * listens: every one read to its end so far, or being read. One still marked is read again
 * anyway, unless a page of it was asked before this moment and is taken after it (an early
 * page, a page asked ahead): the pull reads such a page's databases once more (`markReadsStale`).
 */
export function readAgainAfterFirstConnection(
  dirtyByCollection: ReadonlyMap<string, DirtySet>,
  dbs: readonly string[]
): string[] {
  for (const dirty of dirtyByCollection.values()) dirty.markReadsStale();
  return dbs.filter((db) => {
    // Files have no dirty set: they are not read here.
    const dirty = dirtyByCollection.get(localCollectionOf(db) ?? '');
    return !!dirty && !dirty.has(db);
  });
}

export function startSync(opts: SyncOptions): SyncHandle {
  const { client, issues, emit } = opts;
  // The user's databases can change while the app runs (a membership granted or withdrawn).
  let current: readonly DbAccess[] = opts.databases;
  let byCollection = dbsByCollection(current);
  const dirtyByCollection = new Map<string, DirtySet>();
  const resync$ = new Map<string, Subject<'RESYNC'>>();
  const replications = new Map<DataCollection, RxReplicationState<DocState, CompositeCheckpoint>>();
  const activeCount = new Set<string>();
  // RxDB's active$ starts as false before the first pull; "synced" is only true once every
  // replication has run at least once and none is running.
  const ranOnce = new Set<string>();
  let replicationCount = Infinity;
  let sawError = false;

  let mismatch = false;
  let stopped = false;
  const stopping = new AbortController();
  const releases: (() => Promise<void>)[] = [];
  /** Per collection, the leader's first sync and the start of RxDB's replication after it. */
  const started = new Map<string, Promise<void>>();
  const reportFailure = (key: string, err: unknown) => {
    if (err instanceof SessionMismatchError) {
      // Reported once, by the owner of the store; every other collection stops with it.
      if (!mismatch) opts.onSessionMismatch?.(err.actual);
      mismatch = true;
      return;
    }
    sawError = true;
    const status = err instanceof SyncHttpError ? err.status : undefined;
    emit({ type: 'request-failed', at: nowIso(), status, message: (err as Error).message ?? String(err), key });
  };
  const report = <T>(key: string, p: Promise<T>): Promise<T> =>
    p.then(
      (v) => {
        emit({ type: 'request-ok', at: nowIso() });
        return v;
      },
      (err: unknown) => {
        reportFailure(key, err);
        throw err;
      }
    );
  const retryTimers = new Set<ReturnType<typeof setTimeout>>();
  const restart = new Set<string>();
  // After a session of another user nothing more is asked; the owner of the store stops the sync.
  const verified = async <T>(run: () => Promise<T>): Promise<T> => {
    if (mismatch) throw new SessionMismatchError('');
    return run();
  };
  // First-sync progress: the documents of every database read from its beginning, as the
  // batched feed tells them with the first page (no request of its own).
  const counted = new Set<string>();
  let expected = 0;
  const countFirstPage = (db: string, docCount: number) => {
    if (counted.has(db)) return;
    counted.add(db);
    expected += docCount;
    emit({ type: 'first-sync-expected', expected });
  };

  let events: ChangeEventsHandle | null = null;
  // The stream position is saved only while nothing announced is left to read: every database
  // an event named was marked before its id got here, and stays marked until read.
  let savedPosition = opts.resumeFrom;
  // Where the stream's first connection asks from: the saved position, else the server's before
  // this start's first read. Without either, what was read before it is read once more.
  const streamStart = opts.resumeFrom ?? opts.streamFrom;
  function savePositionIfRead() {
    const id = events?.lastEventId;
    if (!id || id === savedPosition || !opts.savePosition) return;
    if (activeCount.size > 0 || ranOnce.size < replicationCount) return;
    for (const d of dirtyByCollection.values()) if (d.size > 0) return;
    savedPosition = id;
    opts.savePosition(id);
  }

  // A first sync is bound by the device's CPU (the store's index writes): the rest wait instead of
  // sharing the cores with the collections the person is looking at.
  const ahead = new Set(DATA_COLLECTIONS.filter((c) => opts.firstSyncFirst?.includes(c)));
  let aheadLeft = ahead.size;
  let releaseRest = () => {};
  const restMayStart = aheadLeft > 0 ? new Promise<void>((resolve) => (releaseRest = resolve)) : Promise.resolve();
  const aheadStored = () => {
    if (--aheadLeft === 0) releaseRest();
  };

  /** The event stream is open; it has been open once (its first connection marks what was read before it). */
  let connected = false;
  let everConnected = false;
  for (const name of DATA_COLLECTIONS) {
    const dbs = () => byCollection.get(name) ?? [];
    const readable = () => dbs().map((d) => d.db);
    // Every collection replicates, also one without a database yet: a grant may bring one.
    // Resuming a saved stream position, only what the stream names (and unknown databases) is read.
    const dirty = new DirtySet(opts.resumeFrom ? [] : readable());
    dirtyByCollection.set(name, dirty);
    const trigger = new Subject<'RESYNC'>();
    resync$.set(name, trigger);
    const codec = codecFor(name);
    const pull = createPullHandler({
      client,
      codec,
      restart,
      readable,
      dirty,
      completeTombstones: (docs, handed) => completeTombstones(opts.collections[name], docs, codec, handed),
      onPage: (_db, count) => emit({ type: 'pulled', count }),
      onDbRefused: (db, err) => opts.onDbRefused?.(db, err.reason ?? err.message),
      onFirstPage: countFirstPage,
      markUnknown: !!opts.resumeFrom,
      takeEarly: opts.early ? (since, limit) => opts.early!.take(name, since, limit) : undefined,
      stop: stopping.signal,
      // The pull kept what other databases delivered; RxDB only retries a pull that threw.
      onRetryLater: (err) => {
        reportFailure(`pull:${name}`, err);
        const t = setTimeout(() => {
          retryTimers.delete(t);
          trigger.next('RESYNC');
        }, opts.retryMs ?? 15_000);
        retryTimers.add(t);
      }
    });
    const collection = opts.collections[name] as RxCollection<DocState>;
    const push = createPushHandler({
      client,
      codec,
      collection: name,
      access: dbs,
      isPurged: opts.isPurged,
      onDbRefused: (db) => opts.onDbRefused?.(db, 'refused'),
      current: async (keys) => {
        const docs = await collection.storageInstance.findDocumentsById(keys, true);
        return new Map(docs.map((d) => [String(d[collection.schema.primaryPath as keyof typeof d]), d as DocState]));
      },
      issues,
      onRejected: (refusals) =>
        refusals.forEach((r) =>
          emit({
            type: 'request-failed',
            at: nowIso(),
            status: 403,
            message: r.reason,
            key: `rejected:${name}:${r.id}`
          })
        )
    });
    const pullPage = (cp: CompositeCheckpoint | undefined, batchSize: number) =>
      report(
        `pull:${name}`,
        verified(() => pull(cp, batchSize))
      );
    const batchSize = opts.pullBatchSize ?? PULL_BATCH_SIZE;
    const replicationIdentifier = `gateway-${name}`;
    const rxCollection = collection as unknown as RxCollection;
    const meta = replicationMeta(rxCollection, replicationIdentifier);
    releases.push(meta.release);
    keepBaseOnFirstEdit(rxCollection, meta);
    const editsOnly = withoutServerStates(rxCollection, meta);
    const settled = settledWithServer(rxCollection, meta);
    const rep = replicateRxCollection<DocState, CompositeCheckpoint>({
      collection,
      replicationIdentifier,
      deletedField: '_deleted',
      live: true,
      retryTime: opts.retryMs ?? 15_000,
      waitForLeadership: true,
      // Started by the leader below, after the first sync's own path (`first-sync.ts`).
      autoStart: false,
      pull: {
        handler: (cp, size) => pullPage(cp ?? undefined, size),
        // Large pages: a first sync is bound by round trips and per-batch storage work, not by size.
        batchSize,
        stream$: trigger.asObservable()
      },
      push: {
        handler: (rows) =>
          report(
            `push:${name}`,
            verified(async () => {
              const edits = await editsOnly(rows);
              return edits.length ? push(edits as never) : [];
            })
          ),
        batchSize: 50
      }
    });
    // A round of this collection's replication has ended (only the leader tab's ever starts one).
    let wasActive = false;
    rep.active$.subscribe((active) => {
      const roundEnded = wasActive && !active;
      wasActive = active;
      if (active) {
        activeCount.add(name);
        ranOnce.add(name);
      } else activeCount.delete(name);
      emit({ type: 'active', active: activeCount.size > 0 });
      const allRan = ranOnce.size >= replicationCount;
      if (!active && activeCount.size === 0 && allRan && !sawError) emit({ type: 'synced', at: nowIso() });
      if (active) sawError = false;
      if (!active) savePositionIfRead();
      // After a round ended without an error: marks of writes RxDB found nothing to push for (it
      // reads only the device; a write not yet sent differs from the server's state and stays).
      if (roundEnded && !sawError && !stopped)
        issues.clearSettled(name, settled).catch((err: unknown) => console.warn('pending marks not settled:', err));
    });
    replications.set(name, rep);
    // Only the leader replicates; an empty store is filled page by page without RxDB's
    // per-document bookkeeping, then RxDB's replication continues from its checkpoints.
    const isAhead = ahead.has(name);
    const leading = opts.db
      .waitForLeadership()
      .then(async () => {
        if (stopped) return;
        activeCount.add(name);
        emit({ type: 'active', active: true });
        if (!isAhead) await restMayStart;
        if (stopped) return;
        const run = await firstSync({
          collection,
          replicationIdentifier,
          pull: pullPage,
          batchSize,
          stopped: () => stopped || mismatch,
          onAbandon: () => dirty.markAll(readable())
        })
          .catch((err: unknown) => {
            // Nothing was stored without its checkpoint: RxDB's replication does the whole sync.
            console.warn('First sync could not start:', err);
            return null;
          })
          .finally(() => {
            if (isAhead) aheadStored();
          });
        try {
          if (!stopped) await rep.start();
        } finally {
          await run?.release();
        }
      })
      .catch((err: unknown) => reportFailure(`pull:${name}`, err));
    started.set(name, leading);
  }
  replicationCount = replications.size;

  const markChanged = (names: string[]) => {
    const touched = new Set<string>();
    const media: string[] = [];
    for (const db of names) {
      const name = localCollectionOf(db);
      if (!name) continue;
      if (name === 'media') media.push(db);
      const dirty = dirtyByCollection.get(name);
      if (!dirty) continue;
      dirty.mark(db);
      touched.add(name);
    }
    for (const c of touched) resync$.get(c)?.next('RESYNC');
    if (media.length) opts.onMediaChanged?.(media);
  };
  const resyncAll = () => {
    for (const [name, dirty] of dirtyByCollection) {
      dirty.markAll((byCollection.get(name) ?? []).map((d) => d.db));
      replications.get(name as DataCollection)?.reSync();
    }
  };

  let timer: ReturnType<typeof setTimeout> | null = null;
  // While the stream is down nothing announces changes: catch up every minute until it is back.
  const fallback = opts.fallbackMs ?? { connected: 30 * 60_000, disconnected: 60_000 };
  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(
      () => {
        resyncAll();
        schedule();
      },
      connected ? fallback.connected : fallback.disconnected
    );
  };
  const onOnline = () => {
    emit({ type: 'browser-online', online: true });
    resyncAll();
  };
  const onOffline = () => emit({ type: 'browser-online', online: false });

  // Events, timers and the online listener belong to the leader, like the replication.
  void opts.db.waitForLeadership().then(() => {
    if (stopped) return;
    emit({ type: 'leader', leader: true });
    if (opts.eventsUrl) {
      events = listenForChanges(
        opts.eventsUrl,
        {
          changed: markChanged,
          resyncAll,
          connected: (open) => {
            // The status tells a lost live stream (and the gap it later recovered from) in words.
            if (open !== connected) emit({ type: 'live', connected: open, at: nowIso() });
            if (open && !connected) {
              emit({ type: 'request-ok', at: nowIso() });
              emit({ type: 'clear-error', key: 'events' });
              // An `access` event sent while this device was away is not replayed: ask again.
              opts.onAccessChanged?.();
            }
            if (open && !everConnected) {
              everConnected = true;
              if (!streamStart)
                markChanged(
                  readAgainAfterFirstConnection(
                    dirtyByCollection,
                    current.map((d) => d.db)
                  )
                );
            }
            if (open !== connected) {
              connected = open;
              schedule();
            }
          },
          accessChanged: () => opts.onAccessChanged?.(),
          position: () => savePositionIfRead(),
          failed: (status) =>
            emit({
              type: 'request-failed',
              at: nowIso(),
              status,
              message: `live updates: HTTP ${status}`,
              key: 'events'
            })
        },
        { fetch: opts.eventsFetch, backoff: opts.eventsBackoff, lastEventId: streamStart }
      );
    }
    if (typeof window !== 'undefined') {
      window.addEventListener('online', onOnline);
      window.addEventListener('offline', onOffline);
    }
    schedule();
  });

  return {
    replications,
    resyncNow: resyncAll,
    updateAccess(databases) {
      const before = new Set(current.map((d) => d.db));
      // A withdrawn database's documents leave the device; if it is granted again, read it all.
      for (const d of current) if (!databases.some((n) => n.db === d.db)) restart.add(d.db);
      current = databases;
      byCollection = dbsByCollection(databases);
      // A newly granted database is read from its beginning (the checkpoint does not know it).
      markChanged(databases.map((d) => d.db).filter((db) => !before.has(db)));
    },
    async awaitInitial() {
      await Promise.all([...replications.values()].map((r) => r.awaitInitialReplication()));
    },
    async whenStored(collection) {
      const rep = replications.get(collection);
      if (!rep || !opts.db.isLeader()) return;
      await started.get(collection);
      // RxDB's pull is active from asking a page until every page it asked is stored.
      await firstValueFrom(rep.active$.pipe(filter((active) => !active)));
    },
    async stop() {
      stopped = true;
      stopping.abort();
      releaseRest();
      if (timer) clearTimeout(timer);
      retryTimers.forEach(clearTimeout);
      events?.close();
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', onOnline);
        window.removeEventListener('offline', onOffline);
      }
      await Promise.all([...replications.values()].map((r) => r.cancel()));
      await Promise.all(releases.map((release) => release()));
    }
  };
}

/**
 * A tombstone made outside the app has no content; it gets the local document's last content
 * (so it still fits the schema), and is dropped when there is nothing to delete. A document the
 * pull handed out lately (`handed`) may not be stored yet: then its content is taken from there,
 * or the deletion would be dropped and the document stay on the device.
 */
async function completeTombstones(
  collection: RxCollection,
  docs: DocState[],
  codec: DocCodec,
  handed: ReadonlyMap<string, DocState>
): Promise<DocState[]> {
  const isBare = (d: DocState) =>
    d._deleted && Object.keys(d).filter((k) => !codec.localFields.includes(k)).length <= 2;
  const bare = docs.filter(isBare).map((d) => codec.keyOf(d));
  if (!bare.length) return docs;
  const local = await collection.findByIds(bare).exec();
  return docs.flatMap((d) => {
    if (!isBare(d)) return [d];
    const key = codec.keyOf(d);
    const last = (local.get(key)?.toJSON() as DocState | undefined) ?? handed.get(key);
    return last ? [{ ...last, _deleted: true }] : [];
  });
}
