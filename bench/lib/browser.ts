/**
 * Headless Chromium for the benchmarks. Every measured run gets a fresh on-disk profile
 * (a persistent context in a new temp directory), because a non-default context keeps
 * IndexedDB in memory and would make the browser's storage look faster than a user's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

export interface Profile {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function freshProfile(
  viewport = { width: 1280, height: 800 },
  opts: { serviceWorkers?: 'allow' | 'block' } = {}
): Promise<Profile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    serviceWorkers: opts.serviceWorkers ?? 'allow'
  });
  // tsx compiles the functions passed to page.evaluate with esbuild's keepNames, which calls a
  // `__name` helper that exists only in Node; give pages a no-op one.
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    }
  };
}

/** Chromium's version, read once from a throwaway browser. */
export async function chromiumVersion(): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const v = browser.version();
  await browser.close();
  return v;
}

/** Signs the profile in through the login API, so its cookie jar holds the session. */
export async function loginProfile(p: Profile, origin: string, username: string, password = 'demo'): Promise<void> {
  const res = await p.context.request.post(`${origin}/api/auth/login`, {
    data: { username, password },
    headers: { origin }
  });
  if (!res.ok()) throw new Error(`login of ${username} failed: HTTP ${res.status()} ${await res.text()}`);
}

/**
 * Counts HTTP requests and the most connections open at once, from the browser's own
 * network events (CDP): a connection is identified by Chromium's `connectionId`, open from
 * its first request until its last response finished.
 */
export interface ConnectionStats {
  requests: number;
  /** Requests to the sync endpoints (`/couch/`, `/api/`), without the app's own files. */
  syncRequests: number;
  /** Most requests on the wire at once (from sending until finished, queueing excluded); over HTTP/1.1 each holds its own connection. */
  maxBusyConnections: number;
  /** Distinct connections used. */
  connections: number;
  /** Requests still open when read: the long-lived ones (event stream, long-polls). */
  openNow: number;
}

/**
 * Counts HTTP requests and the most connections busy at once, from the browser's own
 * network events (CDP). A request occupies its connection from the moment it is sent
 * (`requestTime + sendStart`, after any queueing for a free connection) until it finished.
 */
export async function watchConnections(p: Profile): Promise<() => ConnectionStats> {
  const cdp = await p.context.newCDPSession(p.page);
  await cdp.send('Network.enable');
  let requests = 0;
  let syncRequests = 0;
  const inflight = new Set<string>();
  const connections = new Set<string>();
  const sentAt = new Map<string, number>();
  const spans: [number, number][] = [];
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.startsWith('http')) return;
    requests += 1;
    if (/^\/(couch|api)\//.test(new URL(e.request.url).pathname)) syncRequests += 1;
    inflight.add(e.requestId);
  });
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.connectionId) connections.add(String(e.response.connectionId));
    const t = e.response.timing;
    if (t) sentAt.set(e.requestId, t.requestTime + Math.max(0, t.sendStart) / 1000);
  });
  const done = (e: { requestId: string; timestamp: number }) => {
    inflight.delete(e.requestId);
    const start = sentAt.get(e.requestId);
    if (start !== undefined) spans.push([start, e.timestamp]);
  };
  cdp.on('Network.loadingFinished', done);
  cdp.on('Network.loadingFailed', done);
  const maxOverlap = () => {
    // Still-open requests count as busy until now.
    const now = Math.max(0, ...spans.map((s) => s[1])) + 1;
    const all = [
      ...spans,
      ...[...inflight].flatMap((id) => (sentAt.has(id) ? [[sentAt.get(id)!, now] as [number, number]] : []))
    ];
    const edges = all
      .flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const])
      .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let open = 0;
    let max = 0;
    for (const [, d] of edges) max = Math.max(max, (open += d));
    return max;
  };
  return () => ({
    requests,
    syncRequests,
    maxBusyConnections: maxOverlap(),
    connections: connections.size,
    openNow: inflight.size
  });
}
