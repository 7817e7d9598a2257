/**
 * Contracts this user may no longer read (pulled before they had a database of their own, or
 * while access lasted) leave the device; the server no longer sends them. Finding them costs
 * two queries over the asset collection, so the sweep runs only when the contract databases the
 * user may read (as `/api/me` lists them) differ from those of the last sweep that finished,
 * kept as a local document of the user's database: on the first start of this version, and
 * after access changed, not at every start. Access withdrawn while the app runs is handled by
 * the purge of the withdrawn database itself.
 */
import type { RxDatabase } from 'rxdb';

const KEY = 'contracts-sweep';

/** What the sweep depends on: the readable contract databases, in one comparable string. */
export const sweepKey = (readable: Iterable<string>) =>
  [...readable]
    .filter((db) => db.endsWith('_contracts'))
    .sort()
    .join(' ');

/**
 * Runs `sweep` unless the last finished one saw the same readable contract databases; true
 * when it ran. A failed sweep is not recorded, so the next start tries again.
 */
export async function sweepWhenAccessChanged(
  db: RxDatabase,
  readable: Iterable<string>,
  sweep: () => Promise<void>
): Promise<boolean> {
  const key = sweepKey(readable);
  const saved = await db.getLocal<{ key: string }>(KEY).catch(() => null);
  if (saved?.get('key') === key) return false;
  await sweep();
  await db.upsertLocal(KEY, { key, at: new Date().toISOString() });
  return true;
}
