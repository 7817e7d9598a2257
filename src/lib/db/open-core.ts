/**
 * Opens one user's local database and starts its sync. Kept free of Svelte so that it can
 * run under Node in integration tests against the real gateway (memory storage there,
 * Dexie/IndexedDB in the browser).
 */
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { assetsDbCollectionOf, CONTRACTS_DB_TYPES, isContractsDbRecord } from '../domain/assets/contracts-db';
import { isMediaCollection, parseDbName } from '../domain/databases';
import { collectionCreators, DATA_COLLECTIONS, type DataCollection } from './collections';
import { CouchClient, type FetchLike } from './couch-http';
import type { Me } from '../api';
import type { DbAccess } from './push-routing';
import { localCollectionOf } from './db-feeds';
import { startSync, type SyncHandle } from './replication';
import type { EarlyPulls } from './early-pull';
import type { DocState } from './couch-doc';
import { SYNC_ISSUES_COLLECTION, SyncIssues, type SyncIssue } from './sync-issues';
import type { SyncEvent } from './sync-status';
import { rxDatabaseName } from './local-names';
import { codecFor } from './region';
import { keepInboxFields } from './ticket-inbox';
import { keepDecidedAt } from './dispatch-time';
import { migrateRegionCollections } from './migrate-region';
import { moveLocalComments } from './move-comments';
import { loadStreamPosition, streamPositionSaver } from './stream-position';
import { sweepWhenAccessChanged } from './contracts-sweep';
import { PORTAL_ROWS_COLLECTION, startPortalProjector, type PortalProjector } from './portal-rows';
import type { PortalRowDoc } from '../domain/portal/portal-row';

addRxPlugin(RxDBLeaderElectionPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);

/** The answer of `GET /api/me`, as the app's API client reads it. */
export type { Me } from '../api';

export interface CoreOptions {
  storage: RxStorage<unknown, unknown>;
  /** Origin of the server; '' for the page's own origin. */
  origin?: string;
  fetch?: FetchLike;
  emit: (ev: SyncEvent) => void;
  multiInstance?: boolean;
  /** Without it the event stream is not opened (tests drive resync by hand). */
  events?: boolean;
  retryMs?: number;
  /** Reconnection delays of the event stream. */
  eventsBackoff?: { initialMs: number; maxMs: number };
  pullBatchSize?: number;
  /** A new device's first pages, asked while the app started (`early-pull.ts`). */
  early?: EarlyPulls | null;
  /** The collections the opened page shows, filled first on a new device (`startSync`). */
  firstSyncFirst?: readonly DataCollection[];
  onMediaChanged?: (dbs: string[]) => void;
  /** The session now belongs to another user: the sync has stopped; sign this window out. */
  onSessionMismatch?: (actual: string) => void;
  /** The user's databases changed on the server (granted or withdrawn); the device follows. */
  onAccessChanged?: (me: Me) => void;
}

export interface CoreDb {
  /** Re-reads the user's access from the server and follows it (also done on a 403 and on the `access` event). */
  refreshAccess(): Promise<void>;
  db: RxDatabase;
  collections: Record<DataCollection, RxCollection>;
  issues: SyncIssues;
  client: CouchClient;
  sync: SyncHandle;
  /** Organizations whose media database the user can read, with write permission. */
  mediaDbs: DbAccess[];
  /** The approvals and tasks lists' rows (`portal-rows.ts`), kept by `projector`. */
  portalRows: RxCollection<PortalRowDoc>;
  projector: PortalProjector;
  close(): Promise<void>;
}

export async function openCore(me: Me, opts: CoreOptions): Promise<CoreDb> {
  const origin = opts.origin ?? '';
  const fetchFn: FetchLike = opts.fetch ?? ((input, init) => fetch(input, init));
  const db = await createRxDatabase({
    name: rxDatabaseName(me.user.id),
    storage: opts.storage,
    multiInstance: opts.multiInstance ?? true,
    eventReduce: true,
    localDocuments: true,
    closeDuplicates: true
  });
  let issues: SyncIssues | null = null;
  const created = await db.addCollections(collectionCreators(() => issues!, me.user.id));
  issues = new SyncIssues(created[SYNC_ISSUES_COLLECTION] as RxCollection<SyncIssue>);
  const collections = Object.fromEntries(DATA_COLLECTIONS.map((c) => [c, created[c]])) as Record<
    DataCollection,
    RxCollection
  >;

  // Documents removed because access was withdrawn (`collection:key`): their removal is not
  // work of the person's, so it is neither pending nor sent.
  // The value is the database the document came from, so a grant given again can forget them.
  const purged = new Map<string, string>();
  keepInboxFields(collections.tickets);
  keepDecidedAt(collections.dispatch);
  // Every local edit (not the replication's own writes, which bypass hooks) is pending
  // until the push of that version succeeds.
  for (const name of DATA_COLLECTIONS) {
    const { keyOf } = codecFor(name);
    const mark = (data: Record<string, unknown>) =>
      issues!.markPending(name, keyOf(data), String(data.updatedAt ?? ''));
    collections[name].postInsert((data) => mark(data as never), false);
    collections[name].postSave((data) => mark(data as never), false);
    collections[name].postRemove(
      (data) => (purged.has(`${name}:${keyOf(data as never)}`) ? undefined : mark(data as never)),
      false
    );
  }

  try {
    await migrateRegionCollections(db, collections.region, issues);
  } catch (err) {
    // Another tab may be migrating the same store; the old data stays until the next open.
    console.warn('Region data migration did not finish:', err);
  }

  try {
    await moveLocalComments(collections.tickets, collections.comments, issues);
  } catch (err) {
    // Kept in the ticket until the next open; the server refuses the ticket meanwhile, with the reason.
    console.warn('Moving unsent comments out of tickets did not finish:', err);
  }

  const client = new CouchClient(fetchFn, `${origin}/couch`, me.user.id);
  let sync: SyncHandle | null = null;
  // Every sync request names this store's user; the server refuses a session of someone else.
  const onSessionMismatch = (actual: string) => {
    void sync?.stop();
    opts.emit({
      type: 'request-failed',
      at: new Date().toISOString(),
      status: 409,
      message: `Signed in as ${actual || 'someone else'} elsewhere; this window stopped syncing.`,
      key: 'session-mismatch'
    });
    opts.onSessionMismatch?.(actual);
  };
  // Access withdrawn or granted while the app runs: a 403 on a database, or the event stream's
  // `access` event, re-reads /api/me; new databases are read, withdrawn ones leave the device.
  let currentDbs = me.databases;
  let currentMemberships = me.user.memberships;
  let refreshing: Promise<void> | null = null;
  // Asked while a look was under way: that look's /api/me may predate the change, so one more follows.
  let askedAgain = false;
  const refreshAccess = (): Promise<void> => {
    if (refreshing) {
      askedAgain = true;
      return refreshing;
    }
    return (refreshing = (async () => {
      try {
        const res = await fetchFn(`${origin}/api/me`, { headers: { accept: 'application/json' } });
        if (!res.ok) return;
        const next = (await res.json()) as Me;
        if (next.user?.id !== me.user.id || !Array.isArray(next.databases)) return;
        const keep = new Set(next.databases.map((d) => d.db));
        const withdrawn = currentDbs.filter((d) => !keep.has(d.db)).map((d) => d.db);
        const changed =
          withdrawn.length > 0 ||
          next.databases.some((d) => !currentDbs.find((c) => c.db === d.db && c.write === d.write)) ||
          JSON.stringify(next.user.memberships) !== JSON.stringify(currentMemberships);
        const granted = new Set(next.databases.filter((d) => !currentDbs.some((c) => c.db === d.db)).map((d) => d.db));
        // Granted again: its documents come back and are the person's to change and delete.
        for (const [key, db] of purged) if (granted.has(db)) purged.delete(key);
        currentDbs = next.databases;
        currentMemberships = next.user.memberships;
        projector.refresh();
        started.updateAccess(next.databases);
        for (const db of withdrawn) await purgeDatabase(db);
        // A page the pull handed to the store before the withdrawal may be stored after that
        // purge: once it is, what of the database is on the device goes too.
        for (const db of withdrawn) void purgeOnceStored(db);
        if (changed) opts.onAccessChanged?.(next);
      } catch {
        // Offline or the server is down: the next 403 or event asks again.
      } finally {
        refreshing = null;
        if (askedAgain) {
          askedAgain = false;
          void refreshAccess();
        }
      }
    })());
  };
  const purgeOnceStored = async (db: string) => {
    const name = localCollectionOf(db) as DataCollection | null;
    if (!name) return;
    try {
      await started.whenStored(name);
      // Granted again meanwhile: its documents are the person's again.
      if (!currentDbs.some((d) => d.db === db)) await purgeDatabase(db);
    } catch {
      // Closed meanwhile: a store that is gone holds nothing to purge.
    }
  };
  const purgeDatabase = async (db: string) => {
    const ref = parseDbName(db);
    const name = localCollectionOf(db) as DataCollection | null;
    if (!ref || !name || !(name in collections)) return;
    const selector = ref.kind === 'region' ? { regionKind: ref.collection } : { orgId: ref.orgId };
    const found = (await collections[name].find({ selector }).exec()).map((d) => d.toJSON() as DocState);
    // The asset collection holds two databases per organization: only the withdrawn one's records go.
    const docs = name === 'assets' ? found.filter((d) => assetsDbCollectionOf(d) === ref.collection) : found;
    await purgeDocs(db, name, docs);
  };
  const purgeDocs = async (db: string, name: DataCollection, docs: DocState[]) => {
    const { keyOf } = codecFor(name);
    if (!docs.length) return;
    const pending = new Set(
      (await issues!.store.find({ selector: { kind: 'pending', collectionName: name } }).exec()).map((d) => d.docId)
    );
    // What can no longer be sent is kept aside with the reason, for the person to export.
    await issues!.setAside(
      name,
      docs
        .filter((d) => pending.has(keyOf(d)))
        .map((d) => ({
          docId: keyOf(d),
          code: 'no-access' as const,
          reason: `Access to ${db} was withdrawn; this change could not be sent.`,
          doc: d,
          serverDoc: null
        }))
    );
    for (const d of docs) purged.set(`${name}:${keyOf(d)}`, db);
    await collections[name].bulkRemove(docs.map(keyOf));
    // What could be sent is set aside above; nothing of this database is pending any more.
    const removed = new Set(docs.map(keyOf));
    await issues!.clear(
      'pending',
      name,
      [...pending].filter((id) => removed.has(id))
    );
  };

  // Contracts this user may no longer read leave the device (when the readable ones changed).
  const readable = new Set(me.databases.map((d) => d.db));
  await sweepWhenAccessChanged(db, readable, async () => {
    const [records, histories] = await Promise.all([
      collections.assets.find({ selector: { type: { $in: [...CONTRACTS_DB_TYPES] } } }).exec(),
      collections.assets.find({ selector: { refId: { $gte: 'contract:', $lt: 'contract;' } } }).exec()
    ]);
    const held = [...records, ...histories].map((d) => d.toJSON() as DocState).filter(isContractsDbRecord);
    const contractsDbOf = (d: DocState) => `org_${String(d.orgId)}_contracts`;
    const unreadable = held.filter((d) => !readable.has(contractsDbOf(d)));
    for (const db of new Set(unreadable.map(contractsDbOf)))
      await purgeDocs(
        db,
        'assets',
        unreadable.filter((d) => contractsDbOf(d) === db)
      );
  }).catch((err: unknown) => console.warn('Removing contracts this user may not read did not finish:', err));

  const portalRows = created[PORTAL_ROWS_COLLECTION] as RxCollection<PortalRowDoc>;
  const projector: PortalProjector = startPortalProjector({
    db,
    rows: portalRows,
    approvals: collections.approvals,
    tasks: collections.tasks,
    region: collections.region,
    user: () => ({ ...me.user, memberships: currentMemberships }),
    unsent: async () => {
      // Issue ids are `kind:collection:docId`: each pair is one range of the primary key.
      const ranges = ['pending', 'rejected'].flatMap((kind) =>
        ['approvals', 'tasks'].map((c) => ({ id: { $gte: `${kind}:${c}:`, $lt: `${kind}:${c};` } }))
      );
      const open = await Promise.all(ranges.map((selector) => issues!.store.find({ selector }).exec()));
      return new Set(open.flat().map((d) => d.docId));
    }
  });

  const streamed = opts.events !== false;
  sync = startSync({
    db,
    collections,
    databases: me.databases,
    client,
    issues,
    emit: opts.emit,
    eventsUrl: streamed ? `${origin}/api/events` : undefined,
    resumeFrom: streamed ? await loadStreamPosition(db) : undefined,
    streamFrom: me.eventsFrom,
    savePosition: streamed ? streamPositionSaver(db) : undefined,
    eventsFetch: opts.fetch,
    eventsBackoff: opts.eventsBackoff,
    retryMs: opts.retryMs,
    pullBatchSize: opts.pullBatchSize,
    early: opts.early,
    firstSyncFirst: opts.firstSyncFirst,
    onMediaChanged: opts.onMediaChanged,
    onSessionMismatch,
    onDbRefused: () => void refreshAccess(),
    onAccessChanged: () => void refreshAccess(),
    isPurged: (collection, key) => purged.has(`${collection}:${key}`)
  });
  const started = sync;
  const mediaDbs = me.databases.filter((d) => isMediaCollection(parseDbName(d.db)?.collection ?? ''));
  return {
    db,
    collections,
    issues,
    client,
    sync: started,
    mediaDbs,
    portalRows,
    projector,
    refreshAccess,
    async close() {
      projector.stop();
      await started.stop();
      await db.close();
    }
  };
}
