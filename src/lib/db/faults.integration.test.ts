/**
 * Faults injected while a device syncs with the real server (embedded CouchDB behind the real
 * gateway, the app's own data layer on the device). After every fault: every acknowledged
 * write is in CouchDB, every unacknowledged one is still on the device and goes out on the
 * next sync, nothing is doubled, the server is healthy, and the device's status says what
 * happened in words. Nothing here depends on timing: the checks read what ends up stored.
 * (A server restart during a first sync is in `server-restart.integration.test.ts`.)
 */
import { IDBFactory } from 'fake-indexeddb';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { orgDb } from '../domain/databases';
import {
  deviceTickets,
  expectAllOnServerOnce,
  faultyNetwork,
  isBulkDocs,
  onServer,
  pendingCount,
  rejected,
  seededRandom,
  statusOf,
  statusTrail,
  until,
  type FaultLog
} from './fault-support';
import { type SyncEvent } from './sync-status';
import { openTestDevice, type TestDevice } from './test-device';

const USER = 'ucitel.gymkt';
const ORG = 'gym-kt';
const TICKETS = orgDb(ORG, 'tickets');
const DAY = 86_400_000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const newLog = (): FaultLog => ({ lostAnswers: 0, errors5xx: 0, requests: 0 });
const sessionUser = (d: TestDevice) => ({ id: d.user, name: d.user, memberships: [] });
const healthy = async () => (await fetch(`${server.url}/api/health`)).status === 200;

async function settle(device: TestDevice, ids: readonly string[], timeoutMs = 120_000) {
  device.core.sync.resyncNow();
  let last = '';
  try {
    await until(
      'the device has sent everything',
      async () => {
        const pending = await pendingCount(device);
        const { missing } = await expectAllOnServerOnce(server.couchUrl, TICKETS, ids);
        const refused = await rejected(device);
        last = `pending ${pending}, missing ${missing.length}, refused ${refused.map((r) => r.reason).join(' | ')}`;
        return pending === 0 && missing.length === 0;
      },
      timeoutMs
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}: ${last}`);
  }
}

describe('faults while a device syncs', () => {
  it('loses the answers to writes CouchDB made: the retries neither double nor lose a ticket', async () => {
    const log = newLog();
    let toLose = 3;
    const events: SyncEvent[] = [];
    const device = await openTestDevice(server.url, USER, {
      emit: (ev) => events.push(ev),
      wrapFetch: faultyNetwork(
        { decide: (url, init) => (isBulkDocs(url, init) && toLose-- > 0 ? 'lose-answer' : 'pass') },
        log
      )
    });
    try {
      device.state.offline = true;
      const tickets = deviceTickets(sessionUser(device), ORG, 40, new Date(), 'Lost answer');
      await device.core.collections.tickets.bulkInsert(tickets);
      device.state.offline = false;
      const ids = tickets.map((t) => t.id);
      await settle(device, ids);

      expect(log.lostAnswers).toBeGreaterThan(0);
      const { missing, conflicted, rows } = await expectAllOnServerOnce(server.couchUrl, TICKETS, ids);
      expect(missing).toEqual([]);
      expect(conflicted).toEqual([]);
      // Two revisions each: the device's write and routing's assignment on the way in. A write
      // repeated after the lost answer would have made a third revision or a conflict.
      expect([...rows.values()].filter((r) => Number(r.rev.split('-')[0]) > 2)).toEqual([]);
      expect(await rejected(device)).toEqual([]);
      expect(await healthy()).toBe(true);
      // It said the server did not answer while that lasted, and says synced now.
      const said = statusTrail(events);
      expect(said.some((x) => x.code === 'offline')).toBe(true);
      expect(events.some((e) => e.type === 'request-failed' && /No answer from the server/.test(e.message))).toBe(true);
      await until('the status says synced', async () => (await statusOf(device, events)).code === 'synced');
    } finally {
      await device.close();
    }
  }, 180_000);

  it('answers 500 and 503 at random for a while (seeded): new tickets and edits all arrive once', async () => {
    const seed = Number(process.env.FAULT_SEED ?? 20261130);
    const random = seededRandom(seed);
    const log = newLog();
    let faulty = 60;
    const events: SyncEvent[] = [];
    const device = await openTestDevice(server.url, USER, {
      emit: (ev) => events.push(ev),
      wrapFetch: faultyNetwork(
        {
          decide: () => {
            if (faulty <= 0) return 'pass';
            faulty -= 1;
            const r = random();
            return r < 0.25 ? 503 : r < 0.4 ? 500 : r < 0.5 ? 'lose-answer' : 'pass';
          }
        },
        log
      )
    });
    try {
      const tickets = deviceTickets(sessionUser(device), ORG, 30, new Date(), `Flaky ${seed}`);
      await device.core.collections.tickets.bulkInsert(tickets);
      const edited = tickets.slice(0, 10);
      for (const t of edited) {
        const doc = await device.core.collections.tickets.findOne(t.id).exec();
        await doc!.incrementalPatch({ priority: 'P2', updatedAt: new Date().toISOString() });
      }
      const ids = tickets.map((t) => t.id);
      await settle(device, ids);
      await until('the edits are on the server', async () => {
        const res = await nano(server.couchUrl)
          .use<{ priority: string }>(TICKETS)
          .fetch({ keys: edited.map((t) => t.id) });
        return res.rows.every((r) => 'doc' in r && r.doc?.priority === 'P2');
      });

      expect(log.errors5xx + log.lostAnswers, `seed ${seed}`).toBeGreaterThan(0);
      const { missing, conflicted } = await expectAllOnServerOnce(server.couchUrl, TICKETS, ids);
      expect({ missing, conflicted }, `seed ${seed}`).toEqual({ missing: [], conflicted: [] });
      expect(await rejected(device)).toEqual([]);
      expect(await healthy()).toBe(true);
      // The status bar said why it was waiting, in words, and is clear again now.
      const failures = events.filter((e) => e.type === 'request-failed');
      expect(failures.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const f of failures) expect(f.type === 'request-failed' && f.message.length).toBeGreaterThan(5);
      const problems = statusTrail(events).flatMap((x) => (x.code === 'problem' ? x.errors : []));
      expect(
        problems.some((m) => /^HTTP 50[03]: /.test(m)),
        `seed ${seed}`
      ).toBe(true);
      await until('the status says synced', async () => (await statusOf(device, events)).code === 'synced');
    } finally {
      await device.close();
    }
  }, 180_000);

  it('kills the CouchDB child in the middle of a 1,000-ticket push: all arrive once, the server recovers', async () => {
    let pushes = 0;
    const log = newLog();
    const events: SyncEvent[] = [];
    const device = await openTestDevice(server.url, USER, {
      emit: (ev) => events.push(ev),
      wrapFetch: faultyNetwork(
        {
          decide: (url, init) => {
            if (isBulkDocs(url, init) && ++pushes === 2) {
              // Dies while the second batch is being written.
              setTimeout(() => process.kill(server.embedded!.pid!, 'SIGKILL'), 5);
            }
            return 'pass';
          }
        },
        log
      )
    });
    try {
      device.state.offline = true;
      const tickets = deviceTickets(sessionUser(device), ORG, 1000, new Date(), 'Mid-push');
      await device.core.collections.tickets.bulkInsert(tickets);
      const restarts = server.embedded!.restarts;
      device.state.offline = false;
      const ids = tickets.map((t) => t.id);
      await settle(device, ids, 240_000);

      expect(server.embedded!.restarts).toBeGreaterThan(restarts);
      const { missing, conflicted, rows } = await expectAllOnServerOnce(server.couchUrl, TICKETS, ids);
      expect(missing).toEqual([]);
      expect(conflicted).toEqual([]);
      expect(rows.size).toBe(1000);
      expect(await rejected(device)).toEqual([]);
      await until('the server is healthy', healthy);
      // While the store was down the status said so in words; it says synced now.
      const told = events.flatMap((e) => (e.type === 'request-failed' ? [e.message] : []));
      expect(told.join(' | ')).toMatch(/database server is not reachable|No answer from the server/);
      // A store that is down is not a fault of ours: never "failed on this request".
      expect(told.filter((m) => m.startsWith('HTTP 500'))).toEqual([]);
      await until('the status says synced', async () => (await statusOf(device, events)).code === 'synced');
    } finally {
      await device.close();
    }
  }, 300_000);

  it('takes work from a device two days behind, and keeps, explains and does not send work from one two days ahead', async () => {
    const events: SyncEvent[] = [];
    const device = await openTestDevice(server.url, USER, { emit: (ev) => events.push(ev) });
    try {
      const user = sessionUser(device);
      const behind = deviceTickets(user, ORG, 3, new Date(Date.now() - 2 * DAY), 'Slow clock');
      const ahead = deviceTickets(user, ORG, 2, new Date(Date.now() + 2 * DAY), 'Fast clock');
      await device.core.collections.tickets.bulkInsert([...behind, ...ahead]);
      device.core.sync.resyncNow();
      await until('the fast-clock tickets are set aside', async () => (await rejected(device)).length === 2);
      await until('the slow-clock tickets are on the server', async () => {
        const { missing } = await expectAllOnServerOnce(
          server.couchUrl,
          TICKETS,
          behind.map((t) => t.id)
        );
        return missing.length === 0;
      });

      const onServer = await expectAllOnServerOnce(
        server.couchUrl,
        TICKETS,
        ahead.map((t) => t.id)
      );
      expect(onServer.missing).toEqual(ahead.map((t) => t.id));
      const refused = await rejected(device);
      expect(refused.map((r) => r.docId).sort()).toEqual(ahead.map((t) => t.id).sort());
      for (const r of refused)
        expect(String(r.reason)).toMatch(/ahead of the server's clock.*correct the device's date/);
      // Still on the device, for the person to correct and send again.
      for (const t of ahead) expect(await device.core.collections.tickets.findOne(t.id).exec()).not.toBeNull();
      expect(await healthy()).toBe(true);
      // The status bar shows a problem: two changes refused, each with the clock reason.
      expect(await statusOf(device, events)).toMatchObject({ code: 'problem', rejected: 2 });
      const told = events.filter((e) => e.type === 'request-failed' && e.key.startsWith('rejected:'));
      expect(told.map((e) => e.type === 'request-failed' && e.message)).toEqual([
        expect.stringMatching(/ahead of the server's clock/),
        expect.stringMatching(/ahead of the server's clock/)
      ]);
    } finally {
      await device.close();
    }
  });
  it('loses events from the live stream, then reconnects: every change made in the gap arrives once, and the status says so', async () => {
    const events: SyncEvent[] = [];
    // While `gap` is set, what the event stream sends is lost on the way; the connection stays up.
    let gap = false;
    let lostChunks = 0;
    const device = await openTestDevice(server.url, USER, {
      events: true,
      emit: (ev) => events.push(ev),
      wrapFetch: (fetch) => async (input, init) => {
        const res = await fetch(input, init);
        if (!String(input).includes('/api/events') || !res.body) return res;
        const lossy = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, out) {
            if (gap) lostChunks += 1;
            else out.enqueue(chunk);
          }
        });
        return new Response(res.body.pipeThrough(lossy), { status: res.status, headers: res.headers });
      }
    });
    const couch = nano(server.couchUrl);
    const other = { id: 'reditel.gymkt', name: 'reditel.gymkt', memberships: [] };
    const write = async (label: string, n: number) => {
      const tickets = deviceTickets(other, ORG, n, new Date(), label);
      await couch.use(TICKETS).bulk({ docs: tickets.map(({ id, ...t }) => ({ _id: id, ...t })) });
      return tickets.map((t) => t.id);
    };
    const onDevice = async (ids: string[]) => (await device.core.collections.tickets.findByIds(ids).exec()).size;
    try {
      await until('the live stream is open', async () => events.some((e) => e.type === 'live' && e.connected));
      // The stream works: a change made elsewhere arrives without asking.
      const before = await write('Before the gap', 1);
      await until('the change before the gap arrives', async () => (await onDevice(before)) === 1);
      await Promise.all([...device.core.sync.replications.values()].map((r) => r.awaitInSync()));

      gap = true;
      const during = [...(await write('In the gap', 5)), ...(await write('In the gap, later', 3))];
      const edited = before[0];
      const doc = await couch.use<Record<string, unknown>>(TICKETS).get(edited);
      await couch
        .use<Record<string, unknown>>(TICKETS)
        .insert({ ...doc, priority: 'P1', updatedAt: new Date().toISOString() });
      await until('the stream lost what the server sent', async () => lostChunks > 0);
      expect(await onDevice(during)).toBe(0);

      // The network changes: the stream drops and reconnects with the id of the last event it saw.
      gap = false;
      device.cut();
      await until('every change made in the gap is on the device', async () => (await onDevice(during)) === 8);
      await until(
        'the edit made in the gap is on the device',
        async () => (await device.core.collections.tickets.findOne(edited).exec())?.get('priority') === 'P1'
      );
      const { missing, conflicted, rows } = await expectAllOnServerOnce(server.couchUrl, TICKETS, [
        ...before,
        ...during
      ]);
      expect({ missing, conflicted, n: rows.size }).toEqual({ missing: [], conflicted: [], n: 9 });
      expect(
        await device.core.collections.tickets.count({ selector: { title: { $regex: '^In the gap' } } }).exec()
      ).toBe(8);
      expect(await pendingCount(device)).toBe(0);
      // It said live updates were interrupted, and now: synced, with the gap it recovered from.
      expect(statusTrail(events).some((x) => x.code === 'live-interrupted')).toBe(true);
      await until('the status says synced after the gap', async () => {
        const now = await statusOf(device, events);
        return now.code === 'synced' && now.gap !== null && now.at >= now.gap.to;
      });
    } finally {
      await device.close();
    }
  }, 120_000);

  /** A device whose event stream waits (a slow network, a busy server) until `openStream`, while the first sync runs. */
  async function deviceWithHeldStream(options: { earlyPulls?: boolean; withoutStreamPosition?: boolean } = {}) {
    const events: SyncEvent[] = [];
    let openStream = () => undefined as void;
    const streamAllowed = new Promise<void>((resolve) => (openStream = resolve));
    const opened = openTestDevice(server.url, USER, {
      ...options,
      events: true,
      emit: (ev) => events.push(ev),
      wrapFetch: (fetch) => async (input, init) => {
        if (String(input).includes('/api/events')) await streamAllowed;
        return fetch(input, init);
      }
    });
    // A device that failed to open leaves no stream waiting.
    opened.catch(() => openStream());
    return { device: await opened, events, openStream };
  }

  /**
   * Two tickets written by someone else straight into the store while the device's stream is held
   * (announced to the streams open then, not to it); then the stream opens and they must arrive.
   */
  async function writeThenOpenStream(held: Awaited<ReturnType<typeof deviceWithHeldStream>>, label: string) {
    const other = { id: 'reditel.gymkt', name: 'reditel.gymkt', memberships: [] };
    const tickets = deviceTickets(other, ORG, 2, new Date(), label);
    let announced = false;
    const unsubscribe = server.app.events.subscribe((batch) => (announced ||= batch.dbs.includes(TICKETS)));
    await nano(server.couchUrl)
      .use(TICKETS)
      .bulk({ docs: tickets.map(({ id, ...t }) => ({ _id: id, ...t })) });
    await until('the server announced the change', async () => announced);
    unsubscribe();
    held.openStream();
    await until('the live stream is open', async () => held.events.some((e) => e.type === 'live' && e.connected));
    const ids = tickets.map((t) => t.id);
    await until(
      'the tickets written before the stream started are on the device',
      async () => (await held.device.core.collections.tickets.findByIds(ids).exec()).size === 2,
      20_000
    );
  }

  it.each([
    ['the stream asks from the position /api/me gave', false],
    ['a server that gives no position: every database is read again', true]
  ])(
    'reads a change made after the first sync and before the live stream started (%s)',
    async (_how, withoutStreamPosition) => {
      const held = await deviceWithHeldStream({ withoutStreamPosition });
      try {
        await writeThenOpenStream(held, 'Before the stream');
      } finally {
        held.openStream();
        await held.device.close();
      }
    },
    60_000
  );

  it.each([
    ['the stream names what changed since /api/me answered', false, 1],
    ['a server that gives no position: read once more when the stream opens, not twice', true, 2]
  ])(
    'a new device that asked its first pages early misses no change made before the stream (%s)',
    async (_how, withoutStreamPosition, readsAfter) => {
      // The browser holds nothing of the person's: the first pages are asked while the app starts.
      const savedIdb = globalThis.indexedDB;
      globalThis.indexedDB = new IDBFactory();
      const TASKS = orgDb(ORG, 'tasks');
      try {
        const held = await deviceWithHeldStream({ earlyPulls: true, withoutStreamPosition });
        try {
          const reads = (db: string) => held.device.changesRead.filter((d) => d === db).length;
          // The early page was all of it, read once.
          expect(reads(TASKS)).toBe(1);
          await writeThenOpenStream(held, 'Before the stream, early pages');
          await until('the early database is read as often as it must be', async () => reads(TASKS) === readsAfter);
          await new Promise((r) => setTimeout(r, 500));
          expect(reads(TASKS)).toBe(readsAfter);
        } finally {
          held.openStream();
          await held.device.close();
        }
      } finally {
        globalThis.indexedDB = savedIdb;
      }
    },
    60_000
  );

  it('loses the answer to an edit CouchDB stored; the person sets the field back offline: the device and the server end as the person left it', async () => {
    let device: TestDevice | null = null;
    let loseNext = false;
    device = await openTestDevice(server.url, USER, {
      wrapFetch: (fetch) => async (input, init) => {
        const res = await fetch(input, init);
        if (loseNext && isBulkDocs(String(input), init)) {
          // The write is stored; its answer and the network are gone.
          loseNext = false;
          device!.state.offline = true;
          throw new TypeError('fetch failed');
        }
        return res;
      }
    });
    const tickets = device.core.collections.tickets;
    const rep = device.core.sync.replications.get('tickets')!;
    const id = `lost-answer-${Date.now()}`;
    const at = () => new Date().toISOString();
    try {
      const [ticket] = deviceTickets(sessionUser(device), ORG, 1, new Date(), 'Projektor');
      await tickets.insert({ ...ticket, id, description: 'A' });
      await rep.awaitInSync();
      loseNext = true;
      await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'B', updatedAt: at() });
      await until('the answer was lost', async () => device!.state.offline);
      const stored = await nano(server.couchUrl).use<Record<string, unknown>>(TICKETS).get(id);
      expect(stored.description).toBe('B');
      await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'A', updatedAt: at() });
      device.state.offline = false;
      device.core.sync.resyncNow();
      await until(
        'the server holds what the person left',
        async () => (await nano(server.couchUrl).use<Record<string, unknown>>(TICKETS).get(id)).description === 'A',
        30_000
      );
      await rep.awaitInSync();
      expect((await tickets.findOne(id).exec())!.get('description')).toBe('A');
    } finally {
      await device.close();
    }
  }, 60_000);

  it('answers 413 to a batch of writes too large for one request: the parts that fit are sent, nothing is set aside', async () => {
    // Here the server takes at most two documents per request (its real limit is in bytes).
    const device = await openTestDevice(server.url, USER, {
      wrapFetch: (fetch) => async (input, init) => {
        if (isBulkDocs(String(input), init) && typeof init?.body === 'string') {
          const { docs } = JSON.parse(init.body) as { docs: unknown[] };
          if (docs.length > 2)
            return new Response(JSON.stringify({ error: 'too_large', reason: 'the request body is too large' }), {
              status: 413
            });
        }
        return fetch(input, init);
      }
    });
    try {
      device.state.offline = true;
      const tickets = deviceTickets(sessionUser(device), ORG, 5, new Date(), 'Too large together');
      await device.core.collections.tickets.bulkInsert(tickets);
      device.state.offline = false;
      device.core.sync.resyncNow();
      const ids = tickets.map((t) => t.id);
      await until(
        'all five are on the server',
        async () => (await onServer(server.couchUrl, TICKETS, ids)).size === 5,
        30_000
      );
      expect(await rejected(device)).toEqual([]);
    } finally {
      await device.close();
    }
  }, 60_000);
});
