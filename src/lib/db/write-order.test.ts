/**
 * A device whose clock ran fast (set by hand, a dead battery's default, a bad network time)
 * stamped its writes in the future. Once the clock is right again, a new session's writes are
 * stamped earlier than those, and RxDB's replication, which reads what to push as "written
 * after the last pushed write" by those stamps, would not find an edit made offline after the
 * correction until the clock caught up (days, a year). These tests run on RxDB's real Dexie
 * storage (over fake-indexeddb) and its real replication; the earlier session's fast clock is a
 * write carrying a future time (RxDB's own clock cannot be set back within one process).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  createRxDatabase,
  fillWithDefaultSettings,
  getChangedDocumentsSince,
  type RxCollection,
  type RxDatabase,
  type RxStorageInstance
} from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { storageOf } from './first-sync';
import { leanDexieStorage } from './lean-store';

const schema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    n: { type: 'integer', minimum: 0, maximum: 1e6, multipleOf: 1 },
    done: { type: 'boolean' }
  },
  required: ['id', 'n', 'done'],
  indexes: ['n']
} as const;

/** A year ahead: the earlier session's clock. */
const FAST = 365 * 24 * 3600 * 1000;

const opened: RxDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

/** One device: its IndexedDB outlives each session (a database opened and closed again). */
function device() {
  const indexedDB = new IDBFactory();
  const name = `order-${Math.random().toString(36).slice(2)}`;
  return {
    async session(): Promise<{ db: RxDatabase; items: RxCollection }> {
      const storage = leanDexieStorage((c) => (c === 'items' ? (schema as never) : null), { indexedDB, IDBKeyRange });
      const db = await createRxDatabase({ name, storage, multiInstance: false });
      opened.push(db);
      const { items } = await db.addCollections({ items: { schema } });
      return { db, items };
    },
    async close(db: RxDatabase) {
      opened.splice(opened.indexOf(db), 1);
      await db.close();
    }
  };
}

/** A write of the earlier session, stamped by its fast clock. */
async function writeAhead(items: RxCollection, id: string, lwt: number) {
  const result = await storageOf(items).bulkWrite(
    [
      {
        document: { id, n: 1, done: false, _deleted: false, _attachments: {}, _rev: '1-fast', _meta: { lwt } }
      }
    ],
    'earlier-session'
  );
  expect(result.error).toEqual([]);
}

const storedLwt = async (items: RxCollection, id: string) =>
  (await storageOf(items).findDocumentsById([id], true))[0]._meta.lwt as number;

describe('write times of a store never run backwards', () => {
  it('a write after the clock was set back is listed after everything the store holds', async () => {
    const d = device();
    const first = await d.session();
    const ahead = Date.now() + FAST;
    await writeAhead(first.items, 'fast', ahead);
    await d.close(first.db);

    const second = await d.session();
    await second.items.insert({ id: 'later', n: 2, done: false });
    expect(await storedLwt(second.items, 'later')).toBeGreaterThan(ahead);
    const since = await getChangedDocumentsSince(second.items.storageInstance, 10, { id: 'fast', lwt: ahead });
    expect(since.documents.map((doc) => doc.id)).toEqual(['later']);
  });

  it('keeps RxDB’s own time, ties of one bulk write included, while the clock is right', async () => {
    const d = device();
    const { items } = await d.session();
    const before = Date.now();
    await items.bulkInsert([
      { id: 'a', n: 1, done: false },
      { id: 'b', n: 2, done: true }
    ]);
    const [a, b] = [await storedLwt(items, 'a'), await storedLwt(items, 'b')];
    expect(a).toBe(b);
    expect(a).toBeGreaterThanOrEqual(before);
    expect(a).toBeLessThan(Date.now() + 1);
    await items.insert({ id: 'c', n: 3, done: false });
    expect(await storedLwt(items, 'c')).toBeGreaterThan(a);
  });

  it('two tabs on one store each write after the other’s newest write', async () => {
    // Two tabs: one store, each with its own storage instance and RxDB's multi-tab channel.
    const indexedDB = new IDBFactory();
    const storage = leanDexieStorage((c) => (c === 'items' ? (schema as never) : null), { indexedDB, IDBKeyRange });
    const databaseName = `order-tabs-${Math.random().toString(36).slice(2)}`;
    const tab = (token: string) =>
      storage.createStorageInstance({
        databaseInstanceToken: token,
        databaseName,
        collectionName: 'items',
        schema: fillWithDefaultSettings(schema as never),
        options: {},
        multiInstance: true,
        devMode: false
      }) as Promise<RxStorageInstance<Record<string, unknown>, unknown, unknown>>;
    const [a, b] = [await tab('tab-a'), await tab('tab-b')];
    const ahead = Date.now() + FAST;
    const write = async (on: typeof a, id: string, lwt = Date.now()) => {
      const doc = { id, n: 1, done: false, _deleted: false, _attachments: {}, _rev: '1-x', _meta: { lwt } };
      expect((await on.bulkWrite([{ document: doc }], 'tab')).error).toEqual([]);
      return (await on.findDocumentsById([id], true))[0]._meta.lwt;
    };
    const heard = (on: typeof a) => firstValueFrom(on.changeStream());
    try {
      await write(a, 'fast', ahead);
      // Both tabs have written once since the clock was corrected: each knows the store's newest time.
      const inB = heard(b);
      const a1 = await write(a, 'a1');
      await inB;
      const inA = heard(a);
      const b1 = await write(b, 'b1');
      await inA;
      expect(b1).toBeGreaterThan(a1);
      // Tab A heard B's write: its next one comes after it, not at B's time again.
      const a2 = await write(a, 'a2');
      expect(a2).toBeGreaterThan(b1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('an edit made offline after the clock was corrected is pushed at the next start', async () => {
    const d = device();
    const pushed: string[] = [];
    const replicate = (items: RxCollection) =>
      replicateRxCollection<Record<string, unknown>, unknown>({
        collection: items,
        replicationIdentifier: 'order-test',
        live: true,
        pull: { handler: async () => ({ documents: [], checkpoint: null }) },
        push: {
          handler: async (rows) => {
            pushed.push(...rows.map((r) => r.newDocumentState.id as string));
            return [];
          }
        }
      });

    // The fast session: its write is pushed, and the push checkpoint stands at its time.
    const first = await d.session();
    const rep = replicate(first.items);
    await rep.awaitInitialReplication();
    await writeAhead(first.items, 'fast', Date.now() + FAST);
    await rep.awaitInSync();
    expect(pushed).toEqual(['fast']);
    await rep.cancel();
    await d.close(first.db);

    // The clock is right again; the person edits without a network and closes the app.
    const second = await d.session();
    await second.items.insert({ id: 'offline-edit', n: 2, done: false });
    await d.close(second.db);

    // The next start with a network: the edit reaches the server.
    const third = await d.session();
    const again = replicate(third.items);
    await again.awaitInitialReplication();
    await again.awaitInSync();
    expect(pushed).toEqual(['fast', 'offline-edit']);
    await again.cancel();
  });
});
