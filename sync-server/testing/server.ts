/**
 * A real sync server for tests: embedded CouchDB in a fresh temporary DATA_DIR, the demo
 * region seeded, listening on a free loopback port. Several can run at once (one per test
 * file is the intended use, from `beforeAll`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import type { EmbeddedCouch } from '../embedded-couch/supervisor';
import { loadConfig, type Config } from '../config';
import { copyTemplate, templateData } from './template';

export interface TestServer {
  url: string;
  /** Admin URL of the embedded CouchDB, credentials included. */
  couchUrl: string;
  config: Config;
  app: FastifyInstance;
  /** Supervisor of the embedded CouchDB (to kill or restart it in tests). */
  embedded?: EmbeddedCouch;
  close(): Promise<void>;
}

/** A loopback port held open until `release()`, so nothing else takes it meanwhile. */
interface HeldPort {
  port: number;
  release(): Promise<void>;
}

function holdPort(): Promise<HeldPort> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      resolve({ port, release: () => new Promise<void>((r) => srv.close(() => r())) });
    });
  });
}

export async function freePort(): Promise<number> {
  const held = await holdPort();
  await held.release();
  return held.port;
}

function addressInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';
}

/** Whether the server would hold exactly the plain demo region the template holds. */
function wantsPlainDemo(o: Partial<Config>): boolean {
  return !o.dataDir && !o.couchUrl && (o.demo === undefined || o.demo === 'on');
}

async function buildTemplate(dataDir: string): Promise<void> {
  const server = await startTestServer({ dataDir });
  await server.close();
}

/** A copy of the run's template, or undefined outside a vitest run. */
async function templateCopy(): Promise<string | undefined> {
  const template = await templateData(buildTemplate);
  return template ? await copyTemplate(template) : undefined;
}

/**
 * A new data directory holding the plain demo region: a copy of the run's template when there
 * is one (seeding and hashing the demo passwords is most of a server's start), else empty.
 */
export async function demoDataDir(): Promise<string> {
  return (await templateCopy()) ?? (await mkdtemp(path.join(os.tmpdir(), 'ict-test-')));
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  // `scripts/test-on-couchdb.ts`: the same tests against Apache CouchDB, one file at a time.
  const external = process.env.TEST_COUCHDB_URL;
  if (external && !overrides.couchUrl && !overrides.dataDir) overrides = { ...overrides, couchUrl: external };
  const copied = !overrides.dataDir && wantsPlainDemo(overrides) ? await templateCopy() : undefined;
  const dataDir = overrides.dataDir ?? copied ?? (await mkdtemp(path.join(os.tmpdir(), 'ict-test-')));
  // The port is held open while the app builds (seconds): a port merely probed and closed was
  // taken meanwhile by a store child of a parallel test file listening on port 0 (EADDRINUSE).
  // Between the release and the listen another process can still win; then build once more.
  for (let attempt = 1; ; attempt++) {
    const held = overrides.port === undefined ? await holdPort() : undefined;
    const port = overrides.port ?? held!.port;
    const url = `http://127.0.0.1:${port}`;
    const config: Config = {
      ...loadConfig({ DEMO: '1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' }),
      port,
      host: '127.0.0.1',
      dataDir,
      vapidDir: dataDir,
      publicOrigin: url,
      ...overrides
    };
    // A copy of the template is the seeded and provisioned demo already: checking every demo
    // document and user again was half of the start's CPU (3.2 against 1.7 s over server and
    // store), checking every database's design document and security object another 0.8 s of
    // 4. The returned config keeps the demo setting, and a restart on this directory (a plain
    // buildApp) checks both as a real one does.
    let built: Awaited<ReturnType<typeof buildApp>>;
    try {
      built = await (copied ? buildApp({ ...config, demo: 'off' }, { provisioned: true }) : buildApp(config));
    } finally {
      await held?.release();
    }
    try {
      await built.app.listen({ port, host: config.host });
    } catch (err) {
      await built.close();
      if (held && addressInUse(err) && attempt < 5) continue;
      throw err;
    }
    return {
      url,
      couchUrl: built.couchUrl,
      config,
      app: built.app,
      embedded: built.embedded,
      close: async () => {
        await built.close();
        if (!overrides.dataDir) await rm(dataDir, { recursive: true, force: true });
      }
    };
  }
}

/** Signs in and returns the Cookie header value to send with later requests. */
export async function login(url: string, username: string, password = 'demo'): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password })
  });
  if (res.status !== 200) throw new Error(`login of ${username} failed: HTTP ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (cookies.length === 0) throw new Error(`login of ${username} set no cookie`);
  return cookies.join('; ');
}
