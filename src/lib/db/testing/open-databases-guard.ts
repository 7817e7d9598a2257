/**
 * Setup file of the test files that open RxDB databases (vitest.config.ts), run before each of
 * them. They share their worker's process, one file after another, and RxDB's state is the
 * process's:
 * - its memory storage keeps a database's data after the database is closed (until it is
 *   removed), so a later file's "new device" of the same person would open the store an
 *   earlier file left, synced against another server: every file starts on an empty one;
 * - the collections open in the process count against the open-source limit, and its dev-mode
 *   plugin, once added, checks every later database (it refuses a storage without a schema
 *   validator): a file that leaves a database open, or switches dev mode on, fails itself
 *   rather than a later file. Files that need dev mode run in a process of their own.
 */
import { afterAll } from 'vitest';
import { dbCount, overwritable } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';

getRxStorageMemory().collectionStates.clear();
// Taken when this runs, before the test file is imported.
const before = dbCount();
const devModeBefore = overwritable.isDevMode();

afterAll(() => {
  const left = dbCount() - before;
  if (left > 0)
    throw new Error(`${left} RxDB database(s) left open by this file: close them in its afterAll or finally`);
  if (overwritable.isDevMode() && !devModeBefore)
    throw new Error(
      "this file switched RxDB's dev-mode plugin on in a shared process: list it in vitest.config.ts's RXDB_DEV_MODE"
    );
});
