/**
 * The real stack for a benchmark: the sync server built in this process (so its memory can be
 * read), with its embedded CouchDB child and the built PWA, on a free loopback port, with the
 * demo region seeded. Everything a scenario needs to talk to it goes through here.
 */
import path from 'node:path';
import { login, startTestServer, type TestServer } from '../../sync-server/testing/server';
import { endpoint, json, type Endpoint } from './couch';

export interface Stack {
  url: string;
  /** CouchDB straight, as admin. */
  couch: Endpoint;
  server: TestServer;
  /** Signs in through the API; returns the Cookie header value. */
  login(username: string): Promise<string>;
  /** The gateway (`/couch/`) as a CouchDB endpoint for a signed-in session. */
  gateway(cookie: string): Endpoint;
  /** Writes documents through the gateway as a client would; throws if any is refused. */
  gatewayWrite(cookie: string, db: string, docs: readonly object[]): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  // The fan-out scenario holds hundreds of event streams under one session to measure the
  // notifier, not the per-user cap that protects a real server from one script.
  // BENCH_STATIC_DIR serves another build (e.g. the previous release's) for a before/after run.
  const server = await startTestServer({
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'error',
    maxStreamsPerUser: 100_000,
    ...(process.env.BENCH_STATIC_DIR ? { staticDir: path.resolve(process.env.BENCH_STATIC_DIR) } : {})
  });
  const gateway = (cookie: string) => endpoint(`${server.url}/couch/`, { cookie, origin: server.url });
  return {
    url: server.url,
    couch: endpoint(server.couchUrl),
    server,
    login: (username) => login(server.url, username),
    gateway,
    async gatewayWrite(cookie, db, docs) {
      const results = await json<{ id: string; error?: string; reason?: string }[]>(
        gateway(cookie),
        `${encodeURIComponent(db)}/_bulk_docs`,
        {
          method: 'POST',
          body: { docs }
        }
      );
      const bad = results.find((r) => r.error);
      if (bad) throw new Error(`gateway refused ${bad.id} in ${db}: ${bad.error} ${bad.reason ?? ''}`);
    },
    close: () => server.close()
  };
}
