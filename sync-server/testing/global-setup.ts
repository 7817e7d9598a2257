/**
 * Vitest global setup: a directory for the run's template data (see template.ts), removed
 * after the run. Workers are forked after this returns and inherit the environment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TEMPLATE_ENV } from './template';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ict-template-'));
  process.env[TEMPLATE_ENV] = root;
  return async () => {
    await rm(root, { recursive: true, force: true });
  };
}
