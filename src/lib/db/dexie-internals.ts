/**
 * RxDB's Dexie storage from the inside, for the paths that go past RxDB's own write, read and
 * cleanup (`first-sync-write.ts`, `changes-since.ts`, `lean-store.ts`): its table, the table's
 * database, and which fields it stores as '0'/'1' because IndexedDB cannot index booleans.
 */
import type { RxDocumentData } from 'rxdb';

type Row = RxDocumentData<Record<string, unknown>>;
type Found = { toArray(): Promise<Record<string, unknown>[]> };
type Rows = Found & { limit(n: number): Found; last(): Promise<Record<string, unknown> | undefined> };

/** What RxDB's Dexie storage keeps in `internals` (rxdb/plugins/storage-dexie). */
export interface DexieState {
  dexieDb: { transaction<T>(mode: 'r' | 'rw', table: unknown, scope: () => Promise<T>): Promise<T> };
  dexieTable: {
    schema: { idxByName: Record<string, unknown> };
    bulkAdd(items: readonly Record<string, unknown>[]): Promise<unknown>;
    bulkDelete(keys: readonly string[]): Promise<unknown>;
    orderBy(index: string): Rows;
    where(index: string): {
      above(key: unknown[]): Rows;
      between(lower: unknown[], upper: unknown[], includeLower: boolean, includeUpper: boolean): Rows;
    };
  };
  booleanIndexes: string[];
}

/**
 * The name of a docs table's index over `fields` as RxDB's Dexie storage names its own: live or
 * deleted first, the primary key last (`[_deleted+status+updatedAt+id]`). The device's own
 * indexes are declared (`lean-store.ts`) and read (`index-reader.ts`) by this one name.
 */
export function dexieIndexName(fields: readonly string[], primary: string): string {
  return `[${['_deleted', ...fields, primary].join('+')}]`;
}

/** The event bulk RxDB's storages emit on `changes$`. */
export interface EventBulk {
  id: string;
  events: { documentId: string; operation: 'INSERT'; documentData: Row; previousDocumentData: undefined }[];
  checkpoint: { id: string; lwt: number } | null;
  context: string;
}

/** RxDB's `RxStorageInstanceDexie`, as these paths reach it. */
export interface DexieInstance {
  internals: Promise<DexieState>;
  primaryPath: string;
  changes$?: { next(bulk: EventBulk): void };
  closed?: unknown;
}

/**
 * The storage instance as RxDB's Dexie storage, or null: any other storage (the memory storage
 * of the Node tests), or a key-compressed schema, whose stored field names are not the document's.
 */
export function dexieInstance(instance: unknown): DexieInstance | null {
  const d = instance as Partial<DexieInstance> & { schema?: { keyCompression?: boolean } };
  if (!d.primaryPath || d.schema?.keyCompression || typeof d.internals?.then !== 'function') return null;
  return d as DexieInstance;
}
