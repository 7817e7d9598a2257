/**
 * Each Playwright worker runs its own sync server (embedded store, demo region: a fresh copy
 * of the run's seeded data directory, global-setup.ts) serving the built app, so the specs of
 * one worker never see the writes of another's and the workers can run side by side. `test`
 * here is Playwright's own with the `baseURL` of the worker's server; specs import it instead
 * of `@playwright/test`'s. With `E2E_COUCHDB_URL` the server uses that Apache CouchDB instead
 * (the production store), seeding the demo region into it; one worker then runs every spec.
 */
import { test as base } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../sync-server/ops/server-process';
import { copyTemplate } from '../../sync-server/testing/template';
import { E2E_TEMPLATE_ENV } from './global-setup';

export { expect } from '@playwright/test';

async function healthy(url: string, until: number): Promise<void> {
  for (;;) {
    const status = await fetch(`${url}/api/health`).then(
      (r) => r.status,
      () => 0
    );
    if (status === 200) return;
    if (Date.now() > until) throw new Error(`the sync server at ${url} is not healthy (HTTP ${status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const test = base.extend<object, { regionServer: { url: string } }>({
  regionServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const template = process.env[E2E_TEMPLATE_ENV];
      const external = process.env.E2E_COUCHDB_URL;
      const dataDir =
        template && !external ? await copyTemplate(template) : await mkdtemp(path.join(os.tmpdir(), 'ict-e2e-'));
      // localhost, as people open it: a secure context for the service worker, and the origin
      // the server expects on every write. The port is spawnProcess's choice, so a start that
      // loses it to a parallel worker's store is retried on another.
      const server = await spawnProcess({
        env: { DATA_DIR: dataDir, DEMO: '1', LOG_LEVEL: 'warn', ...(external ? { COUCHDB_URL: external } : {}) },
        originFor: (port) => `http://localhost:${port}`,
        timeoutMs: 120_000
      });
      const url = server.origin;
      try {
        await healthy(url, Date.now() + 120_000);
        await use({ url });
      } finally {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 150_000 }
  ],
  baseURL: async ({ regionServer }, use) => {
    await use(regionServer.url);
  }
});
