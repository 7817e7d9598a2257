/**
 * The first sync's write of a page of new documents, straight into RxDB's Dexie table.
 *
 * RxDB's `bulkWrite` reads every document of the page back first (to tell inserts from
 * updates, in the same transaction), deep-copies each one to rename key-compressed fields,
 * and opens its attachments table too. A device's first sync only inserts into an empty
 * store: the profile of a 10,000-ticket first sync put those three at about a tenth of the
 * page's busy time. This writes the page with one `bulkAdd` in one transaction, then tells
 * RxDB (the collection, its queries, the other tabs) exactly what its own `bulkWrite` would
 * have told: one event per stored live document, with the same context and checkpoint (to
 * the other tabs as ids, `tab-changes.ts`).
 *
 * A document already in the store (stored by an earlier page, or written meanwhile by the
 * person) is not overwritten: `bulkAdd` refuses it and it is handed back to the caller, which
 * writes it through RxDB's `bulkWrite` (its conflict rules). On any other storage than Dexie
 * (the memory storage of the Node tests), or a schema this does not map the way RxDB does
 * (key compression, nested boolean indexes), `directWriter` answers null and the caller
 * keeps RxDB's path.
 */
import { randomToken, type RxDocumentData } from 'rxdb';
import { dexieInstance } from './dexie-internals';
import { tabChanges, type TabInstance } from './tab-changes';

type Row = RxDocumentData<Record<string, unknown>>;

/** Writes new documents; returns those already in the store (written by nobody here). */
export type DirectWriter = (docs: readonly Row[], context: string) => Promise<Row[]>;

export async function directWriter(instance: unknown): Promise<DirectWriter | null> {
  const dexie = dexieInstance(instance);
  if (!dexie?.changes$) return null;
  const state = await dexie.internals;
  if (!state?.dexieTable || !state.booleanIndexes.every((path) => !path.includes('.'))) return null;
  const primary = dexie.primaryPath;
  const changes$ = dexie.changes$;

  // As RxDB's `fromStorageToDexie`: IndexedDB cannot index booleans, Dexie stores them as '0'/'1'.
  const toDexie = (doc: Row): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...doc };
    for (const path of state.booleanIndexes) out[path] = doc[path] ? '1' : '0';
    return out;
  };

  return async (docs, context) => {
    if (dexie.closed) throw new Error('direct write: the store was closed');
    let refused = new Set<number>();
    await state.dexieDb.transaction('rw', state.dexieTable, async () => {
      try {
        await state.dexieTable.bulkAdd(docs.map(toDexie));
      } catch (err) {
        // Dexie keeps the rest of the page (the transaction commits) when the failure is caught here.
        const failures = (err as { name?: string; failuresByPos?: Record<number, unknown> }).failuresByPos;
        if ((err as { name?: string }).name !== 'BulkError' || !failures) throw err;
        refused = new Set(Object.keys(failures).map(Number));
      }
    });
    const stored = refused.size ? docs.filter((_, i) => !refused.has(i)) : docs;
    // RxDB's own insert tells of live documents only, with the newest stored row as checkpoint.
    const events = stored
      .filter((d) => !d._deleted)
      .map((d) => ({
        documentId: d[primary] as string,
        operation: 'INSERT' as const,
        documentData: d,
        previousDocumentData: undefined
      }));
    if (events.length) {
      const last = stored[stored.length - 1];
      const bulk = {
        id: randomToken(10),
        events,
        checkpoint: { id: last[primary] as string, lwt: last._meta.lwt },
        context
      };
      // Other tabs hear the ids and read the documents themselves (`tab-changes.ts`), not a copy of each.
      if (tabChanges.attached(dexie)) tabChanges.emit(dexie as unknown as TabInstance, bulk);
      else changes$.next(bulk);
    }
    return docs.filter((_, i) => refused.has(i));
  };
}
