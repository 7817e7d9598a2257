/**
 * Playwright's global setup: the demo region seeded once for the run. Every worker's server
 * (region-server.ts) starts on a copy of it instead of seeding its own: four workers each
 * seeded the region (7 months of history, the demo users' password hashes) at the same moment,
 * on the two cores the specs then needed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../../sync-server/ops/server-process';

/** Where the seeded data directory is; the workers inherit it from the runner's environment. */
export const E2E_TEMPLATE_ENV = 'ICT_E2E_TEMPLATE';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ict-e2e-template-'));
  const data = path.join(root, 'data');
  const server = await spawnProcess({
    env: { DATA_DIR: data, DEMO: '1', LOG_LEVEL: 'warn' },
    timeoutMs: 120_000
  });
  await server.stop();
  process.env[E2E_TEMPLATE_ENV] = data;
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
