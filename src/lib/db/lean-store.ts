/**
 * The device's IndexedDB stores without the index RxDB's Dexie storage adds that nothing of
 * the app reads: `[_deleted+<primary>]`. RxDB's query planner chooses among the schema's
 * indexes only, and that one is among them only for a collection with no index of its own
 * (there it stays). Every write keeps every index up to date: a first sync of 10,000 tickets
 * into a store shaped like the tickets store spent 240 ms more with this index and the single
 * `_meta.lwt` than without both (median of eight interleaved runs, about 2.5 s in all). The
 * `_meta.lwt` index stays: RxDB's cleanup reads `where('_meta.lwt').below(t)`, which Dexie
 * cannot answer from `[_meta.lwt+<primary>]` (its virtual index gives an open range an invalid key).
 *
 * Only the declaration changes. Dexie upgrades a store when its declaration adds an index and
 * leaves it as it is when one is dropped, so a device that holds a store created before keeps
 * the index (kept up to date, never read) and opens without an upgrade; a store created from
 * now on lacks it. Stores of RxDB's own (internal, replication state, local documents) and
 * stores of another schema version (an older one opened to migrate it) keep RxDB's spec.
 */
import { fillWithDefaultSettings, getPrimaryFieldOfPrimaryKey, type DexieSettings, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie, type RxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { openedSchemaOf } from './collections';

/** RxDB's Dexie spec of a docs table (`getDexieStoreSchema`) without the index nothing reads. */
export function leanDocsSpec<T>(spec: string, schema: RxJsonSchema<T>): string {
  const filled = fillWithDefaultSettings(schema);
  const primary = getPrimaryFieldOfPrimaryKey(filled.primaryKey) as string;
  const unread = `[_deleted+${primary}]`;
  const planned = (filled.indexes ?? []).some((i) => typeof i !== 'string' && i.join('+') === unread.slice(1, -1));
  if (planned) return spec;
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== unread)
    .join(', ');
}

/**
 * RxDB's Dexie storage whose collections' docs tables leave out the unread index.
 * `schemaOf` names the schema of each collection the app opens (null for any other).
 */
export function leanDexieStorage<T>(
  schemaOf: (collection: string) => RxJsonSchema<T> | null,
  settings: DexieSettings = {}
): RxStorageDexie {
  return getRxStorageDexie({
    ...settings,
    onCreate: async (db, name) => {
      await settings.onCreate?.(db, name);
      // RxDB names it `rxdb-dexie-<database>--<schema version>--<collection>`.
      const parts = name.split('--');
      const schema = parts.length >= 3 ? schemaOf(parts[parts.length - 1]) : null;
      if (!schema || String(schema.version ?? 0) !== parts[parts.length - 2]) return;
      const version = db.version.bind(db);
      db.version = (n: number) => {
        const declared = version(n);
        const stores = declared.stores.bind(declared);
        declared.stores = (specs: Record<string, string | null>) =>
          stores(typeof specs.docs === 'string' ? { ...specs, docs: leanDocsSpec(specs.docs, schema) } : specs);
        return declared;
      };
    }
  });
}

/** The app's storage: RxDB's Dexie storage, its collections' docs tables declared lean. */
export const appDexieStorage = (settings?: DexieSettings): RxStorageDexie => leanDexieStorage(openedSchemaOf, settings);
