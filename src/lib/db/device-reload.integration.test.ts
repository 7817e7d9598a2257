/**
 * What a device keeps across a page reload and a server restart, against the real server:
 * unsent comments written into a ticket by an older version of the app become comment
 * documents and reach the server; and the change stream resumes from the position the
 * device saved (after a reload, a restart of the server, on a second server instance over
 * the same store) instead of reading every database again. Requests are counted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { Ticket, TicketComment } from '../domain/schemas';
import { loadStreamPosition } from './stream-position';
import { openTestDevice, type TestDevice } from './test-device';

let dataDir: string;
let server: TestServer;
const extra: TestServer[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-reload-'));
  server = await startTestServer({ dataDir });
}, 120_000);
afterAll(async () => {
  for (const s of extra) await s.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
}, 120_000);

async function until(check: () => Promise<boolean> | boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('unsent comments inside a stored ticket', () => {
  it('become comment documents when the app opens, reach the server, and the ticket is accepted', async () => {
    const teacher = await openTestDevice(server.url, 'ucitel.gymkt');
    try {
      const ID = 'tkt-gym-kt-0001';
      teacher.state.offline = true;
      const at = new Date().toISOString();
      const local = (await teacher.core.collections.tickets.findOne(ID).exec())!;
      // What an older version of the app wrote offline: a comment and a photo inside the ticket.
      await local.incrementalModify((t: Ticket) => ({
        ...t,
        events: [
          ...t.events,
          { id: 'ev-old-app-1', at, by: 'ucitel.gymkt', kind: 'comment', text: 'Projektor bliká.' },
          { id: 'ev-old-app-2', at, by: 'ucitel.gymkt', kind: 'attachment', mediaId: 'media-x', fileName: 'f.jpg' }
        ] as Ticket['events'],
        updatedBy: 'ucitel.gymkt',
        updatedAt: at
      }));

      await teacher.reload();
      const moved = (await teacher.core.collections.comments.find().exec()).map((d) => d.toJSON() as TicketComment);
      expect(moved.map((c) => `${c.id} ${c.kind}`).sort()).toEqual([
        `cmt-${ID}-ev-old-app-1 comment`,
        `cmt-${ID}-ev-old-app-2 attachment`
      ]);
      const kinds = (await teacher.core.collections.tickets.findOne(ID).exec())!
        .toJSON()
        .events.map((e: { kind: string }) => e.kind);
      expect(kinds).not.toContain('comment');

      teacher.state.offline = false;
      teacher.core.sync.resyncNow();
      const comments = nano(server.couchUrl).use<TicketComment>('org_gym-kt_comments');
      await until(async () => (await comments.list({ keys: moved.map((c) => c.id) })).rows.every((r) => 'value' in r));
      expect((await comments.get(`cmt-${ID}-ev-old-app-1`)).text).toBe('Projektor bliká.');
      await until(async () => (await teacher.core.issues.store.count({ selector: { kind: 'pending' } }).exec()) === 0);
      expect(await teacher.core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);
    } finally {
      await teacher.close();
    }
  }, 120_000);
});

describe('the change stream resumes where the device was', () => {
  let device: TestDevice;
  let n = 0;
  const comment = () => {
    const at = new Date().toISOString();
    const id = `cmt-resume-${++n}`;
    return {
      _id: id,
      orgId: 'gym-kt',
      ticketId: 'tkt-gym-kt-0001',
      kind: 'comment',
      text: 'Resume',
      createdBy: 'helpdesk',
      createdAt: at,
      updatedBy: 'helpdesk',
      updatedAt: at
    };
  };
  /**
   * What a resumed stream may cost: the changed database, and the few the server names again
   * because they changed within its clock margin (5 s) before the saved position.
   */
  const expectResumed = (from: number) => {
    const read = readSince(from);
    expect(read).toContain('org_gym-kt_comments');
    expect(read.size).toBeLessThanOrEqual(4);
  };
  /** Databases whose changes the device asked for since ask number `from`. */
  const readSince = (from: number) => new Set(device.changesRead.slice(from));
  const hasComment = async (id: string) => !!(await device.core.collections.comments.findOne(id).exec());
  const positionSaved = async (after?: string) => {
    const id = await loadStreamPosition(device.core.db);
    return !!id && id !== after;
  };

  beforeAll(async () => {
    device = await openTestDevice(server.url, 'helpdesk', { events: true });
    await until(() => positionSaved());
  }, 120_000);
  afterAll(async () => device?.close(), 60_000);

  it('reads every database on the first start (what a resync would cost)', () => {
    expect(readSince(0).size).toBeGreaterThan(40);
  });

  it('after a page reload: only what changed while the page was away', async () => {
    const saved = await loadStreamPosition(device.core.db);
    const doc = comment();
    const from = device.changesRead.length;
    await device.reload(async () => {
      await nano(server.couchUrl).use('org_gym-kt_comments').insert(doc);
    });
    await until(() => hasComment(doc._id));
    await until(() => positionSaved(saved));
    expectResumed(from);
  }, 120_000);

  it('after a server restart: what changed since, not a resync', async () => {
    const from = device.changesRead.length;
    await server.close();
    server = await startTestServer({ dataDir });
    device.state.target = server.url;
    const doc = comment();
    await nano(server.couchUrl).use('org_gym-kt_comments').insert(doc);
    await until(() => hasComment(doc._id), 60_000);
    expectResumed(from);
  }, 180_000);

  it('on a second server instance over the same store: what changed since, not a resync', async () => {
    const second = await startTestServer({ couchUrl: server.couchUrl, demo: 'off' });
    extra.push(second);
    await until(() => positionSaved());
    const from = device.changesRead.length;
    device.state.target = second.url;
    device.cut();
    const asked = device.requests.length;
    await until(() => device.requests.slice(asked).some((r) => r.startsWith('/api/events')));
    const doc = comment();
    await nano(server.couchUrl).use('org_gym-kt_comments').insert(doc);
    await until(() => hasComment(doc._id), 60_000);
    expectResumed(from);
  }, 180_000);
});
