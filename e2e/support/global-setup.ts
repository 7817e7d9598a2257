/**
 * Playwright's global setup: the demo region seeded once for the run. Every worker's server
 * (region-server.ts) starts on a copy of it instead of seeding its own: four workers each
 * seeded the region (7 months of history, the demo users' password hashes) at the same moment,
 * on the two cores the specs then needed. `npm test` (scripts/test.ts) seeds it beside the unit
 * tests and hands it over in the environment.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../sync-server/ops/server-process';

/** Where the seeded data directory is; the workers inherit it from the runner's environment. */
export const E2E_TEMPLATE_ENV = 'ICT_E2E_TEMPLATE';

/** Seeds the demo region into a new data directory, with a server run once and stopped. */
export async function seedE2eTemplate(): Promise<{ data: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ict-e2e-template-'));
  const data = path.join(root, 'data');
  const server = await spawnProcess({
    // No app to serve: the build may be under way beside it (`npm test`).
    env: { DATA_DIR: data, DEMO: '1', LOG_LEVEL: 'warn', STATIC_DIR: path.join(root, 'no-build') },
    timeoutMs: 120_000
  });
  await server.stop();
  return { data, remove: () => rm(root, { recursive: true, force: true }) };
}

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  // `npm test` seeds it while the unit tests run, and removes it itself.
  const given = process.env[E2E_TEMPLATE_ENV];
  if (given && existsSync(given)) return undefined;
  const { data, remove } = await seedE2eTemplate();
  process.env[E2E_TEMPLATE_ENV] = data;
  return remove;
}
