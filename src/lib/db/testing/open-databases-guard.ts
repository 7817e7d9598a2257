/**
 * Setup file of the test files that open RxDB databases (vitest.config.ts). They share their
 * worker's process, one file after another, and RxDB's state is the process's: the collections
 * open in it count against the open-source limit, and its dev-mode plugin, once added, checks
 * every later database (it refuses a storage without a schema validator). A database a file
 * leaves open, or dev mode switched on, would fail a later file far from its cause; this fails
 * the file that did it. Files that need dev mode run in a process of their own.
 */
import { afterAll } from 'vitest';
import { dbCount, overwritable } from 'rxdb';

// Taken when the setup file runs, before the test file is imported.
const before = dbCount();

afterAll(() => {
  const left = dbCount() - before;
  if (left > 0)
    throw new Error(`${left} RxDB database(s) left open by this file: close them in its afterAll or finally`);
  if (overwritable.isDevMode())
    throw new Error(
      "RxDB's dev-mode plugin is on in a shared process: list this file in vitest.config.ts's RXDB_DEV_MODE"
    );
});
