/**
 * One provisioned and seeded data directory per test run, copied by every test server that
 * wants the plain demo region. Provisioning ~100 databases, seeding the demo and hashing the
 * demo passwords is most of a test server's start; doing it once and copying the closed
 * LevelDB files gives each test file the same fresh region for a fraction of the cost.
 *
 * Built lazily by the first test server of the run (a run of unit tests alone never pays for
 * it); the test files run in several worker processes, so an atomic mkdir elects the builder
 * and the others wait for its `ready` marker.
 */
import { execFile } from 'node:child_process';
import { access, cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Set by the vitest global setup for its workers; absent elsewhere (bench, scripts). */
export const TEMPLATE_ENV = 'ICT_TEST_TEMPLATE_ROOT';

const WAIT_LIMIT_MS = 300_000;

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false
  );
}

/**
 * The template's data directory, building it with `build` (which must leave a closed, seeded
 * data directory at the path it is given) if no other process has; undefined outside a run.
 */
export async function templateData(build: (dataDir: string) => Promise<void>): Promise<string | undefined> {
  const root = process.env[TEMPLATE_ENV];
  if (!root) return undefined;
  const data = path.join(root, 'data');
  const ready = path.join(root, 'ready');
  if (await exists(ready)) return data;
  let builder = false;
  try {
    await mkdir(path.join(root, 'lock'));
    builder = true;
  } catch {
    // another worker is building it
  }
  if (builder) {
    try {
      await mkdir(data);
      await build(data);
      await writeFile(ready, 'ok');
    } catch (err) {
      await writeFile(path.join(root, 'failed'), String(err));
      throw err;
    }
    return data;
  }
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    if (await exists(ready)) return data;
    if (await exists(path.join(root, 'failed'))) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/**
 * A fresh copy of the template in a new temporary directory. The system's `cp` copies the
 * template's ~700 files in 80–290 ms and a few ms of this process's CPU; Node's `fs.cp` took
 * 1.2 s and 0.9 CPU-s, a quarter of a test server's start. `fs.cp` stays the fallback where
 * there is no `cp`.
 */
export async function copyTemplate(template: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ict-test-'));
  try {
    // `template/.`: the template's contents into dir (path.join would drop the dot).
    await run('cp', ['-R', `${template}${path.sep}.`, dir]);
  } catch {
    await cp(template, dir, { recursive: true, force: true });
  }
  return dir;
}
