/**
 * The client data layer. The UI codes against these exports only:
 *
 *   openUserDb(me, options?) → Promise<AppDb>   one RxDB database per signed-in user, synced
 *   AppDb = {
 *     db                      the RxDatabase (Dexie/IndexedDB)
 *     collections             { tickets, tasks, approvals, assets, dispatch, notes, comments,
 *                             region }: RxCollection (comments: a ticket's comments and photo
 *                             references, one document each; region: all region reference
 *                             data, read it with regionQuery / regionDocs from './region')
 *     sync: SyncStatus        runes state: online, pending, lastSyncAt, errors, rejected,
 *                             conflicts, progress, progressRatio, active, leader
 *     media: { add(orgId, blob, {fileName, ref?, createdBy}) → id,
 *              url(orgId, id) → object URL, syncNow(dbs?),
 *              unsent() → UnsentMedia[] (refused with reason), blob(orgId, id), discard(orgId, id) }
 *     rejected: { list$ (SyncIssue[]), discard(issueId), retry(issueId) }
 *     conflicts: { list$ (SyncIssue[]), dismiss(issueId) }
 *     pending: { list$ (SyncIssue[]) }
 *     unsentWork()            what a wipe would lose (pending/refused edits, unsent/refused files)
 *     exportUnsent(items)     those as one JSON file (Blob), files as data URLs, and the files it could not read
 *     resyncNow()             pull everything now (and push what is pending)
 *     close()                 stop sync, close the database
 *   }
 *   wipeLocalData(userId)     remove every local store of the user (after close())
 *   queryTickets(collection, {status?, orgId?, text?, sort?, limit?}) → Observable<Ticket[]>
 *   findTickets(...)          the same, once → Promise<Ticket[]>
 *
 * Documents are written with the collection API (`insert`, `incrementalPatch`, …) and must
 * set `updatedAt`/`updatedBy` on every edit: the merge and the pending counter rely on them.
 * A refused document's issue id is `rejected:<collection>:<docId>`.
 */
import type { RxCollection, RxDatabase, RxStorage } from 'rxdb';
import type { Observable } from 'rxjs';
import type { DataCollection } from './collections';
import { createMedia, type MediaApi } from './media';
import { openCore, type Me } from './open-core';
import { localDoc$ } from './local-doc';
import type { EarlyPulls } from './early-pull';
import { discardRejected, retryRejected } from './rejected-actions';
import type { SyncIssue } from './sync-issues';
import { SyncStatus } from './sync-status.svelte';
import { sharedPart, type SharedSyncState } from './sync-status';
import { collectUnsentWork, exportUnsentWork, type UnsentExport, type UnsentItem } from './unsent-work';

export type { Me } from './open-core';
export type { SyncIssue } from './sync-issues';
export type { SyncError, SyncProgress, SyncSnapshot } from './sync-status';
export type { MediaApi, MediaSyncReport, UnsentMedia } from './media';
export type { UnsentItem } from './unsent-work';
export { SyncStatus } from './sync-status.svelte';
export { wipeLocalData } from './wipe';
export { queryTickets, findTickets, normalizeText, type TicketQuery, type TicketSort } from './query-tickets';
export { DATA_COLLECTIONS, type DataCollection } from './collections';
import type { PortalRowDoc } from '../domain/portal/portal-row';
export { regionDocs, regionQuery, regionKey, REGION_KIND_FIELD, type RegionKind, type RegionDocs } from './region';

export interface AppDb {
  db: RxDatabase;
  collections: Record<DataCollection, RxCollection>;
  sync: SyncStatus;
  media: Pick<MediaApi, 'add' | 'url' | 'syncNow' | 'unsent' | 'blob' | 'discard' | 'retry'>;
  rejected: {
    list$: Observable<SyncIssue[]>;
    discard(issueId: string): Promise<void>;
    retry(issueId: string): Promise<void>;
  };
  conflicts: { list$: Observable<SyncIssue[]>; dismiss(issueId: string): Promise<void> };
  pending: { list$: Observable<SyncIssue[]> };
  /** The approvals and tasks lists' rows, projected on the device (`portal-rows.ts`). */
  portalRows: RxCollection<PortalRowDoc>;
  /** The rows are catching up with many documents (`PortalProjector.filling$`). */
  portalFilling$: Observable<boolean>;
  /** What wiping the device would lose: unsent and refused edits, unsent and refused files. */
  unsentWork(): Promise<UnsentItem[]>;
  /** Those items as one JSON file (files as data URLs), to keep before wiping. */
  exportUnsent(items: UnsentItem[]): Promise<UnsentExport>;
  resyncNow(): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Defaults to Dexie (IndexedDB), with schema validation and dev-mode checks in dev builds. */
  storage?: RxStorage<unknown, unknown>;
  origin?: string;
  /** The cookie now belongs to another user (signed in in another tab): sync has stopped. */
  onSessionMismatch?: (actual: string) => void;
  /** The user's memberships or databases changed on the server; the data layer already follows. */
  onAccessChanged?: (me: Me) => void;
  /** A new device's first pages, asked while the app started (`early-pull.ts`). */
  early?: EarlyPulls | null;
  /** The collections the opened page shows, filled first on a new device (`startSync`). */
  firstSyncFirst?: readonly DataCollection[];
}

async function defaultStorage(): Promise<RxStorage<unknown, unknown>> {
  const storage = (await import('./lean-store')).appDexieStorage();
  if (!import.meta.env?.DEV) return storage;
  const [{ addRxPlugin }, { RxDBDevModePlugin, disableWarnings }, { wrappedValidateAjvStorage }] = await Promise.all([
    import('rxdb'),
    import('rxdb/plugins/dev-mode'),
    import('rxdb/plugins/validate-ajv')
  ]);
  disableWarnings();
  addRxPlugin(RxDBDevModePlugin);
  return wrappedValidateAjvStorage({ storage });
}

const SHARED_STATE_DOC = 'sync-state';

export async function openUserDb(me: Me, options: OpenOptions = {}): Promise<AppDb> {
  const status = new SyncStatus();
  let media: MediaApi | null = null;
  const core = await openCore(me, {
    storage: options.storage ?? (await defaultStorage()),
    origin: options.origin,
    early: options.early,
    firstSyncFirst: options.firstSyncFirst,
    emit: status.apply,
    onMediaChanged: (dbs) => void media?.syncNow(dbs),
    onSessionMismatch: (actual) => {
      void media?.close();
      options.onSessionMismatch?.(actual);
    },
    onAccessChanged: (next) => {
      void media?.updateAccess(next.databases);
      options.onAccessChanged?.(next);
    }
  });
  media = createMedia(me.user.id, me.databases, options.origin);
  const { issues } = core;
  // Files made offline (also before a reload) are sent now, on reconnect and every minute.
  media.start((list) =>
    status.apply({
      type: 'counts',
      mediaPending: list.length,
      mediaRefused: list.filter((u) => u.refused).length
    })
  );

  const subs = [
    issues.count$('pending').subscribe((n) => status.apply({ type: 'counts', pending: n })),
    issues.count$('rejected').subscribe((n) => status.apply({ type: 'counts', rejected: n })),
    issues.count$('conflict').subscribe((n) => status.apply({ type: 'counts', conflicts: n })),
    // Tabs that do not replicate show the leader's view, shared through a local document.
    localDoc$<SharedSyncState>(core.db, SHARED_STATE_DOC).subscribe((state) => {
      if (state) status.apply({ type: 'shared', state });
    })
  ];
  let lastShared = '';
  const shareTimer = setInterval(() => {
    if (!status.leader) return;
    const state = sharedPart(status.snapshot);
    const text = JSON.stringify(state);
    if (text === lastShared) return;
    lastShared = text;
    // Stored from its JSON text: the snapshot holds Svelte state proxies, which
    // BroadcastChannel (RxDB's multi-tab channel) cannot clone.
    void core.db.upsertLocal(SHARED_STATE_DOC, JSON.parse(text) as SharedSyncState).catch(() => undefined);
  }, 1000);

  const deps = { collections: core.collections, issues, client: core.client };
  const onlineListener = () => {
    status.apply({ type: 'browser-online', online: navigator.onLine });
    // Photos taken offline wait in the device's media store; send them when the network is back.
    if (navigator.onLine) void media?.syncNow().catch(() => undefined);
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('online', onlineListener);
    window.addEventListener('offline', onlineListener);
  }

  return {
    db: core.db,
    collections: core.collections,
    sync: status,
    media,
    rejected: {
      list$: issues.list$('rejected'),
      discard: (id) => discardRejected(deps, id),
      retry: (id) => retryRejected(deps, id)
    },
    conflicts: { list$: issues.list$('conflict'), dismiss: (id) => issues.dismiss(id) },
    pending: { list$: issues.list$('pending') },
    portalRows: core.portalRows,
    portalFilling$: core.projector.filling$,
    unsentWork: () => collectUnsentWork({ collections: core.collections, issues, media: media! }),
    exportUnsent: (items) =>
      exportUnsentWork({ collections: core.collections, issues, media: media! }, items, me.user.id),
    resyncNow() {
      core.sync.resyncNow();
      void media?.syncNow();
    },
    async close() {
      clearInterval(shareTimer);
      subs.forEach((s) => s.unsubscribe());
      if (typeof window !== 'undefined') {
        window.removeEventListener('online', onlineListener);
        window.removeEventListener('offline', onlineListener);
      }
      await media?.close();
      await core.close();
    }
  };
}
