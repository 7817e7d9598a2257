import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './sync-server/testing/sequencer.ts';

const ALL = ['src/**/*.test.ts', 'sync-server/**/*.test.ts', 'bench/**/*.test.ts'];
/**
 * Files that open RxDB databases in the test process. RxDB keeps state per JavaScript realm
 * (open databases and collections, which its open-source build counts against a limit, and its
 * memory storage's data). They share their worker's process one file after another, as the
 * other files do: a fresh process per file cost 48 s of CPU in 164 for these files alone (105.7
 * against 81.6 s of wall time, one pair of runs). Their setup file empties the memory storage
 * before each file and fails a file that leaves a database open.
 */
const RXDB_IN_PROCESS = ['src/lib/db/**/*.test.ts', 'src/lib/ui/list/**/*.test.ts'];
/** Files that switch on RxDB's dev-mode plugin, which no process can switch off: a process each. */
const RXDB_DEV_MODE = ['src/lib/db/region.test.ts'];

export default defineConfig({
  // The SvelteKit alias, so shared modules and route helpers import as the app does.
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  test: {
    environment: 'node',
    // Integration files wait on servers and child processes more than on the CPU: three
    // workers on two cores took the suite from 8.1 to 4.3 min in one measured pair of runs.
    maxWorkers: 3,
    // The longest files first, also without the durations of a previous run (fresh clone, CI):
    // sequencer.ts says why and how.
    sequence: { sequencer: LongestFirstSequencer },
    globalSetup: ['sync-server/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'rxdb',
          include: RXDB_IN_PROCESS,
          exclude: RXDB_DEV_MODE,
          isolate: false,
          setupFiles: ['src/lib/db/testing/open-databases-guard.ts']
        }
      },
      { extends: true, test: { name: 'rxdb-dev-mode', include: RXDB_DEV_MODE } },
      {
        extends: true,
        // The other files share their worker's process and modules, one file after another:
        // a process and its module graph per file cost a third of the suite's CPU (5.4 against
        // 3.8 min for the whole suite in one measured pair of runs). Their servers, stores and
        // clients are their own; a file that changes a global puts it back.
        test: { name: 'shared', include: ALL, exclude: RXDB_IN_PROCESS, isolate: false }
      }
    ]
  }
});
