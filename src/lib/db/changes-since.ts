/**
 * A collection's documents changed after a checkpoint, in storage order (write time, then
 * primary key), answered exactly as RxDB's `getChangedDocumentsSince` answers them.
 *
 * RxDB's Dexie storage answers that through its query engine, which steps an IndexedDB cursor
 * once per document: a round trip to the browser's storage backend for each. The projector of
 * the approvals and tasks lists (`portal-rows.ts`) reads every document of a first sync this
 * way, 63,000 of them for a director of a large organization. On Dexie this reads the same
 * range of the `[_meta.lwt+<primary key>]` index RxDB keeps for it with one `getAll` of up to
 * `limit` documents, converted back as RxDB's storage converts them. Any other storage (the
 * memory storage of the Node tests), or a Dexie table without that index, keeps RxDB's read.
 */
import { getChangedDocumentsSince, type RxCollection, type RxStorageInstance } from 'rxdb';
import { fromDexieToStorage } from 'rxdb/plugins/storage-dexie';
import { dexieInstance } from './dexie-internals';
import { storageOf } from './first-sync';

type Doc = Record<string, unknown>;
export interface Checkpoint {
  id: string;
  lwt: number;
}
export interface ChangedSince {
  documents: Doc[];
  checkpoint: Checkpoint;
}
export type ChangesReader = (limit: number, checkpoint: Checkpoint | undefined) => Promise<ChangedSince>;

export function changesReader(collection: RxCollection): ChangesReader {
  const wrapped = collection.storageInstance as RxStorageInstance<Doc, unknown, unknown, unknown>;
  const viaRxdb: ChangesReader = (limit, checkpoint) =>
    getChangedDocumentsSince(wrapped, limit, checkpoint) as Promise<ChangedSince>;
  const dexie = dexieInstance(storageOf(collection));
  if (!dexie) return viaRxdb;
  const primary = dexie.primaryPath;
  const index = `[_meta.lwt+${primary}]`;
  // A store that failed to open answers through RxDB, which reports it as it always has.
  const direct = dexie.internals.then(
    (state) => (state?.dexieTable?.schema?.idxByName?.[index] ? state : null),
    () => null
  );
  return async (limit, checkpoint) => {
    const state = await direct;
    if (!state) return viaRxdb(limit, checkpoint);
    const table = state.dexieTable;
    const rows = await collection.database.lockedRun(() =>
      state.dexieDb.transaction('r', table, () =>
        (checkpoint ? table.where(index).above([checkpoint.lwt, checkpoint.id]) : table.orderBy(index))
          .limit(limit)
          .toArray()
      )
    );
    const documents = rows.map((row) => fromDexieToStorage(state.booleanIndexes, row) as Doc);
    const last = documents.at(-1);
    return {
      documents,
      checkpoint: last
        ? { id: String(last[primary]), lwt: (last._meta as { lwt: number }).lwt }
        : (checkpoint ?? { id: '', lwt: 0 })
    };
  };
}
