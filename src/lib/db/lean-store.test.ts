/**
 * The device's stores without RxDB's unread `[_deleted+id]` and `_meta.lwt` indexes, on RxDB's real Dexie storage
 * over fake-indexeddb: a new store lacks them and answers every read the app makes (a list query,
 * the changes since a checkpoint, RxDB's cleanup); a store created before, with it, opens as it
 * is and keeps working; a collection without indexes of its own, RxDB's own stores and
 * a store of another schema version keep RxDB's declaration.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  createRxDatabase,
  fillWithDefaultSettings,
  getChangedDocumentsSince,
  type RxDatabase,
  type RxJsonSchema
} from 'rxdb';
import { getDexieStoreSchema, getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openedSchemaOf } from './collections';
import type { DocState } from './couch-doc';
import { leanDexieStorage, leanDocsSpec } from './lean-store';

const tickets = openedSchemaOf('tickets')!;
/** A collection with no index of its own: RxDB plans its queries on [_deleted+id]. */
const plain = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 }, n: { type: 'integer' } },
  required: ['id']
} as unknown as RxJsonSchema<DocState>;
const schemaOf = (c: string) => (c === 'tickets' ? tickets : c === 'plain' ? plain : null);

const opened: RxDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()));
});

async function open(storage: ReturnType<typeof getRxStorageDexie>, name: string) {
  const db = await createRxDatabase({ name, storage, multiInstance: false });
  opened.push(db);
  await db.addCollections({ tickets: { schema: tickets }, plain: { schema: plain } });
  return db;
}

const ticket = (i: number, status = 'new') => ({
  id: `t-${String(i).padStart(4, '0')}`,
  orgId: 'gym-kt',
  title: `Ticket ${i}`,
  description: '',
  category: 'cat',
  priority: 'P2',
  requester: 'ucitel.gymkt',
  status,
  events: [],
  createdBy: 'ucitel.gymkt',
  createdAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00.000Z`,
  updatedBy: 'ucitel.gymkt',
  updatedAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00.000Z`
});

/** The index names of the docs table of `collection`, read from IndexedDB itself. */
async function indexNames(idb: IDBFactory, collection: string): Promise<string[]> {
  const all = await idb.databases();
  const name = all.find((d) => d.name?.endsWith(`--${collection}`))!.name!;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = idb.open(name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  try {
    return [...db.transaction('docs').objectStore('docs').indexNames].sort();
  } finally {
    db.close();
  }
}

describe('the docs table declaration', () => {
  it("leaves out only RxDB's [_deleted+id] and _meta.lwt for a collection with indexes of its own", () => {
    const full = getDexieStoreSchema(fillWithDefaultSettings(tickets)).split(', ');
    const lean = leanDocsSpec(full.join(', '), tickets).split(', ');
    expect(full.filter((i) => !lean.includes(i))).toEqual(['[_deleted+id]', '_meta.lwt']);
    expect(lean[0]).toBe('id');
    expect(lean).toContain('[_meta.lwt+id]');
  });

  it('keeps [_deleted+id] where it is the index RxDB plans queries on (no index of its own)', () => {
    const full = getDexieStoreSchema(fillWithDefaultSettings(plain));
    expect(leanDocsSpec(full, plain).split(', ')).toEqual(['id', '[_deleted+id]', '[_meta.lwt+id]']);
  });
});

describe('a store declared lean, on the Dexie storage', () => {
  it('is created without the index and answers the list, the changes and the cleanup', async () => {
    const idb = new IDBFactory();
    const db = await open(leanDexieStorage(schemaOf, { indexedDB: idb, IDBKeyRange }), 'lean-new');
    await db.tickets.bulkInsert([...Array.from({ length: 30 }, (_, i) => ticket(i)), ticket(30, 'closed')]);

    const names = await indexNames(idb, 'tickets');
    expect(names).not.toContain('[_deleted+id]');
    expect(names).not.toContain('_meta.lwt');
    expect(names).toContain('[_meta.lwt+id]');
    expect(names).toContain('[_deleted+status+updatedAt+id]');
    expect(await indexNames(idb, 'plain')).toContain('[_deleted+id]');
    expect(await indexNames(idb, '_rxdb_internal')).toContain('[_deleted+id]');

    const listed = await db.tickets
      .find({ selector: { status: 'new' }, sort: [{ status: 'asc' }, { updatedAt: 'desc' }, { id: 'desc' }] })
      .exec();
    expect(listed).toHaveLength(30);
    expect(await db.tickets.count({ selector: { status: 'closed' } }).exec()).toBe(1);

    const since = await getChangedDocumentsSince(db.tickets.storageInstance, 100);
    expect(since.documents).toHaveLength(31);

    const gone = await db.tickets.findOne('t-0005').exec();
    await gone!.remove();
    // A removal younger than the cleanup's age stays; an older one leaves; live documents stay.
    await db.tickets.storageInstance.cleanup(60_000);
    expect((await getChangedDocumentsSince(db.tickets.storageInstance, 100)).documents).toHaveLength(31);
    await new Promise((r) => setTimeout(r, 5));
    await db.tickets.storageInstance.cleanup(0);
    const after = await getChangedDocumentsSince(db.tickets.storageInstance, 100);
    expect(after.documents.map((d) => d.id)).not.toContain('t-0005');
    expect(after.documents).toHaveLength(30);
    expect(await db.tickets.count({ selector: { status: 'new' } }).exec()).toBe(29);
  });

  it('opens a store created with the index as it is, and reads and writes it', async () => {
    const idb = new IDBFactory();
    const before = await open(getRxStorageDexie({ indexedDB: idb, IDBKeyRange }), 'lean-old');
    await before.tickets.bulkInsert(Array.from({ length: 20 }, (_, i) => ticket(i)));
    await before.close();
    opened.splice(opened.indexOf(before), 1);

    const db = await open(leanDexieStorage(schemaOf, { indexedDB: idb, IDBKeyRange }), 'lean-old');
    expect(await indexNames(idb, 'tickets')).toContain('[_deleted+id]');
    await db.tickets.bulkInsert([ticket(20), ticket(21, 'closed')]);
    expect(await db.tickets.count({ selector: { status: 'new' } }).exec()).toBe(21);
    const newest = await db.tickets
      .find({ selector: { status: 'new' }, sort: [{ status: 'asc' }, { updatedAt: 'desc' }, { id: 'desc' }], limit: 3 })
      .exec();
    expect(newest.map((d) => d.id)).toEqual(['t-0020', 't-0019', 't-0018']);
    expect((await getChangedDocumentsSince(db.tickets.storageInstance, 100)).documents).toHaveLength(22);
    // Its cleanup reads the same range, with the single `_meta.lwt` index still there.
    await (await db.tickets.findOne('t-0003').exec())!.remove();
    await new Promise((r) => setTimeout(r, 5));
    await db.tickets.storageInstance.cleanup(0);
    expect((await getChangedDocumentsSince(db.tickets.storageInstance, 100)).documents).toHaveLength(21);
  });

  it('keeps the declaration of a store of another schema version', async () => {
    const idb = new IDBFactory();
    const older = { ...tickets, version: 0 } as RxJsonSchema<DocState>;
    const storage = leanDexieStorage(schemaOf, { indexedDB: idb, IDBKeyRange });
    const db = await createRxDatabase({ name: 'lean-version', storage, multiInstance: false });
    opened.push(db);
    await db.addCollections({ tickets: { schema: older } });
    await db.tickets.insert(ticket(1));
    expect(await indexNames(idb, 'tickets')).toContain('[_deleted+id]');
  });
});
