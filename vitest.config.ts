import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './sync-server/testing/sequencer.ts';

export default defineConfig({
  // The SvelteKit alias, so shared modules and route helpers import as the app does.
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'sync-server/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    // Integration files wait on servers and child processes more than on the CPU: three
    // workers on two cores took the suite from 8.1 to 4.3 min in one measured pair of runs.
    maxWorkers: 3,
    // The longest files first, also without the durations of a previous run (fresh clone, CI):
    // sequencer.ts says why and how.
    sequence: { sequencer: LongestFirstSequencer },
    globalSetup: ['sync-server/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
});
