/**
 * Sign-out on a shared tablet: removes everything one user left on the device — the RxDB
 * database (documents, replication state, refused documents, conflicts, pending marks) and
 * the PouchDB media databases, the saved search indexes. Call it after `close()` of an open AppDb.
 */
import { removeRxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { deleteSearchStore } from '../ui/list/search-store';
import { mediaDatabaseName, queueViewsKey, rxDatabaseName, seenChangesKey } from './local-names';
import { REGISTRY_KEY, registeredNames } from './media';

export async function wipeLocalData(
  userId: string,
  storage: RxStorage<unknown, unknown> = getRxStorageDexie()
): Promise<void> {
  await removeRxDatabase(rxDatabaseName(userId), storage);
  // The saved search indexes hold the words of the user's tickets.
  await deleteSearchStore(rxDatabaseName(userId));
  const prefix = mediaDatabaseName(userId, '');
  const names = new Set<string>();
  if (typeof localStorage !== 'undefined') {
    // The queue's saved views (their search words, assignees) and the tickets' seen marks.
    for (const key of [queueViewsKey(userId), seenChangesKey(userId)]) localStorage.removeItem(key);
    const known = registeredNames();
    known.filter((n) => n.startsWith(prefix)).forEach((n) => names.add(n));
    localStorage.setItem(REGISTRY_KEY, JSON.stringify(known.filter((n) => !n.startsWith(prefix))));
  }
  // Also whatever the registry missed (cleared site data, older versions): PouchDB's idb
  // adapter names its IndexedDB databases `_pouch_<name>`.
  if (typeof indexedDB !== 'undefined' && 'databases' in indexedDB) {
    for (const info of await indexedDB.databases()) {
      if (info.name?.startsWith(`_pouch_${prefix}`)) names.add(info.name.slice('_pouch_'.length));
    }
  }
  if (names.size) {
    const { default: PouchDB } = await import('pouchdb-browser');
    await Promise.all([...names].map((n) => new PouchDB(n).destroy().catch(() => undefined)));
  }
}
