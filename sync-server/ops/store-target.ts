/**
 * Which CouchDB an operator tool (backup, restore) works on, in this order:
 * `COUCHDB_URL`; else the embedded store of a server running on `DATA_DIR` (its admin URL is
 * in `DATA_DIR/couch/.admin-url` while it runs); else the embedded store under `DATA_DIR`,
 * started here for the tool's run and stopped after (the server must not start meanwhile).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import nano from 'nano';
import pino from 'pino';
import { adminUrlFile, EmbeddedCouch } from '../embedded-couch/supervisor';

export interface StoreTarget {
  couch: nano.ServerScope;
  mode: 'embedded' | 'external';
  /** Where it is, for messages (no credentials). */
  describe: string;
  close(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  try {
    await nano(url).info();
    return true;
  } catch {
    return false;
  }
}

export async function openStoreTarget(env: NodeJS.ProcessEnv = process.env): Promise<StoreTarget> {
  if (env.COUCHDB_URL) {
    const url = env.COUCHDB_URL;
    const where = new URL(url);
    if (!(await answers(url))) throw new Error(`CouchDB at ${where.host} (COUCHDB_URL) does not answer`);
    return { couch: nano(url), mode: 'external', describe: `CouchDB at ${where.host}`, close: async () => {} };
  }
  const dir = path.join(path.resolve(env.DATA_DIR || './data'), 'couch');
  let running: string | null = null;
  try {
    running = readFileSync(adminUrlFile(dir), 'utf8').trim();
  } catch {
    // no server is running on this DATA_DIR
  }
  if (running && (await answers(running))) {
    return {
      couch: nano(running),
      mode: 'embedded',
      describe: `the running embedded store in ${dir}`,
      close: async () => {}
    };
  }
  const store = new EmbeddedCouch({ dir, log: pino({ level: env.LOG_LEVEL || 'warn' }) });
  await store.start();
  return {
    couch: nano(store.url),
    mode: 'embedded',
    describe: `the embedded store in ${dir}`,
    close: () => store.stop()
  };
}
