/**
 * A first sync must push nothing back. It runs on RxDB's Dexie storage over fake-indexeddb,
 * the browser's storage path (the direct `bulkAdd` of `first-sync-write.ts`), in Node.
 *
 * A person who reads several registers can receive one id from two databases in one page:
 * copies of a region-wide licence agreement were kept under `cover:<agreement>` in every
 * covered register before the organization became part of their id, and a server not yet
 * restarted (or a store restored from an older backup) still holds them. The second copy is
 * written after the page's new documents with the earlier write time the page gave it; the
 * upstream checkpoint must stay past the whole page, or RxDB's upstream takes the rest of the
 * page for the person's own edits and pushes them (the server refuses them: a contractor may
 * read a school's register, not change it).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { FetchLike } from './couch-http';
import { isLater } from './first-sync';
import { openTestDevice } from './test-device';

let server: TestServer;
const USER = 'technik.kt';
const EARLIER_ID = 'cover:lic:ku:m365';

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('the first sync of a person who reads several registers', () => {
  it('stores an id two databases share once and pushes nothing back', async () => {
    // Copies under the earlier id, in two registers this person reads.
    for (const org of ['gym-kt', 'sos-do']) {
      const db = server.app.couch.use<Record<string, unknown>>(`org_${org}_assets`);
      const { _id: _i, _rev: _r, ...copy } = await db.get(`cover:${org}:lic:ku:m365`);
      await db.insert({ ...copy, _id: EARLIER_ID } as never);
    }
    const writes: string[] = [];
    const recordWrites =
      (network: FetchLike): FetchLike =>
      (input, init) => {
        const path = new URL(String(input)).pathname;
        if (path.endsWith('/_bulk_docs') || init?.method === 'PUT') writes.push(path);
        return network(input, init);
      };
    const device = await openTestDevice(server.url, USER, {
      storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
      wrapFetch: recordWrites
    });
    const core = device.core;
    try {
      await core.sync.awaitInitial();
      const rep = core.sync.replications.get('assets')!;
      await rep.awaitInSync();
      const local = new Set((await core.collections.assets.find().exec()).map((d) => d.primary));
      expect(local.has(EARLIER_ID)).toBe(true);
      // Every copy under the current ids is on the device: one per register it reads.
      for (const org of ['gym-kt', 'sos-do']) {
        const ids = (
          await server.app.couch
            .use(`org_${org}_assets`)
            .list({ startkey: `cover:${org}:`, endkey: `cover:${org}:\ufff0` })
        ).rows.map((r) => r.id);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) expect(local.has(id), id).toBe(true);
      }
      expect(writes).toEqual([]);
      expect(await core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
    } finally {
      await device.close();
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
