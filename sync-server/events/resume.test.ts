/**
 * Resuming the change events without a full resync: event ids are server times that any
 * instance understands, a restarted server knows what changed since its last saved state,
 * and heartbeats carry the latest id so a quiet client resumes from a recent one.
 */
import { rm } from 'node:fs/promises';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDataDir, login, startTestServer, type TestServer } from '../testing/server';
import { namesDb, openSse, type SseClient } from '../testing/sse';
import { ChangeNotifier } from './notifier';
import { heartbeatFrame } from './route';

let dataDir: string;
let first: TestServer | undefined;
const open: SseClient[] = [];

beforeAll(async () => {
  dataDir = await demoDataDir();
}, 120_000);
afterAll(async () => {
  for (const c of open) c.close();
  await first?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function stream(url: string, cookie: string, lastEventId?: string): Promise<SseClient> {
  const sse = await openSse(`${url}/api/events`, { cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) });
  open.push(sse);
  await sse.waitFor((e) => e.event === 'ready', 10_000);
  return sse;
}

// A comment of a ticket: a database every reader of the organization's tickets replicates.
const asset = (id: string) => ({
  _id: id,
  orgId: 'gym-kt',
  ticketId: 'tkt-gym-kt-0001',
  kind: 'comment',
  text: 'Resume',
  createdBy: 'helpdesk',
  createdAt: new Date().toISOString(),
  updatedBy: 'helpdesk',
  updatedAt: new Date().toISOString()
});

describe('event ids', () => {
  it('are understood by another server instance on the same store: what was missed, not a resync', async () => {
    first = await startTestServer({ dataDir });
    const second = await startTestServer({ couchUrl: first.couchUrl, demo: 'off' });
    try {
      const cookie = await login(first.url, 'reditel.gymkt');
      const a = await stream(first.url, cookie);
      const seen = a.events.find((e) => e.event === 'ready')!.id!;
      expect(seen).toMatch(/^\d+$/);
      a.close();
      await nano(first.couchUrl).use('org_gym-kt_comments').insert(asset('asset-resume-1'));
      const b = await stream(second.url, cookie, seen);
      await b.waitFor(namesDb('org_gym-kt_comments'), 10_000);
      expect(b.events.some((e) => e.event === 'resync')).toBe(false);
    } finally {
      await second.close();
    }
    // Two servers start here: generous on a busy machine.
  }, 180_000);

  it('survive a restart: changes since the last saved state are told, not a resync', async () => {
    const cookie = await login(first!.url, 'reditel.gymkt');
    const a = await stream(first!.url, cookie);
    const seen = a.events.find((e) => e.event === 'ready')!.id!;
    a.close();
    await nano(first!.couchUrl).use('org_gym-kt_comments').insert(asset('asset-resume-2'));
    await first!.close();
    first = await startTestServer({ dataDir });
    const again = await stream(first.url, await login(first.url, 'reditel.gymkt'), seen);
    await again.waitFor(namesDb('org_gym-kt_comments'), 10_000);
    expect(again.events.some((e) => e.event === 'resync')).toBe(false);
    // An id from before anything this store saved is unknown: check everything.
    const stale = await stream(first.url, await login(first.url, 'reditel.gymkt'), '1000');
    await stale.waitFor((e) => e.event === 'resync', 5_000);
  }, 90_000);

  it('older than the last save before a restart: answered from the archived states, not a resync', async () => {
    const couch = first!.app.couch;
    const quiet = { warn: () => undefined, error: () => undefined } as never;
    const notifier = (archiveEveryMs: number) =>
      new ChangeNotifier(couch, first!.couchUrl, quiet, { archiveEveryMs, catchUpEveryMs: 3_600_000 });
    // A server that ran last night: it saved (and archived) its state, a device kept its position.
    const night = notifier(0);
    await night.start();
    const position = night.lastId;
    night.stop();
    await new Promise((r) => setTimeout(r, 20));
    await nano(first!.couchUrl).use('org_gym-kt_comments').insert(asset('asset-resume-3'));
    // Later saves (a restart, a running server's catch-ups) moved the saved state past the position.
    const later = notifier(3_600_000);
    await later.start();
    later.stop();
    const morning = notifier(3_600_000);
    await morning.start();
    try {
      expect(morning.since(position)).toBeNull();
      const missed = await morning.sinceArchived(position);
      expect(missed).toContain('org_gym-kt_comments');
      // What changed, not every database of the region.
      expect(missed!.length).toBeLessThan(10);
      expect(await morning.sinceArchived('1000')).toBeNull();
    } finally {
      morning.stop();
    }
  }, 90_000);

  it('are carried by heartbeats, which clients that ignore them do not notice', () => {
    expect(heartbeatFrame('1796000000000')).toBe(': heartbeat\nid: 1796000000000\n\n');
  });
});
