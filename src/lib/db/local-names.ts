/** Names of the local stores and keys of one user, so that sign-out on a shared tablet can remove them all. */

function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** RxDB database name: lowercase letters, digits, `_` and `-` only, unique per user id. */
export function rxDatabaseName(userId: string): string {
  return `ict-${userId.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-${shortHash(userId)}`;
}

/**
 * The start of the names of the IndexedDB stores RxDB's Dexie storage makes for one user's local
 * database (`rxdb-dexie-<database>--<schema version>--<collection>`), or for anyone's.
 */
export function storePrefix(userId?: string): string {
  return userId === undefined ? 'rxdb-dexie-ict-' : `rxdb-dexie-${rxDatabaseName(userId)}--`;
}

/** PouchDB database of one user's copy of an organization's media. */
export function mediaDatabaseName(userId: string, orgId: string): string {
  return `${rxDatabaseName(userId)}-media-${orgId}`;
}

/** The queue's saved views (localStorage). */
export const queueViewsKey = (userId: string) => `ict.queue.views.${userId}`;

/** The tickets' changes already seen, for the notifications (localStorage). */
export const seenChangesKey = (userId: string) => `ict.notifications.seen.${userId}`;

/** The names of this browser's IndexedDB databases; null where it cannot tell. */
export function listStores(): Promise<readonly string[] | null> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return Promise.resolve(null);
  return indexedDB.databases().then(
    (all) => all.map((d) => d.name ?? ''),
    () => null
  );
}
