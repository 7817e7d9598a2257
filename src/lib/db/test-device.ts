/**
 * A signed-in device for integration tests: the app's own data layer on memory storage,
 * talking to a real test server with the user's session, with a switch that cuts its network.
 * Tests only; kept beside the data layer it opens.
 */
import { removeRxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { login } from '../../../sync-server/testing/server';
import type { DataCollection } from './collections';
import type { FetchLike } from './couch-http';
import { startEarlyPulls } from './early-pull';
import { rxDatabaseName } from './local-names';
import { openCore, type CoreDb, type Me } from './open-core';
import type { SyncEvent } from './sync-status';

export interface TestDeviceOptions {
  /** Wraps the device's network (fault injection: lost answers, 5xx, a server restart). */
  wrapFetch?: (fetch: FetchLike) => FetchLike;
  pullBatchSize?: number;
  /** Receives the sync events the status bar is built from. */
  emit?: (ev: SyncEvent) => void;
  /** Resolve before the first sync has finished (default: after it). */
  skipInitialWait?: boolean;
  /** Open the event stream (off by default: tests drive the sync by hand). */
  events?: boolean;
  /** The device's storage (default: RxDB's memory storage; the browser's path is Dexie's). */
  storage?: RxStorage<unknown, unknown>;
  /**
   * Ask the first pages while the app starts, as a new browser does (`early-pull.ts`); only at
   * the first start, and only where `globalThis.indexedDB` shows no store of the person.
   */
  earlyPulls?: boolean;
  /** Leave out the stream position `/api/me` gives, as a server before it did. */
  withoutStreamPosition?: boolean;
  /** The collections the opened page shows (`startSync`'s `firstSyncFirst`). */
  firstSyncFirst?: readonly DataCollection[];
}

export interface TestDevice {
  readonly core: CoreDb;
  /**
   * Set `offline` to make every request fail as without a network; `target` sends the
   * device's requests to another server (a restarted one, or a second instance on the same
   * store) while it keeps its own origin, as behind one address.
   */
  state: { offline: boolean; target: string };
  user: string;
  /** Every request path the device made, in order (e.g. `/api/changes`, `/couch/org_x_tickets/_bulk_docs`). */
  requests: string[];
  /** Every database whose changes the device asked for, once per ask, in order (one feed or the batched feed). */
  changesRead: string[];
  /** Ends the open connections (the event stream included), as a network change does. */
  cut(): void;
  /**
   * Closes the app and opens it again on the same local store, as a page reload does;
   * `meanwhile` runs while it is closed. Waits for the first pull unless offline.
   */
  reload(meanwhile?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export async function openTestDevice(
  serverUrl: string,
  username: string,
  options: TestDeviceOptions = {}
): Promise<TestDevice> {
  const cookie = await login(serverUrl, username);
  const state = { offline: false, target: serverUrl };
  const requests: string[] = [];
  const changesRead: string[] = [];
  const open = new Set<AbortController>();
  const network: FetchLike = async (input, init) => {
    if (state.offline) throw new TypeError('fetch failed');
    const url = String(input).replace(serverUrl, state.target);
    const pathname = url.slice(state.target.length);
    requests.push(pathname);
    const single = /^\/couch\/([^/]+)\/_changes/.exec(pathname);
    if (single) changesRead.push(decodeURIComponent(single[1]));
    if (pathname.startsWith('/api/changes') && typeof init?.body === 'string')
      changesRead.push(...Object.keys((JSON.parse(init.body) as { since?: object }).since ?? {}));
    const controller = new AbortController();
    init?.signal?.addEventListener('abort', () => controller.abort());
    open.add(controller);
    try {
      return await fetch(url, {
        ...init,
        signal: controller.signal,
        headers: { ...(init?.headers as Record<string, string>), cookie, origin: state.target }
      });
    } finally {
      // Streams stay cancellable until the test cuts them; other requests are done.
      if (!String(input).includes('/api/events')) open.delete(controller);
    }
  };
  const fetchAs = options.wrapFetch ? options.wrapFetch(network) : network;
  const me = (await (await network(`${serverUrl}/api/me`)).json()) as Me;
  if (options.withoutStreamPosition) delete me.eventsFrom;
  const storage = options.storage ?? getRxStorageMemory();
  let early = options.earlyPulls ? await startEarlyPulls(me, { origin: serverUrl, fetch: fetchAs }) : null;
  const start = () => {
    // A reload is no new device: only the first start takes the early pages.
    const firstStart = early;
    early = null;
    return openCore(me, {
      early: firstStart,
      storage,
      origin: serverUrl,
      fetch: fetchAs,
      emit: options.emit ?? (() => undefined),
      multiInstance: false,
      events: options.events ?? false,
      eventsBackoff: { initialMs: 100, maxMs: 1000 },
      retryMs: 200,
      pullBatchSize: options.pullBatchSize,
      firstSyncFirst: options.firstSyncFirst
    });
  };
  let core = await start();
  if (!options.skipInitialWait) await core.sync.awaitInitial();
  const close = async () => {
    await core.close();
    await removeRxDatabase(rxDatabaseName(me.user.id), storage);
  };
  return {
    get core() {
      return core;
    },
    state,
    user: me.user.id,
    requests,
    changesRead,
    cut() {
      for (const c of open) c.abort();
      open.clear();
    },
    async reload(meanwhile) {
      await core.close();
      await meanwhile?.();
      core = await start();
      if (!state.offline) await core.sync.awaitInitial();
    },
    close
  };
}
