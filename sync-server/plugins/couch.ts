/**
 * The CouchDB connection: starts the embedded store when no COUCHDB_URL is configured, and
 * gives the rest of the server one nano client, authenticated as CouchDB admin, whatever the
 * store is. Only this module knows the difference between the two modes.
 */
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import nano from 'nano';
import type { Config } from '../config';
import { EmbeddedCouch } from '../embedded-couch/supervisor';

export type CouchMode = 'embedded' | 'external';

export interface CouchConnection {
  mode: CouchMode;
  /** Admin URL with credentials; never log it. */
  url: string;
  client: nano.ServerScope;
  embedded?: EmbeddedCouch;
  stop(): Promise<void>;
}

export async function connectCouch(config: Config, log: FastifyBaseLogger): Promise<CouchConnection> {
  if (config.couchUrl) {
    const client = nano({ url: config.couchUrl });
    await waitForCouch(client, 30_000);
    return { mode: 'external', url: config.couchUrl, client, stop: async () => {} };
  }
  const embedded = new EmbeddedCouch({ dir: path.join(config.dataDir, 'couch'), log });
  await embedded.start();
  const client = nano({ url: embedded.url });
  return { mode: 'embedded', url: embedded.url, client, embedded, stop: () => embedded.stop() };
}

/** Waits for CouchDB to answer (a cluster may still be starting when we do). */
async function waitForCouch(client: nano.ServerScope, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.info();
      return;
    } catch (err) {
      if (Date.now() > until) throw new Error(`CouchDB does not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** A URL safe to show: credentials removed. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString().replace(/\/$/, '');
}
