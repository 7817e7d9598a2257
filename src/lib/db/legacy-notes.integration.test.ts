/**
 * A requester's device against the real gateway, when the server moves internal notes out of
 * tickets: the device's copy held a note (synced from an older server) and an offline edit of
 * the requester. After the move and the next sync, the device's local store holds no note,
 * the requester's edit is on the server, and nothing is set aside as refused. A second device
 * that never saw the note finds none in its store either.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateOrgTicketEvents } from '../../../sync-server/provision/ticket-events-migration';
import { startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { Ticket } from '../domain/schemas';
import type { CoreDb } from './open-core';
import { openTestDevice } from './test-device';

const ID = 'tkt-gym-kt-0001';
const SECRET = 'TAJNÉ: heslo správce je na monitoru';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => server?.close());

const device = (username: string) => openTestDevice(server.url, username);

/** Everything the device's tickets collection stores, as text. */
async function localTickets(core: CoreDb): Promise<string> {
  const docs = await core.collections.tickets.find().exec();
  return JSON.stringify(docs.map((d) => d.toJSON()));
}

async function until(check: () => Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

it('a device that held a note and edited offline ends with no note, its edit kept', async () => {
  const teacher = await device('ucitel.gymkt');
  try {
    const tickets = server.app.couch.use<Ticket>('org_gym-kt_tickets');
    const stored = await tickets.get(ID);
    const note = {
      id: 'ev-legacy-note',
      at: new Date().toISOString(),
      by: 'helpdesk',
      kind: 'note' as const,
      text: SECRET
    };

    // What an older server gave every reader: the ticket with the helpdesk's note. The device
    // syncs that copy, then the requester corrects the description offline.
    await tickets.insert({ ...stored, events: [...stored.events, note] });
    teacher.core.sync.resyncNow();
    await until(async () => (await localTickets(teacher.core)).includes(SECRET));
    teacher.state.offline = true;
    const local = (await teacher.core.collections.tickets.findOne(ID).exec())!;
    const at = new Date().toISOString();
    await local.incrementalModify((t: Ticket) => ({
      ...t,
      description: 'Projektor už zase nejde.',
      updatedBy: 'ucitel.gymkt',
      updatedAt: at
    }));
    expect(await localTickets(teacher.core)).toContain(SECRET);

    // The server moves the note out (as at its start).
    expect(await migrateOrgTicketEvents(server.app.couch, 'gym-kt')).toMatchObject({ tickets: 1, notes: 1 });

    teacher.state.offline = false;
    teacher.core.sync.resyncNow();
    await until(async () => (await tickets.get(ID)).description === 'Projektor už zase nejde.');
    await until(async () => !(await localTickets(teacher.core)).includes(SECRET));

    const onServer = await tickets.get(ID);
    expect(onServer.events.map((e) => e.kind)).not.toContain('note');
    expect(await localTickets(teacher.core)).not.toMatch(/"kind":"note"/);
    expect(await teacher.core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);
  } finally {
    await teacher.close();
  }
}, 120_000);

it("the director's device, synced after the move, holds no note and no notes collection data", async () => {
  const director = await device('reditel.gymkt');
  try {
    expect(await localTickets(director.core)).not.toContain('TAJNÉ');
    expect(await localTickets(director.core)).not.toMatch(/"kind":"note"/);
    expect(await director.core.collections.notes.count().exec()).toBe(0);
  } finally {
    await director.close();
  }
}, 120_000);
