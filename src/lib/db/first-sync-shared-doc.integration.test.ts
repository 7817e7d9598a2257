/**
 * A first sync must push nothing back. It runs on RxDB's Dexie storage over fake-indexeddb,
 * the browser's storage path (the direct `bulkAdd` of `first-sync-write.ts`), in Node. A person who reads several organizations' registers
 * receives some documents twice in one page: the server keeps a copy of a region-wide licence
 * agreement (`cover:<agreement>`) in every covered organization's register, under the same id.
 * The second copy is written after the page's new documents with the earlier write time the
 * page gave it; the upstream checkpoint must stay past the whole page, or RxDB's upstream
 * takes the rest of the page for the person's own edits and pushes them (the server refuses
 * them: a contractor may read a school's register, not change it).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { FetchLike } from './couch-http';
import { isLater } from './first-sync';
import { openCore, type Me } from './open-core';

let server: TestServer;
let fetchAs: FetchLike;
let me: Me;
const USER = 'technik.kt';

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await login(server.url, USER);
  fetchAs = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
  me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
});
afterAll(async () => server?.close());

describe('the first sync of a person who reads several registers', () => {
  it('stores the documents two databases share once and pushes nothing back', async () => {
    const writes: string[] = [];
    const deviceFetch: FetchLike = (input, init) => {
      const path = new URL(String(input)).pathname;
      if (path.endsWith('/_bulk_docs') || init?.method === 'PUT') writes.push(path);
      return fetchAs(input, init);
    };
    const storage = getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange });
    const core = await openCore(me, {
      storage,
      origin: server.url,
      fetch: deviceFetch,
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 200
    });
    try {
      await core.sync.awaitInitial();
      const rep = core.sync.replications.get('assets')!;
      await rep.awaitInSync();
      const assets = await core.collections.assets.find().exec();
      const covers = assets.filter((d) => d.primary.startsWith('cover:'));
      // The demo's premise: the registers this person reads share at least one cover.
      const coverCopies = (
        await Promise.all(
          me.databases
            .filter((d) => d.db.endsWith('_assets'))
            .map(async (d) => {
              const res = await fetchAs(
                `${server.url}/couch/${encodeURIComponent(d.db)}/_all_docs?startkey="cover:"&endkey="cover:\ufff0"`
              );
              return res.ok ? ((await res.json()) as { rows: unknown[] }).rows.length : 0;
            })
        )
      ).reduce((a, b) => a + b, 0);
      expect(coverCopies).toBeGreaterThan(covers.length);
      expect(covers.length).toBeGreaterThan(0);
      expect(writes).toEqual([]);
      expect(await core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
    } finally {
      await core.close();
    }
  });
});

describe('isLater (the order of storage checkpoints)', () => {
  it('orders by write time, then by key, and takes anything as later than nothing', () => {
    expect(isLater({ lwt: 2, id: 'a' }, undefined)).toBe(true);
    expect(isLater({ lwt: 2, id: 'a' }, { lwt: 1, id: 'z' })).toBe(true);
    expect(isLater({ lwt: 1, id: 'z' }, { lwt: 2, id: 'a' })).toBe(false);
    expect(isLater({ lwt: 2, id: 'b' }, { lwt: 2, id: 'a' })).toBe(true);
    expect(isLater({ lwt: 2, id: 'a' }, { lwt: 2, id: 'a' })).toBe(false);
  });
});
