/**
 * The embedded store alone (`scripts/couch.ts`, as an operator runs it), on a fresh data
 * directory that `stop` removes: for tests of the store itself, or of several gateways on one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnProcess } from '../ops/server-process';

export interface StoreAlone {
  /** With the admin credentials, as `COUCHDB_URL` takes it. */
  couchUrl: string;
  /** Without credentials; send `auth` as the Authorization header. */
  base: string;
  auth: string;
  stop(): Promise<void>;
}

export async function startStoreAlone(opts: { password: string; maxOpenDbs?: number }): Promise<StoreAlone> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-store-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    COUCH_PORT: '0',
    COUCH_ADMIN_PASSWORD: opts.password,
    LOG_LEVEL: 'warn'
  };
  if (opts.maxOpenDbs) env.COUCH_MAX_OPEN_DBS = String(opts.maxOpenDbs);
  const store = await spawnProcess({
    entry: 'scripts/couch.ts',
    env,
    readyWhen: (out) => /COUCHDB_URL=\S+\n/.test(out)
  }).catch(async (err: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  });
  const couchUrl = /COUCHDB_URL=(\S+)\n/.exec(store.output())![1];
  const url = new URL(couchUrl);
  return {
    couchUrl,
    base: `${url.protocol}//${url.host}`,
    auth: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`,
    stop: async () => {
      await store.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  };
}
