import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { localDoc$ } from './local-doc';

addRxPlugin(RxDBLocalDocumentsPlugin);

let db: RxDatabase;
afterEach(async () => db?.close());

const open = async () => {
  db = await createRxDatabase({
    name: `local-doc-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    storage: getRxStorageMemory(),
    multiInstance: false,
    localDocuments: true
  });
  await db.addCollections({
    notes: {
      localDocuments: true,
      schema: {
        version: 0,
        primaryKey: 'id',
        type: 'object',
        properties: { id: { type: 'string', maxLength: 40 }, text: { type: 'string' } },
        required: ['id']
      }
    }
  });
  return db;
};

/** Every value the stream gave, once the writes before it settled. */
async function watch<T>(id: string) {
  const seen: (T | null)[] = [];
  const sub = localDoc$<T>(db, id).subscribe((v) => seen.push(v));
  const settle = () => new Promise((r) => setTimeout(r, 20));
  await settle();
  return { seen, settle, stop: () => sub.unsubscribe() };
}

describe('a local document of the database as it changes', () => {
  it('gives the stored data first, null when there is none', async () => {
    await open();
    const none = await watch('state');
    expect(none.seen).toEqual([null]);
    none.stop();
    await db.upsertLocal('state', { n: 1 });
    const stored = await watch<{ n: number }>('state');
    expect(stored.seen).toEqual([{ n: 1 }]);
    stored.stop();
  });

  it('follows inserts, updates and removal of that document only', async () => {
    await open();
    const w = await watch<{ n: number }>('state');
    await db.upsertLocal('state', { n: 1 });
    await db.upsertLocal('other', { n: 99 });
    await db.upsertLocal('state', { n: 2 });
    await (await db.getLocal('state'))!.remove();
    await w.settle();
    expect(w.seen).toEqual([null, { n: 1 }, { n: 2 }, null]);
    w.stop();
  });

  it('passes over the collections’ writes and their own local documents of the same id', async () => {
    await open();
    const w = await watch<{ n: number }>('state');
    await db.collections.notes.bulkInsert(Array.from({ length: 500 }, (_, i) => ({ id: `n${i}`, text: 'x' })));
    await db.collections.notes.upsertLocal('state', { n: 7 });
    await w.settle();
    expect(w.seen).toEqual([null]);
    w.stop();
  });

  it('stops reading when unsubscribed', async () => {
    await open();
    const w = await watch<{ n: number }>('state');
    w.stop();
    await db.upsertLocal('state', { n: 1 });
    await w.settle();
    expect(w.seen).toEqual([null]);
  });
});
