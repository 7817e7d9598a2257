/**
 * The session's first requests started while the app's code loads (`session-prefetch.ts`),
 * against a real server: who is signed in and a new device's first sync pages, handed out
 * once; nothing on the sign-in page or while an offline sign-out waits to reach the server.
 * The browser's globals the module uses are given as a page would have them: `fetch` with the
 * page's origin and cookie, `localStorage` (`installLocalStorage`), and an empty IndexedDB (a new
 * device).
 */
import { IDBFactory } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, login, type TestServer } from '../../../sync-server/testing/server';
import { rememberPendingLogout } from '../api';
import { dbsByCollection } from '../db/db-feeds';
import { installLocalStorage } from '../db/media-test-support';
import { firstRequest, PULL_BATCH_SIZE } from '../db/early-pull';
import { rxDatabaseName } from '../db/local-names';
import { lateHandlers, openNewDevice, type OpenedDb } from './early-open';
import { prefetchSession, takeStartedSession } from './session-prefetch';

let server: TestServer;
const asked: string[] = [];
const saved = { fetch: globalThis.fetch, indexedDB: globalThis.indexedDB };

beforeAll(async () => {
  installLocalStorage();
  server = await startTestServer();
  const cookie = await login(server.url, 'technik.kt');
  // The page's fetch: relative addresses on its origin, with its session cookie. The server runs
  // in this process too: its own requests (absolute addresses, to the store) go on as they were.
  globalThis.fetch = (input, init) => {
    const path = typeof input === 'string' ? input : null;
    if (!path?.startsWith('/')) return saved.fetch(input, init);
    asked.push(path);
    return saved.fetch(`${server.url}${path}`, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url }
    });
  };
}, 120_000);

afterEach(() => {
  takeStartedSession();
  localStorage.clear();
  asked.length = 0;
});

afterAll(async () => {
  globalThis.fetch = saved.fetch;
  globalThis.indexedDB = saved.indexedDB;
  await server?.close();
});

describe('the session started while the app loads', () => {
  it('asks who is signed in and, on a new device, the first page of each collection, handed out once', async () => {
    globalThis.indexedDB = new IDBFactory();
    prefetchSession('/inbox');
    // A second call on the same page load starts nothing more.
    prefetchSession('/inbox');
    const started = takeStartedSession();
    expect(started).not.toBeNull();
    expect(takeStartedSession()).toBeNull();
    const me = await started!.me;
    expect(me.user.id).toBe('technik.kt');
    const early = await started!.early;
    expect(early).not.toBeNull();
    expect(asked.filter((p) => p === '/api/me')).toHaveLength(1);
    // The tickets' first page is the pull's own first request, already answered.
    const tickets = me.databases.filter((d) => d.db.endsWith('_tickets')).map((d) => d.db);
    const { since, limit } = firstRequest(tickets, PULL_BATCH_SIZE);
    const page = await early!.take('tickets', since, limit);
    expect(Object.keys(page!.results).sort()).toEqual([...tickets].sort());
    expect(Object.values(page!.results).some((r) => r.results.length > 0)).toBe(true);
    // The other collections' answers are not the pull's requests here: taken otherwise, they are
    // released instead of holding their connections.
    for (const collection of dbsByCollection(me.databases).keys()) expect(early!.take(collection, {}, 1)).toBeNull();
  });

  it("asks whether the device holds the person's stores while `/api/me` is on its way", async () => {
    const idb = new IDBFactory();
    const steps: string[] = [];
    const databases = idb.databases.bind(idb);
    idb.databases = () => {
      steps.push('stores listed');
      return databases();
    };
    globalThis.indexedDB = idb;
    prefetchSession('/inbox');
    const started = takeStartedSession()!;
    await started.me.then(() => steps.push('/api/me answered'));
    expect(await started.early).not.toBeNull();
    // Once, before the answer: not again by the early pulls after it.
    expect(steps).toEqual(['stores listed', '/api/me answered']);
  });

  it("opens a new device's database once the person and the early pages are in, and no other device's", async () => {
    globalThis.indexedDB = new IDBFactory();
    const opened: unknown[][] = [];
    const fakeDb = { db: { name: 'db' }, bind: () => undefined } as unknown as OpenedDb;
    const open = async (...args: unknown[]) => {
      opened.push(args);
      return fakeDb;
    };
    prefetchSession('/tickets', { open });
    const started = takeStartedSession()!;
    expect(await started.db).toBe(fakeDb);
    const [me, early, pathname] = opened[0]!;
    expect(me).toBe(await started.me);
    expect(early).toBe(await started.early);
    expect(pathname).toBe('/tickets');

    // A device holding the person's stores opens nothing before the session does.
    const idb = new IDBFactory();
    await new Promise((resolve) => {
      idb.open(`rxdb-dexie-${rxDatabaseName('technik.kt')}--6--tickets`).onsuccess = resolve;
    });
    globalThis.indexedDB = idb;
    prefetchSession('/tickets', { open });
    expect(await takeStartedSession()!.db).toBeNull();
    expect(opened).toHaveLength(1);
    // Without an opener, the session opens it.
    globalThis.indexedDB = new IDBFactory();
    prefetchSession('/tickets');
    expect(await takeStartedSession()!.db).toBeNull();
  });

  it("leaves an administrator's database to the session where the administration paints without it", async () => {
    const admin = { user: { id: 'admin', name: 'A', memberships: [{ role: 'admin' }] }, databases: [] } as never;
    expect(await openNewDevice(admin, {} as never, '/admin')).toBeNull();
    expect(await openNewDevice(admin, {} as never, '/')).toBeNull();
  });

  it('keeps what the database tells before the session takes it, and tells it then, in order', () => {
    const late = lateHandlers();
    const told: string[] = [];
    late.options.onSessionMismatch('someone.else');
    late.options.onAccessChanged({ user: { id: 'technik.kt' } } as never);
    expect(told).toEqual([]);
    late.bind({
      onSessionMismatch: (actual) => told.push(`mismatch ${actual}`),
      onAccessChanged: (next) => told.push(`access ${next.user.id}`)
    });
    expect(told).toEqual(['mismatch someone.else', 'access technik.kt']);
    late.options.onSessionMismatch('third');
    expect(told).toEqual(['mismatch someone.else', 'access technik.kt', 'mismatch third']);
  });

  it('asks nothing on the sign-in page', async () => {
    prefetchSession('/login');
    expect(takeStartedSession()).toBeNull();
    expect(asked).toEqual([]);
  });

  it('asks nothing while a sign-out made offline has not reached the server', async () => {
    rememberPendingLogout();
    prefetchSession('/tickets');
    expect(takeStartedSession()).toBeNull();
    expect(asked).toEqual([]);
  });
});
