/**
 * A signed-in device for integration tests: the app's own data layer on memory storage,
 * talking to a real test server with the user's session, with a switch that cuts its network.
 * Tests only; kept beside the data layer it opens.
 */
import { removeRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { login } from '../../../sync-server/testing/server';
import type { FetchLike } from './couch-http';
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
}

export interface TestDevice {
  core: CoreDb;
  /** Set `offline` to make every request fail as without a network. */
  state: { offline: boolean };
  user: string;
  close(): Promise<void>;
}

export async function openTestDevice(
  serverUrl: string,
  username: string,
  options: TestDeviceOptions = {}
): Promise<TestDevice> {
  const cookie = await login(serverUrl, username);
  const state = { offline: false };
  const network: FetchLike = (input, init) => {
    if (state.offline) return Promise.reject(new TypeError('fetch failed'));
    return fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie, origin: serverUrl }
    });
  };
  const fetchAs = options.wrapFetch ? options.wrapFetch(network) : network;
  const me = (await (await network(`${serverUrl}/api/me`)).json()) as Me;
  const storage = getRxStorageMemory();
  const core = await openCore(me, {
    storage,
    origin: serverUrl,
    fetch: fetchAs,
    emit: options.emit ?? (() => undefined),
    multiInstance: false,
    events: false,
    retryMs: 200,
    pullBatchSize: options.pullBatchSize
  });
  if (!options.skipInitialWait) await core.sync.awaitInitial();
  const close = async () => {
    await core.close();
    await removeRxDatabase(rxDatabaseName(me.user.id), storage);
  };
  return { core, state, user: me.user.id, close };
}
