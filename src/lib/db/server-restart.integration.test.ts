/**
 * The sync server is stopped and started again (same data, same address) while a device is in
 * the middle of its first sync: the device finishes it once the server is back, holds exactly
 * what the server holds, and the server is healthy. Only what ends up stored is checked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nano from 'nano';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { orgDb } from '../domain/databases';
import { deviceTickets, faultyNetwork, statusOf, statusTrail, until, type FaultLog } from './fault-support';
import { openTestDevice } from './test-device';
import type { SyncEvent } from './sync-status';

const ORG = 'gym-kt';
const TICKETS = orgDb(ORG, 'tickets');
let server: TestServer;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-restart-'));
  port = await freePort();
  server = await startTestServer({ dataDir, port });
  // A school with a history: enough tickets that the first sync takes many pages.
  const user = { id: 'ucitel.gymkt', name: 'ucitel.gymkt', memberships: [] };
  const at = new Date(Date.now() - 3_600_000);
  const docs = deviceTickets(user, ORG, 400, at, 'History').map(({ id, ...t }) => ({
    _id: id,
    id,
    ...t,
    receivedAt: at.toISOString()
  }));
  await nano(server.couchUrl).use(TICKETS).bulk({ docs });
});
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('finishes a first sync interrupted by a server restart, with everything the server holds', async () => {
  const log: FaultLog = { lostAnswers: 0, errors5xx: 0, requests: 0 };
  let restarting: Promise<void> | null = null;
  const restart = async () => {
    await server.close();
    server = await startTestServer({ dataDir, port });
  };
  const events: SyncEvent[] = [];
  const device = await openTestDevice(server.url, 'ucitel.gymkt', {
    emit: (ev) => events.push(ev),
    pullBatchSize: 25,
    skipInitialWait: true,
    wrapFetch: faultyNetwork(
      {
        decide: () => {
          // A few pages in, the server goes away and comes back.
          if (log.requests === 6) restarting = restart();
          return 'pass';
        }
      },
      log
    )
  });
  try {
    await until('the server was restarted', async () => restarting !== null, 60_000);
    await restarting;
    device.core.sync.resyncNow();
    await device.core.sync.awaitInitial();

    const onServer = (await nano(server.couchUrl).use(TICKETS).list()).rows.filter((r) => !r.id.startsWith('_design/'));
    await until(
      'the device holds every ticket of the school',
      async () =>
        (await device.core.collections.tickets.count({ selector: { orgId: ORG } }).exec()) === onServer.length,
      120_000
    );
    const local = await device.core.collections.tickets.find({ selector: { orgId: ORG } }).exec();
    expect(new Set(local.map((d) => d.primary))).toEqual(new Set(onServer.map((r) => r.id)));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // While the server was away or starting the status said so in words, and says synced now.
    const failures = events.flatMap((e) => (e.type === 'request-failed' ? [e.message] : []));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((m) => !/^(No answer from the server|HTTP 503: )/.test(m))).toEqual([]);
    expect(statusTrail(events).some((x) => x.code === 'offline' || x.code === 'problem')).toBe(true);
    await until('the status says synced', async () => (await statusOf(device, events)).code === 'synced', 60_000);
  } finally {
    await device.close();
  }
}, 300_000);
