import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The SvelteKit alias, so shared modules and route helpers import as the app does.
  resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.ts', 'sync-server/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['sync-server/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
});
