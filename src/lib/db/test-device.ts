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

export interface TestDevice {
  core: CoreDb;
  /** Set `offline` to make every request fail as without a network. */
  state: { offline: boolean };
  user: string;
  close(): Promise<void>;
}

export async function openTestDevice(serverUrl: string, username: string): Promise<TestDevice> {
  const cookie = await login(serverUrl, username);
  const state = { offline: false };
  const fetchAs: FetchLike = (input, init) => {
    if (state.offline) return Promise.reject(new TypeError('fetch failed'));
    return fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie, origin: serverUrl }
    });
  };
  const me = (await (await fetchAs(`${serverUrl}/api/me`)).json()) as Me;
  const storage = getRxStorageMemory();
  const core = await openCore(me, {
    storage,
    origin: serverUrl,
    fetch: fetchAs,
    emit: () => undefined,
    multiInstance: false,
    events: false,
    retryMs: 200
  });
  await core.sync.awaitInitial();
  const close = async () => {
    await core.close();
    await removeRxDatabase(rxDatabaseName(me.user.id), storage);
  };
  return { core, state, user: me.user.id, close };
}
