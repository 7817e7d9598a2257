/**
 * The device's IndexedDB stores with the device's own indexes (read straight by the lists, kept
 * out of RxDB's schema so that its planner never chooses them: `collections.ts`), and without
 * the two indexes RxDB's Dexie storage adds that nothing of the app reads:
 * - `[_deleted+<primary>]`: RxDB's query planner chooses among the schema's indexes only, and
 *   that one is among them only for a collection with no index of its own (there it stays);
 * - the single `_meta.lwt`: only RxDB's cleanup reads it (`where('_meta.lwt').below(t)`). The
 *   storage instances of these stores answer the cleanup from `[_meta.lwt+<primary>]` instead,
 *   as one range below the time (`leanCleanup`); that index stays, the changes since a
 *   checkpoint are read from it.
 * Every write keeps every index up to date: writing 10,000 stored tickets into a store shaped
 * like the tickets store took about 200 ms more for each index it keeps (four interleaved
 * rounds: 1,222 ms with the primary key only, 1,527 ms with RxDB's two `_meta.lwt` indexes,
 * 3,030 ms with the seven list indexes besides).
 *
 * Only the declaration changes. Dexie upgrades a store when its declaration adds an index and
 * leaves it as it is when one is dropped, so a device that holds a store created before keeps
 * the indexes (kept up to date, never read) and opens without an upgrade; a store created from
 * now on lacks them. Stores of RxDB's own (internal, replication state, local documents) and
 * stores of another schema version (an older one opened to migrate it) keep RxDB's spec.
 */
import { fillWithDefaultSettings, getPrimaryFieldOfPrimaryKey, now, type DexieSettings, type RxJsonSchema } from 'rxdb';
import { getRxStorageDexie, type RxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { deviceIndexesOf, openedSchemaOf } from './collections';
import { dexieIndexName, type DexieInstance } from './dexie-internals';
import { tabChanges, tabsCanTalk, type TabInstance } from './tab-changes';
import { keepWriteOrder } from './write-order';

/**
 * RxDB's Dexie spec of a docs table (`getDexieStoreSchema`) without the indexes nothing reads,
 * with the device's own indexes (`deviceIndexes`, fields without `_deleted` and the primary
 * key, which every index of the table has as RxDB's do) that RxDB's query planner must not see.
 */
export function leanDocsSpec<T>(
  spec: string,
  schema: RxJsonSchema<T>,
  deviceIndexes: readonly (readonly string[])[] = []
): string {
  const filled = fillWithDefaultSettings(schema);
  const primary = getPrimaryFieldOfPrimaryKey(filled.primaryKey) as string;
  const deleted = `[_deleted+${primary}]`;
  const planned = (filled.indexes ?? []).some((i) => typeof i !== 'string' && i.join('+') === deleted.slice(1, -1));
  const unread = planned ? [LWT] : [deleted, LWT];
  const kept = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => !unread.includes(part));
  const own = deviceIndexes.map((fields) => dexieIndexName(fields, primary));
  return [...kept, ...own.filter((i) => !kept.includes(i))].join(', ');
}

const LWT = '_meta.lwt';

/** RxDB's storage instance method that removes documents deleted longer ago than its argument (ms). */
type Cleanup = (minimumDeletedTime: number) => Promise<boolean>;

/**
 * RxDB's Dexie cleanup (documents deleted longer ago than `minimumDeletedTime` leave the store)
 * read from `[_meta.lwt+<primary>]`: every key below `[now - minimumDeletedTime]` is one whose
 * write time is earlier, whatever its primary key.
 */
export function leanCleanup(instance: DexieInstance): Cleanup {
  return async (minimumDeletedTime) => {
    const state = await instance.internals;
    await state.dexieDb.transaction('rw', state.dexieTable, async () => {
      const before = now() - minimumDeletedTime;
      const written = await state.dexieTable
        .where(`[${LWT}+${instance.primaryPath}]`)
        .between([-Infinity], [before], true, false)
        .toArray();
      const removed = written.filter((d) => d._deleted === '1').map((d) => String(d[instance.primaryPath]));
      await state.dexieTable.bulkDelete(removed);
    });
    return true;
  };
}

/**
 * RxDB's Dexie storage whose collections' docs tables leave out the unread indexes.
 * `schemaOf` names the schema of each collection the app opens (null for any other), and
 * `deviceIndexesOf` the indexes its docs table keeps besides RxDB's (`leanDocsSpec`).
 */
export function leanDexieStorage<T>(
  schemaOf: (collection: string) => RxJsonSchema<T> | null,
  settings: DexieSettings = {},
  deviceIndexesOf: (collection: string) => readonly (readonly string[])[] = () => []
): RxStorageDexie {
  const leanSchemaOf = (collection: string, version: string) => {
    const schema = schemaOf(collection);
    return schema && String(schema.version ?? 0) === version ? schema : null;
  };
  const storage = getRxStorageDexie({
    ...settings,
    onCreate: async (db, name) => {
      await settings.onCreate?.(db, name);
      // RxDB names it `rxdb-dexie-<database>--<schema version>--<collection>`.
      const parts = name.split('--');
      const collection = parts[parts.length - 1];
      const schema = parts.length >= 3 ? leanSchemaOf(collection, parts[parts.length - 2]) : null;
      if (!schema) return;
      const own = deviceIndexesOf(collection);
      const version = db.version.bind(db);
      db.version = (n: number) => {
        const declared = version(n);
        const stores = declared.stores.bind(declared);
        declared.stores = (specs: Record<string, string | null>) =>
          stores(typeof specs.docs === 'string' ? { ...specs, docs: leanDocsSpec(specs.docs, schema, own) } : specs);
        return declared;
      };
    }
  });
  const create = storage.createStorageInstance.bind(storage);
  storage.createStorageInstance = async (params) => {
    // The same stores as `onCreate` declares lean (a store created before answers it as well).
    const lean = !!leanSchemaOf(params.collectionName, String(params.schema.version ?? 0));
    // These stores tell the other tabs of their writes themselves, the direct writes by id
    // (`tab-changes.ts`), instead of RxDB's channel.
    const ownTabs = lean && params.multiInstance && tabsCanTalk();
    const instance = await create(ownTabs ? { ...params, multiInstance: false } : params);
    if (lean) {
      (instance as unknown as { cleanup: Cleanup }).cleanup = leanCleanup(instance as unknown as DexieInstance);
      // Attached first, so that the write order below hears the other tabs' writes too.
      if (ownTabs) tabChanges.attach(instance as unknown as TabInstance);
      keepWriteOrder(instance as unknown as Parameters<typeof keepWriteOrder>[0]);
    }
    return instance;
  };
  return storage;
}

/** The app's storage: RxDB's Dexie storage, its collections' docs tables declared lean, with the device's own indexes. */
export const appDexieStorage = (settings?: DexieSettings): RxStorageDexie =>
  leanDexieStorage(openedSchemaOf, settings, deviceIndexesOf);
