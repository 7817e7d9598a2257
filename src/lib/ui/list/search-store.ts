/**
 * Where a search index waits between starts: one IndexedDB database per local database
 * (`<rxdb name>--search`), one record per index holding the engine's snapshot and the
 * checkpoints of the change feeds it has read. A start loads it and reads only the changes
 * since those checkpoints. The record names what it was built from (`SavedMeta`: fields, each
 * source's schema version, the RxDB database's storage token); a record of anything else is
 * ignored and the index is built again. Sign-out removes the database with the user's data
 * (`wipe.ts`), since it holds their tickets' words.
 */

export interface SavedMeta {
  format: number;
  fields: string[];
  /** Row fields kept for ordered answers. */
  values: string[];
  /** `name@schemaVersion` of each source, in order. */
  sources: string[];
  /** RxDB's per-database storage token: a database removed and made again has a new one. */
  storageToken: string;
}

export interface SavedIndex {
  meta: SavedMeta;
  checkpoints: Record<string, unknown>;
  /** `SearchEngine.snapshot()`: typed arrays, stored by structured clone. */
  engine: unknown;
  docs: number;
  savedAt: string;
}

export interface SearchStore {
  load(name: string): Promise<SavedIndex | null>;
  save(name: string, saved: SavedIndex): Promise<void>;
}

const STORE = 'indexes';

export const searchDatabaseName = (rxDatabaseName: string): string => `${rxDatabaseName}--search`;

export const sameMeta = (a: SavedMeta, b: SavedMeta): boolean => JSON.stringify(a) === JSON.stringify(b);

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

/** The IndexedDB store of one local database; `null` where there is no IndexedDB. */
export function idbSearchStore(rxDatabaseName: string): SearchStore | null {
  if (typeof indexedDB === 'undefined') return null;
  let opened: Promise<IDBDatabase> | null = null;
  const open = () =>
    (opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(searchDatabaseName(rxDatabaseName), 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE);
      r.onsuccess = () => {
        // A sign-out elsewhere deletes the database: let it go.
        r.result.onversionchange = () => r.result.close();
        resolve(r.result);
      };
      r.onerror = () => reject(r.error ?? new Error('cannot open the search store'));
    }));
  return {
    async load(name) {
      const db = await open();
      return ((await request(db.transaction(STORE).objectStore(STORE).get(name))) as SavedIndex | undefined) ?? null;
    },
    async save(name, saved) {
      const db = await open();
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(saved, name);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('cannot save the search index'));
      });
    }
  };
}

/** Removes a user's saved search indexes (sign-out). */
export function deleteSearchStore(rxDatabaseName: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    const r = indexedDB.deleteDatabase(searchDatabaseName(rxDatabaseName));
    r.onsuccess = r.onerror = () => resolve();
    // Another tab still holding it open closes it on `versionchange`; do not wait for ever.
    r.onblocked = () => setTimeout(resolve, 2000);
  });
}
