/**
 * The projector's read of changes answers what RxDB's `getChangedDocumentsSince` answers, page
 * by page, on RxDB's real Dexie storage (over fake-indexeddb): ties in write time (one bulk
 * write gives its documents the same time), updates, deletions, every page size; and it reads
 * each page with one request, not a cursor step per document.
 */
import { IDBFactory, IDBIndex, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, getChangedDocumentsSince, type RxCollection, type RxStorageInstance } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { changesReader, type ChangedSince, type Checkpoint } from './changes-since';

const schema = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 40 },
    n: { type: 'integer', minimum: 0, maximum: 1e6, multipleOf: 1 },
    done: { type: 'boolean' },
    note: { type: 'object' }
  },
  required: ['id', 'n', 'done'],
  indexes: ['n']
} as const;

const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

async function collectionOn(storage: Parameters<typeof createRxDatabase>[0]['storage']): Promise<RxCollection> {
  const db = await createRxDatabase({ name: `changes-${Math.random().toString(36).slice(2)}`, storage });
  opened.push(db);
  const { items } = await db.addCollections({ items: { schema } });
  return items;
}

/** Inserts in several bulk writes, then updates and removes some: ties, moves and deletions. */
async function fill(items: RxCollection) {
  let n = 0;
  for (const size of [5, 1, 12, 3]) {
    await items.bulkInsert(
      Array.from({ length: size }, () => {
        n++;
        // Ids not in insertion order, so that a tie is ordered by id and not by arrival.
        return { id: `d-${String((n * 7919) % 101).padStart(3, '0')}`, n, done: n % 3 === 0, note: { '|x': n } };
      })
    );
  }
  const docs = await items.find({ sort: [{ id: 'asc' }] }).exec();
  await docs[2].incrementalPatch({ n: 500 });
  await docs[7].remove();
  await docs[11].incrementalPatch({ done: true });
  await docs[1].remove();
}

async function pages(read: (limit: number, cp: Checkpoint | undefined) => Promise<ChangedSince>, limit: number) {
  const out: ChangedSince[] = [];
  let checkpoint: Checkpoint | undefined;
  for (;;) {
    const page = await read(limit, checkpoint);
    out.push(page);
    if (page.documents.length < limit) return out;
    checkpoint = page.checkpoint;
  }
}

describe('the changes of a collection since a checkpoint', () => {
  it('answers on Dexie what RxDB answers, page by page, with one request per page', async () => {
    const items = await collectionOn(getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }));
    await fill(items);
    const storage = items.storageInstance as RxStorageInstance<Record<string, unknown>, unknown, unknown, unknown>;
    const viaRxdb = (limit: number, cp: Checkpoint | undefined) =>
      getChangedDocumentsSince(storage, limit, cp) as Promise<ChangedSince>;
    const read = changesReader(items);

    const cursors = IDBIndex.prototype.openCursor;
    let cursorsOpened = 0;
    IDBIndex.prototype.openCursor = function (...args: Parameters<typeof cursors>) {
      cursorsOpened++;
      return cursors.apply(this, args);
    };
    try {
      for (const limit of [1, 2, 5, 7, 21, 100]) {
        const rxdbFrom = cursorsOpened;
        const expected = await pages(viaRxdb, limit);
        // RxDB's read steps a cursor (the counter sees it); this one must not.
        expect(cursorsOpened - rxdbFrom).toBeGreaterThan(0);
        const before = cursorsOpened;
        const actual = await pages(read, limit);
        expect(cursorsOpened - before).toBe(0);
        expect(actual).toEqual(expected);
      }
    } finally {
      IDBIndex.prototype.openCursor = cursors;
    }
    const all = (await pages(read, 100))[0].documents;
    // Every document once, the deleted ones too, and the key RxDB's Dexie storage renames comes back.
    expect(all).toHaveLength(21);
    expect(all.filter((d) => d._deleted)).toHaveLength(2);
    expect(all.every((d) => typeof (d.note as Record<string, unknown>)['|x'] === 'number')).toBe(true);
  });

  it('keeps RxDB’s read on another storage', async () => {
    const items = await collectionOn(getRxStorageMemory());
    await fill(items);
    const storage = items.storageInstance as RxStorageInstance<Record<string, unknown>, unknown, unknown, unknown>;
    for (const limit of [3, 50]) {
      expect(await pages(changesReader(items), limit)).toEqual(
        await pages((l, cp) => getChangedDocumentsSince(storage, l, cp) as Promise<ChangedSince>, limit)
      );
    }
  });
});
