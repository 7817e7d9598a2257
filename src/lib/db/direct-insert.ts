/**
 * New documents of a collection only this device writes, inserted straight into RxDB's Dexie
 * table as RxDB's `bulkInsert` would store them (`first-sync-write.ts`), without its read-back
 * of every key and its copy of every field on the way in and out. The approvals and tasks
 * lists' projector inserts its rows so (`portal-rows.ts`): a director's first projection writes
 * 20,000 of them, and RxDB's insert of them took 4.7 s of the page's time in a profile of it.
 * On any other storage (the memory storage of the Node tests), and for documents already
 * stored, the caller keeps RxDB's own write: they are handed back.
 */
import { fillObjectDataBeforeInsert, now, RX_COLLECTION_BULK_INSERT_CONTEXT, type RxCollection } from 'rxdb';
import { storageOf } from './first-sync';
import { directWriter, type DirectWriter } from './first-sync-write';

/** Inserts what it can; answers the documents it did not (already stored, or another storage). */
export function directInserter<T extends object>(collection: RxCollection<T>): (docs: T[]) => Promise<T[]> {
  let writer: Promise<DirectWriter | null> | null = null;
  const primary = collection.schema.primaryPath as string;
  return async (docs) => {
    if (!docs.length) return docs;
    const write = await (writer ??= directWriter(storageOf(collection as unknown as RxCollection)).catch(() => null));
    if (!write) return docs;
    // As RxDB's insert: one write time and this database's first revision for the whole batch.
    const meta = { lwt: now() };
    const rev = `1-${collection.database.token}`;
    const rows = docs.map((d) => ({ ...fillObjectDataBeforeInsert(collection.schema, d), _meta: meta, _rev: rev }));
    const refused = await collection.database.lockedRun(() => write(rows, RX_COLLECTION_BULK_INSERT_CONTEXT));
    const left = new Set(refused.map((r) => r[primary]));
    return docs.filter((d) => left.has((d as Record<string, unknown>)[primary]));
  };
}
