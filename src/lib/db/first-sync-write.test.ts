/**
 * The first sync's direct write tells RxDB what RxDB's own insert tells. IndexedDB does not
 * exist in Node: the Dexie table here is a map with Dexie's `bulkAdd` contract (existing keys
 * refused with a `BulkError`, the rest kept); the browser specs run the real one on every
 * first sync. The events are compared with those of a real RxDB storage's `bulkWrite`.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { fillWithDefaultSettings, type RxDocumentData, type RxJsonSchema } from 'rxdb';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { rxSchemaFor } from './collections';
import type { DocState } from './couch-doc';
import { directWriter } from './first-sync-write';

type Row = RxDocumentData<Record<string, unknown>>;

function ticket(n: number, deleted = false): Row {
  const at = '2026-11-01T08:00:00.000Z';
  return {
    id: `tkt-gym-kt-${String(n).padStart(4, '0')}`,
    orgId: 'gym-kt',
    title: `Závada ${n}`,
    description: '',
    category: 'cat-printer',
    priority: 'P3',
    requester: 'ucitel.gymkt',
    status: 'new',
    events: [],
    createdBy: 'ucitel.gymkt',
    createdAt: at,
    updatedBy: 'ucitel.gymkt',
    updatedAt: at,
    _deleted: deleted,
    _meta: { lwt: 1000 + n },
    _rev: '1-abc',
    _attachments: {}
  } as Row;
}

/** Dexie's table and transaction as RxDB's Dexie storage holds them, over a map. */
function dexieLike(stored: Map<string, Record<string, unknown>>) {
  class BulkError extends Error {
    name = 'BulkError';
    constructor(public failuresByPos: Record<number, Error>) {
      super('bulkAdd failed');
    }
  }
  const changes$ = new Subject<unknown>();
  return {
    changes$,
    primaryPath: 'id',
    schema: {},
    internals: Promise.resolve({
      booleanIndexes: ['_deleted'],
      dexieDb: { transaction: (_mode: string, _table: unknown, scope: () => Promise<void>) => scope() },
      dexieTable: {
        async bulkAdd(items: Record<string, unknown>[]) {
          const failures: Record<number, Error> = {};
          items.forEach((item, i) => {
            if (stored.has(item.id as string)) failures[i] = new Error('ConstraintError');
            else stored.set(item.id as string, item);
          });
          if (Object.keys(failures).length) throw new BulkError(failures);
        }
      }
    })
  };
}

describe('the first sync writing a page straight into Dexie', () => {
  it('keeps RxDB’s path on any other storage', async () => {
    const storage = getRxStorageMemory();
    const instance = await storage.createStorageInstance({
      databaseName: `fsw-${Date.now()}`,
      collectionName: 'tickets',
      databaseInstanceToken: 'token',
      multiInstance: false,
      options: {},
      schema: fillWithDefaultSettings(rxSchemaFor('tickets') as RxJsonSchema<DocState>) as never,
      devMode: false
    });
    expect(await directWriter(instance)).toBeNull();
    await instance.remove();
  });

  it('stores new documents as Dexie keeps them, hands back stored ones, and tells what RxDB tells', async () => {
    const stored = new Map<string, Record<string, unknown>>();
    const dexie = dexieLike(stored);
    const write = (await directWriter(dexie))!;
    const told: { events: unknown[]; checkpoint: unknown; context: string }[] = [];
    dexie.changes$.subscribe((b) => told.push(b as never));

    const page = [ticket(1), ticket(2, true), ticket(3)];
    expect(await write(page, 'replication-downstream-x')).toEqual([]);
    expect(stored.get(page[0].id as string)?._deleted).toBe('0');
    expect(stored.get(page[1].id as string)?._deleted).toBe('1');

    // The same insert through a real RxDB storage: same events, same checkpoint, same context.
    const storage = getRxStorageMemory();
    const instance = await storage.createStorageInstance({
      databaseName: `fsw-${Date.now()}`,
      collectionName: 'tickets',
      databaseInstanceToken: 'token',
      multiInstance: false,
      options: {},
      schema: fillWithDefaultSettings(rxSchemaFor('tickets') as RxJsonSchema<DocState>) as never,
      devMode: false
    });
    const rxdbTold: typeof told = [];
    const sub = instance.changeStream().subscribe((b) => rxdbTold.push(b as never));
    await instance.bulkWrite(
      page.map((document) => ({ document: document as never })),
      'replication-downstream-x'
    );
    sub.unsubscribe();
    await instance.remove();
    const shape = (b: (typeof told)[number]) => ({ events: b.events, checkpoint: b.checkpoint, context: b.context });
    expect(told.map(shape)).toEqual(rxdbTold.map(shape));

    // A page that repeats a stored document: the others are stored, that one is handed back.
    const again = [ticket(3), ticket(4)];
    expect(await write(again, 'replication-downstream-x')).toEqual([again[0]]);
    expect(stored.has(again[1].id as string)).toBe(true);
    expect(told[1].events).toEqual([expect.objectContaining({ documentId: again[1].id, operation: 'INSERT' })]);
  });
});
