/**
 * Pending marks against the real server (embedded CouchDB behind the real gateway, the app's
 * own data layer on the device): a mark says "this device holds an edit the server does not",
 * and the warning before a wipe is built from them. The answer to the push of an earlier
 * version must never clear the mark of a later edit made while that push was on its way,
 * whatever the device's clock stamped on the two edits.
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
      const { device, holdNext, isHeld, release } = await deviceHoldingAnAnswer();
      const tickets = device.core.collections.tickets;
      const rep = device.core.sync.replications.get('tickets')!;
      const sent: Record<string, unknown>[] = [];
      const sub = rep.sent$.subscribe((d) => sent.push(d as Record<string, unknown>));
      try {
        const [ticket] = deviceTickets(sessionUser(device), ORG, 1, new Date(), 'Projektor');
        const id = `${ticket.id}-${secondMinusFirst}`;
        await tickets.insert({ ...ticket, id, description: 'A' });
        await rep.awaitInSync();
        expect(await pendingCount(device)).toBe(0);

        const first = new Date(Date.now() + 60_000).toISOString();
        const second = new Date(Date.parse(first) + secondMinusFirst).toISOString();
        holdNext();
        await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'B', updatedAt: first });
        await until('the first edit reached the server, its answer is held', isHeld, 30_000);
        await (await tickets.findOne(id).exec())!.incrementalPatch({ description: 'C', updatedAt: second });
        release();
        await until(
          'the push of the first edit finished',
          async () => sent.some((d) => d.id === id && d.description === 'B'),
          30_000
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
        device.state.offline = false;
        device.core.sync.resyncNow();
        await until('the second edit is on the server', async () => (await onServer(id)).description === 'C', 30_000);
        await until('nothing is pending', async () => (await pendingCount(device)) === 0, 30_000);
      } finally {
        sub.unsubscribe();
        await device.close();
      }
    },
    90_000
  );

  it('a deletion made while the push of the previous version is answered stays unsent (it keeps the time of that version)', async () => {
    const { device, holdNext, isHeld, release } = await deviceHoldingAnAnswer();
    const tickets = device.core.collections.tickets;
    const rep = device.core.sync.replications.get('tickets')!;
    const sent: Record<string, unknown>[] = [];
    const sub = rep.sent$.subscribe((d) => sent.push(d as Record<string, unknown>));
    try {
      const [ticket] = deviceTickets(sessionUser(device), ORG, 1, new Date(), 'Projektor');
      const id = `${ticket.id}-removed`;
      await tickets.insert({ ...ticket, id, description: 'A' });
      await rep.awaitInSync();

      holdNext();
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'B',
        updatedAt: new Date().toISOString()
      });
      await until('the edit reached the server, its answer is held', isHeld, 30_000);
      await (await tickets.findOne(id).exec())!.remove();
      release();
      await until(
        'the push of the edit finished',
        async () => sent.some((d) => d.id === id && d.description === 'B'),
        30_000
      );

      expect((await onServer(id)).description).toBe('B');
      expect(await tickets.findOne(id).exec()).toBeNull();
      expect(await pendingCount(device)).toBe(1);
    } finally {
      sub.unsubscribe();
      await device.close();
    }
  }, 90_000);
});
