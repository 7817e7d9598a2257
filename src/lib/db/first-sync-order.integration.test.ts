/**
 * A new device fills the collections of the page the person opened first: the other
 * collections' first syncs ask nothing until those are stored, so the two cores are not shared
 * with them while the person waits. Without a page named, every collection starts at once.
 * Real gateway and embedded CouchDB; the app's data layer on memory storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { DataCollection } from './collections';
import type { FetchLike } from './couch-http';
import { localCollectionOf } from './db-feeds';
import { openTestDevice, type TestDevice } from './test-device';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const AHEAD: readonly DataCollection[] = ['tickets', 'region'];

/**
 * Opens the central desk's device (13 organizations' tickets, pages of 25) and tells how many
 * tickets it held when it first asked for a database of another collection, and in the end.
 */
async function ticketsHeldAtFirstOtherAsk(firstSyncFirst?: readonly DataCollection[]) {
  let device: TestDevice | null = null;
  let heldAtOther: Promise<number> | null = null;
  const otherCollections = new Set<string>();
  const wrapFetch =
    (network: FetchLike): FetchLike =>
    (input, init) => {
      if (String(input).endsWith('/api/changes') && typeof init?.body === 'string') {
        const dbs = Object.keys((JSON.parse(init.body) as { since: object }).since);
        const others = dbs.map(localCollectionOf).filter((c): c is string => !!c && !AHEAD.includes(c as never));
        others.forEach((c) => otherCollections.add(c));
        if (others.length && !heldAtOther)
          heldAtOther = device ? device.core.collections.tickets.count().exec() : Promise.resolve(0);
      }
      return network(input, init);
    };
  // Not waiting inside: the device must be at hand while its first sync asks.
  device = await openTestDevice(server.url, 'helpdesk', {
    pullBatchSize: 25,
    wrapFetch,
    firstSyncFirst,
    skipInitialWait: true
  });
  try {
    await device.core.sync.awaitInitial();
    const total = await device.core.collections.tickets.count().exec();
    return { held: await (heldAtOther ?? Promise.resolve(-1)), total, otherCollections };
  } finally {
    await device.close();
  }
}

describe('a new device opened on a page', () => {
  it('stores every ticket before it asks for another collection', async () => {
    const { held, total, otherCollections } = await ticketsHeldAtFirstOtherAsk(AHEAD);
    // The desk reads more than tickets: the order is tested, not an empty remainder.
    expect(otherCollections.size).toBeGreaterThanOrEqual(3);
    expect(total).toBeGreaterThan(200);
    expect(held).toBe(total);
  });

  it('starts every collection at once when no page is named', async () => {
    const { held, total } = await ticketsHeldAtFirstOtherAsk();
    expect(held).toBeGreaterThanOrEqual(0);
    expect(held).toBeLessThan(total);
  });
});
