/**
 * Pending marks against the real server (embedded CouchDB behind the real gateway, the app's
 * own data layer on the device): a mark says "this device holds an edit the server does not",
 * and the warning before a wipe is built from them. The answer to the push of an earlier
 * version must never clear the mark of a later edit made while that push was on its way,
 * whatever the device's clock stamped on the two edits; nor may a mark outlive what it stands
 * for when the device ends up holding the server's version.
 */
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { orgDb } from '../domain/databases';
import { deviceTickets, isBulkDocs, pendingCount, until } from './fault-support';
import { collectUnsentWork } from './unsent-work';
import { openTestDevice, type TestDevice } from './test-device';

const USER = 'ucitel.gymkt';
const ORG = 'gym-kt';
const TICKETS = orgDb(ORG, 'tickets');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const sessionUser = (d: TestDevice) => ({ id: d.user, name: d.user, memberships: [] });
const onServer = async (id: string) => nano(server.couchUrl).use<Record<string, unknown>>(TICKETS).get(id);

/**
 * A device whose next `_bulk_docs` reaches the server, then waits for `release()` before its
 * answer comes back; the network is gone right after that answer, so whatever the person did
 * meanwhile cannot be sent and must still count as unsent.
 */
async function deviceHoldingAnAnswer() {
  let hold = false;
  let held = false;
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  const device: TestDevice = await openTestDevice(server.url, USER, {
    wrapFetch: (fetch) => async (input, init) => {
      const res = await fetch(input, init);
      if (hold && isBulkDocs(String(input), init)) {
        hold = false;
        held = true;
        await released;
        device.state.offline = true;
      }
      return res;
    }
  });
  return {
    device,
    holdNext: () => (hold = true),
    isHeld: async () => held,
    release
  };
}

/** A new ticket (description `A`) inserted on the device and sent. */
async function sentTicket(device: TestDevice, label: string) {
  const tickets = device.core.collections.tickets;
  const rep = device.core.sync.replications.get('tickets')!;
  const [ticket] = deviceTickets(sessionUser(device), ORG, 1, new Date(), 'Projektor');
  const id = `${ticket.id}-${label}`;
  await tickets.insert({ ...ticket, id, description: 'A' });
  await rep.awaitInSync();
  return { id, tickets, rep };
}

/**
 * Edits the ticket to `B` (stamped `updatedAt`) and sends it with its answer held while
 * `meanwhile` runs on the device; returns once that push has finished.
 */
async function editWhileAnswerHeld(
  held: Awaited<ReturnType<typeof deviceHoldingAnAnswer>>,
  id: string,
  updatedAt: string,
  meanwhile: () => Promise<unknown>
) {
  const { device, holdNext, isHeld, release } = held;
  const tickets = device.core.collections.tickets;
  const sent: Record<string, unknown>[] = [];
  const sub = device.core.sync.replications
    .get('tickets')!
    .sent$.subscribe((d) => sent.push(d as Record<string, unknown>));
  try {
    holdNext();
    await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'B', updatedAt });
    await until('the edit reached the server, its answer is held', isHeld, 30_000);
    await meanwhile();
    release();
    await until(
      'the push of the edit finished',
      async () => sent.some((d) => d.id === id && d.description === 'B'),
      30_000
    );
  } finally {
    sub.unsubscribe();
  }
}

/**
 * A device whose reads of the server's versions before a push fail (503) while `failing` is set:
 * RxDB then retries the same rows, read before whatever the person did meanwhile, and the push
 * hands each such row back (`outdatedRows`) instead of writing it.
 */
async function deviceWithFailingReads() {
  const ctl = { failing: false, failures: 0 };
  const device = await openTestDevice(server.url, USER, {
    wrapFetch: (fetch) => async (input, init) => {
      if (ctl.failing && (init?.method ?? 'GET') === 'POST' && String(input).includes('/_all_docs')) {
        ctl.failures += 1;
        return new Response(JSON.stringify({ error: 'unavailable', reason: 'injected fault' }), {
          status: 503,
          headers: { 'content-type': 'application/json' }
        });
      }
      return fetch(input, init);
    }
  });
  return { device, ctl };
}

/** A ticket made and sent, and the server's version of it (stamped, routed) on the device. */
async function syncedTicket(device: TestDevice, label: string) {
  const { id, tickets, rep } = await sentTicket(device, label);
  device.core.sync.resyncNow();
  await until(
    "the device holds the server's version",
    async () => (await tickets.findOne(id).exec())?.get('receivedAt') === (await onServer(id)).receivedAt,
    30_000
  );
  await rep.awaitInSync();
  expect(await pendingCount(device)).toBe(0);
  return { id, tickets, rep };
}

/** Back online: the edit (its `description`) reaches the server and its mark goes with it. */
async function backOnlineUntilSent(device: TestDevice, id: string, description: string) {
  device.state.offline = false;
  device.core.sync.resyncNow();
  await until('the edit is on the server', async () => (await onServer(id)).description === description, 30_000);
  await until('nothing is pending', async () => (await pendingCount(device)) === 0, 30_000);
}

describe('pending marks', () => {
  it.each([
    ['stamped later (the usual case)', 1_000],
    // The device's clock ran a minute fast at the first edit and was set right before the second.
    ['stamped earlier (the clock was set back in between)', -60_000],
    // Two edits within one millisecond, or a change that keeps the document's time.
    ['stamped at the same time', 0]
  ])(
    'an edit made while the push of the previous version is answered stays unsent: %s',
    async (_what, secondMinusFirst) => {
      const held = await deviceHoldingAnAnswer();
      const { device } = held;
      try {
        const { id, tickets } = await sentTicket(device, String(secondMinusFirst));
        expect(await pendingCount(device)).toBe(0);

        const first = new Date(Date.now() + 60_000).toISOString();
        const second = new Date(Date.parse(first) + secondMinusFirst).toISOString();
        await editWhileAnswerHeld(held, id, first, async () =>
          (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'C', updatedAt: second })
        );

        // The server holds the first edit, the device the second: one edit is unsent.
        expect((await onServer(id)).description).toBe('B');
        expect((await tickets.findOne(id).exec())!.get('description')).toBe('C');
        expect(await pendingCount(device)).toBe(1);
        const unsent = await collectUnsentWork({
          collections: device.core.collections,
          issues: device.core.issues,
          media: { unsent: async () => [], blob: async () => new Blob() }
        });
        expect(unsent.map((u) => [u.kind, u.id, u.doc?.description])).toEqual([['pending', id, 'C']]);

        // Back online, the second edit goes out and its mark goes with it.
        await backOnlineUntilSent(device, id, 'C');
      } finally {
        await device.close();
      }
    },
    90_000
  );

  it('a deletion made while the push of the previous version is answered stays unsent (it keeps the time of that version)', async () => {
    const held = await deviceHoldingAnAnswer();
    const { device } = held;
    try {
      const { id, tickets } = await sentTicket(device, 'removed');
      await editWhileAnswerHeld(held, id, new Date().toISOString(), async () =>
        (await tickets.findOne(id).exec())!.remove()
      );

      expect((await onServer(id)).description).toBe('B');
      expect(await tickets.findOne(id).exec()).toBeNull();
      expect(await pendingCount(device)).toBe(1);
    } finally {
      await device.close();
    }
  }, 90_000);

  it('an edit made while the push of the previous version is retried stays unsent until it is sent', async () => {
    const { device, ctl } = await deviceWithFailingReads();
    try {
      const { id, tickets, rep } = await syncedTicket(device, 'retried');
      ctl.failing = true;
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'B',
        updatedAt: new Date().toISOString()
      });
      await until('the push of the edit failed', async () => ctl.failures > 0, 30_000);
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'C',
        updatedAt: new Date().toISOString()
      });
      // Two more failed reads: whichever came first, the retry of the first edit (handed back,
      // the device holds a newer one) is behind us and the second edit's own push has failed.
      const after = ctl.failures;
      await until('the second edit was tried too', async () => ctl.failures >= after + 2, 30_000);
      expect(await pendingCount(device)).toBe(1);
      const unsent = await collectUnsentWork({
        collections: device.core.collections,
        issues: device.core.issues,
        media: { unsent: async () => [], blob: async () => new Blob() }
      });
      expect(unsent.map((u) => [u.kind, u.id, u.doc?.description])).toEqual([['pending', id, 'C']]);

      ctl.failing = false;
      await until('the second edit is on the server', async () => (await onServer(id)).description === 'C', 30_000);
      await until('nothing is pending', async () => (await pendingCount(device)) === 0, 30_000);
      await rep.awaitInSync();
    } finally {
      await device.close();
    }
  }, 90_000);

  it("an edit taken back to the server's version (its time included) while its push is retried leaves nothing pending", async () => {
    const { device, ctl } = await deviceWithFailingReads();
    try {
      const { id, tickets, rep } = await syncedTicket(device, 'taken-back');
      const server = await onServer(id);
      ctl.failing = true;
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'B',
        updatedAt: new Date().toISOString()
      });
      await until('the push of the edit failed', async () => ctl.failures > 0, 30_000);
      // The device holds the server's version again: RxDB pushes only what differs from it, so
      // no answer to a push would ever clear this mark.
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: server.description,
        updatedAt: server.updatedAt
      });
      ctl.failing = false;
      await rep.awaitInSync();
      device.core.sync.resyncNow();
      await rep.awaitInSync();

      expect((await onServer(id)).description).toBe('A');
      expect((await tickets.findOne(id).exec())!.get('description')).toBe('A');
      expect(await pendingCount(device)).toBe(0);
    } finally {
      await device.close();
    }
  }, 90_000);

  it('a write of the values a document already has leaves nothing pending', async () => {
    const device = await openTestDevice(server.url, USER);
    try {
      const { id, tickets, rep } = await sentTicket(device, 'same-values');
      await until('nothing is pending', async () => (await pendingCount(device)) === 0, 30_000);
      // Equal to what the server holds: RxDB pushes nothing, so no answer would clear its mark.
      await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'A' });
      await rep.awaitInSync();
      await until('nothing is pending', async () => (await pendingCount(device)) === 0, 30_000);
      // A real edit after it, and the same values written again while it waits, stay marked until it is sent.
      device.state.offline = true;
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'D',
        updatedAt: new Date().toISOString()
      });
      await until('the edit is marked unsent', async () => (await pendingCount(device)) === 1, 30_000);
      await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'D' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await pendingCount(device)).toBe(1);
      await backOnlineUntilSent(device, id, 'D');
    } finally {
      await device.close();
    }
  }, 90_000);
});
