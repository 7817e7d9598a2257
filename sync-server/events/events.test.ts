import http from 'node:http';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../testing/server';
import { ChangeNotifier, type ChangeBatch } from './notifier';
import { namesDb, openSse, type SseClient } from '../testing/sse';
import { namedAtOnce, REANNOUNCE_MS } from './reannounce';
import { MAX_STREAMS_PER_USER } from '../gateway/stream-quota';

let server: TestServer;
let admin: nano.ServerScope;
const clients: SseClient[] = [];

async function eventsAs(username: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const cookie = await login(server.url, username);
  const client = await openSse(`${server.url}/api/events`, { cookie, ...headers });
  clients.push(client);
  await client.waitFor((e) => e.event === 'ready');
  return client;
}

const ticket = (id: string, orgId: string) => ({
  _id: id,
  orgId,
  title: 'Test ticket',
  description: '',
  category: 'cat-other',
  priority: 'P4',
  requester: 'helpdesk',
  status: 'new',
  events: [],
  createdBy: 'helpdesk',
  createdAt: new Date().toISOString(),
  updatedBy: 'helpdesk',
  updatedAt: new Date().toISOString()
});

beforeAll(async () => {
  // Every database anyone reads is held, so one stream shows the once-an-interval naming
  // (reannounce.test.ts covers the count of readers from which it applies).
  server = await startTestServer({ eventsHoldFromReaders: 1 });
  admin = nano(server.couchUrl);
});
// Closing with streams still open proves shutdown does not wait on them.
afterAll(async () => {
  await server?.close();
  for (const c of clients) c.close();
});

describe('GET /api/events', () => {
  it('refuses a client that is not signed in, with a JSON error', async () => {
    const res = await fetch(`${server.url}/api/events`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('tells a user who may read a database that it changed, and not a user who may not', async () => {
    const teacher = await eventsAs('ucitel.gymkt');
    const other = await eventsAs('ucitel.sosdo');
    await admin.use('org_gym-kt_tickets').insert(ticket('tkt-sse-1', 'gym-kt'));
    const seen = await teacher.waitFor(namesDb('org_gym-kt_tickets'));
    expect(seen.id).toMatch(/^\d+$/);
    await admin.use('org_sos-do_tickets').insert(ticket('tkt-sse-2', 'sos-do'));
    await other.waitFor(namesDb('org_sos-do_tickets'));
    expect(other.events.some(namesDb('org_gym-kt_tickets'))).toBe(false);
    expect(teacher.events.some(namesDb('org_sos-do_tickets'))).toBe(false);
  });

  it('announces the gateway’s own writes through notify() at once', async () => {
    const teacher = await eventsAs('ucitel.gymkt');
    server.app.events.notify('org_gym-kt_tasks');
    await teacher.waitFor(namesDb('org_gym-kt_tasks'), 1_000);
  });

  it('names a busy database once an interval: the first change at once, the others together at its end, other databases not held', async () => {
    const teacher = await eventsAs('ucitel.gymkt');
    const busy = 'org_gym-kt_tasks';
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await sleep(REANNOUNCE_MS);
    server.app.events.notify(busy);
    const first = await teacher.waitFor(namesDb(busy), 1_000);
    // Five more changes in separate batches within the interval.
    for (let i = 0; i < 5; i++) {
      await sleep(60);
      server.app.events.notify(busy);
    }
    server.app.events.notify('org_gym-kt_tickets');
    await teacher.waitFor(namesDb('org_gym-kt_tickets'), 1_000);
    const later = await teacher.waitFor((e) => e !== first && namesDb(busy)(e), 3 * REANNOUNCE_MS);
    expect(Number(later.id)).toBeGreaterThan(Number(first.id));
    await sleep(REANNOUNCE_MS);
    const named = teacher.events.filter(namesDb(busy));
    expect(named.length).toBeGreaterThanOrEqual(2);
    expect(named.length).toBeLessThan(6);
  });

  it('names a winter dispatch database at every change, however busy', async () => {
    expect(namedAtOnce('org_sus_dispatch')).toBe(true);
    expect(namedAtOnce('org_sus_tickets')).toBe(false);
    const dispatcher = await eventsAs('dispecer');
    const db = 'org_sus_dispatch';
    for (let i = 0; i < 4; i++) {
      const before = dispatcher.events.filter(namesDb(db)).length;
      server.app.events.notify(db);
      // Each within a fraction of the interval: not held for its end.
      await expect
        .poll(() => dispatcher.events.filter(namesDb(db)).length, { timeout: REANNOUNCE_MS / 2, interval: 10 })
        .toBe(before + 1);
    }
  });

  it('replays what a reconnecting client missed, from Last-Event-ID', async () => {
    const first = await eventsAs('reditel.gymkt');
    const ready = await first.waitFor((e) => e.event === 'ready');
    first.close();
    await admin.use<Record<string, unknown>>('org_gym-kt_assets').insert({
      _id: 'asset-sse-1',
      type: 'asset',
      key: 'INV-1',
      refId: '',
      day: '',
      orgId: 'gym-kt',
      inventoryNo: 'X-1',
      kind: 'other',
      name: 'Test',
      state: 'in_use',
      createdBy: 'helpdesk',
      createdAt: new Date().toISOString(),
      updatedBy: 'helpdesk',
      updatedAt: new Date().toISOString()
    });
    await new Promise((r) => setTimeout(r, 300));
    const again = await eventsAs('reditel.gymkt', { 'last-event-id': ready.id! });
    await again.waitFor(namesDb('org_gym-kt_assets'), 1_000);
    const stale = await eventsAs('reditel.gymkt', { 'last-event-id': 'deadbeef-1' });
    await stale.waitFor((e) => e.event === 'resync', 1_000);
  });

  it('catches up on a write made while CouchDB restarted and the feed was down', async () => {
    const teacher = await eventsAs('ucitel.gymkt');
    const connections = server.app.events.connections;
    process.kill(server.embedded!.pid!, 'SIGKILL');
    // Write as soon as the store is back, before the feed reconnects (it waits at least 250 ms).
    for (let i = 0; ; i++) {
      try {
        await admin.use('org_gym-kt_tickets').insert(ticket('tkt-during-restart', 'gym-kt'));
        break;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode) throw err;
        if (i > 200) throw new Error('CouchDB did not come back');
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    await teacher.waitFor(namesDb('org_gym-kt_tickets'), 10_000).catch(() => null);
    const after = teacher.events.filter(namesDb('org_gym-kt_tickets'));
    expect(after.length).toBeGreaterThan(0);
    await expect.poll(() => server.app.events.connections, { timeout: 10_000 }).toBeGreaterThan(connections);
  });
});

describe('start-up work', () => {
  it('is not announced as it happens, and counts as moved against the saved state', async () => {
    const db = 'org_sus_tickets';
    const before = String(Date.now());
    const second = new ChangeNotifier(server.app.couch, server.couchUrl, server.app.log, { coalesceMs: 10 });
    const batches: ChangeBatch[] = [];
    second.subscribe((b) => batches.push(b));
    try {
      await second.start(async (seqOf) => {
        expect(seqOf(db)).toBeDefined();
        await admin.use(db).insert(ticket('tkt-start-up-work', 'sus'));
        return [db];
      });
      await second.catchUp('periodic');
      await new Promise((r) => setTimeout(r, 100));
      expect(batches.flatMap((b) => b.dbs)).not.toContain(db);
      expect(second.since(before)).toContain(db);
    } finally {
      second.stop();
    }
  });
});

describe("a stream's place in the person's quota", () => {
  /** Opens the stream with an old event id (read from the archive) and hangs up at its first bytes. */
  const hangUpDuringCatchUp = (cookie: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/api/events`, {
        headers: { cookie, 'last-event-id': '1000', accept: 'text/event-stream' }
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.end();
    });

  it('comes back when the client hangs up while the missed changes are read', async () => {
    const cookie = await login(server.url, 'ucitel.sosdo');
    for (let i = 0; i < MAX_STREAMS_PER_USER + 4; i++) expect(await hangUpDuringCatchUp(cookie)).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const sse = await openSse(`${server.url}/api/events`, { cookie });
    try {
      await sse.waitFor((e) => e.event === 'ready', 10_000);
    } finally {
      sse.close();
    }
  });
});
