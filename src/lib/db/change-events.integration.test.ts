/**
 * The event stream against the real server: it survives HTTP and network errors by
 * reconnecting with backoff, and a reconnection resumes after the last event seen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { listenForChanges, type ChangeEventsHandle } from './change-events';
import { CouchClient, type FetchLike } from './couch-http';

let server: TestServer;
let cookie: string;

beforeAll(async () => {
  server = await startTestServer();
  cookie = await login(server.url, 'ucitel.gymkt');
});
afterAll(async () => server?.close());

const until = async (check: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

function ticket(id: string) {
  const at = new Date().toISOString();
  return {
    _id: id,
    orgId: 'gym-kt',
    title: `Live ${id}`,
    description: '',
    category: 'cat-hardware',
    priority: 'P3',
    requester: 'ucitel.gymkt',
    status: 'new',
    events: [],
    createdBy: 'ucitel.gymkt',
    createdAt: at,
    updatedBy: 'ucitel.gymkt',
    updatedAt: at
  };
}

describe('live updates', () => {
  it('keep reconnecting through 401s, network errors and a dropped stream, and resume after the last event', async () => {
    // The session cookie, a network that can fail, and a handle on the current connection.
    let sendCookie = false;
    let networkDown = false;
    let current: AbortController | null = null;
    const headersSeen: Record<string, string>[] = [];
    const fetchFn: FetchLike = (input, init) => {
      if (networkDown) return Promise.reject(new TypeError('fetch failed'));
      const headers: Record<string, string> = { ...(init?.headers as Record<string, string>), origin: server.url };
      if (sendCookie) headers.cookie = cookie;
      headersSeen.push(headers);
      current = new AbortController();
      init?.signal?.addEventListener('abort', () => current?.abort());
      return fetch(input, { ...init, headers, signal: current.signal });
    };
    const failures: number[] = [];
    const changed: string[][] = [];
    let resyncs = 0;
    let open = false;
    let handle: ChangeEventsHandle | null = null;
    try {
      handle = listenForChanges(
        `${server.url}/api/events`,
        {
          changed: (dbs) => changed.push(dbs),
          resyncAll: () => resyncs++,
          connected: (o) => (open = o),
          failed: (status) => failures.push(status)
        },
        { fetch: fetchFn, backoff: { initialMs: 20, maxMs: 100 } }
      );
      // Signed out: 401 answers, and the stream keeps trying instead of giving up.
      await until(() => failures.length >= 3);
      expect(new Set(failures)).toEqual(new Set([401]));
      sendCookie = true;
      await until(() => open);

      const client = new CouchClient(
        (i, init) => fetch(i, { ...init, headers: { ...(init?.headers as object), cookie, origin: server.url } }),
        `${server.url}/couch`
      );
      await client.bulkDocs('org_gym-kt_tickets', [ticket('live-1')]);
      await until(() => changed.some((d) => d.includes('org_gym-kt_tickets')));
      const seen = handle.lastEventId;
      expect(seen).toBeTruthy();

      // The network drops mid-stream and stays down a while; a change happens meanwhile.
      networkDown = true;
      (current as AbortController | null)?.abort();
      await until(() => !open);
      changed.length = 0;
      await client.bulkDocs('org_gym-kt_tickets', [ticket('live-2')]);
      await new Promise((r) => setTimeout(r, 150));
      networkDown = false;
      await until(() => open);
      // It said where it left off, and got only what it missed: no resync of every database.
      expect(headersSeen.at(-1)?.['last-event-id']).toBeTruthy();
      await until(() => changed.some((d) => d.includes('org_gym-kt_tickets')));
      expect(resyncs).toBe(0);
    } finally {
      handle?.close();
    }
  });
});
