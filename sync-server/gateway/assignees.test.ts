/**
 * A ticket is named only to someone who can work it: the helpdesk in the central queue, a
 * contractor of the organization's district in theirs (`assignees-hook.ts`), through the real
 * gateway and the embedded CouchDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvent } from '../../src/lib/domain/tickets/build';
import type { Assignee, Ticket } from '../../src/lib/domain/schemas';
import { login, startTestServer, type TestServer } from '../testing/server';
import { namedAssignees } from './assignees-hook';
import { client, validDoc, type Client } from './test-support';

let server: TestServer;
let teacher: Client;
let desk: Client;

const DB = 'org_gym-kt_tickets';
const DESK_USER = { id: 'helpdesk', name: 'Jana Nováková', memberships: [] };

beforeAll(async () => {
  server = await startTestServer();
  teacher = client(server.url, await login(server.url, 'ucitel.gymkt'));
  desk = client(server.url, await login(server.url, 'helpdesk'));
}, 120_000);
afterAll(() => server?.close());

/** A new software ticket of the school (routed to the central queue), as stored. */
async function newTicket(): Promise<Ticket & { _id: string; _rev: string }> {
  const doc = validDoc(DB, 'ucitel.gymkt', { category: 'cat-software' });
  expect((await teacher.bulkDocs(DB, [doc])).body[0]).toMatchObject({ ok: true });
  const res = await desk.get(`/couch/${DB}/${String(doc._id)}`);
  return (await res.json()) as Ticket & { _id: string; _rev: string };
}

/** The helpdesk names `assignee`; the gateway's answer row and the ticket as stored afterwards. */
async function assign(assignee: Assignee) {
  const t = await newTicket();
  const { _id, _rev, ...plain } = t;
  const next = addEvent(plain as Ticket, { kind: 'assign', assignee }, DESK_USER, new Date());
  const res = await desk.bulkDocs(DB, [{ ...next, _id, _rev }]);
  const after = (await (await desk.get(`/couch/${DB}/${_id}`)).json()) as Ticket;
  return { row: res.body[0], after, before: t };
}

describe('who a ticket may be assigned to', () => {
  it('the helpdesk names a colleague of the central queue', async () => {
    const { row, after } = await assign({ queue: 'central', userId: 'helpdesk' });
    expect(row).toMatchObject({ ok: true });
    expect(after.assignee).toEqual({ queue: 'central', userId: 'helpdesk' });
  });

  it("the helpdesk names the contractor of the school's district in the contractor queue", async () => {
    const { row, after } = await assign({ queue: 'contractor', userId: 'technik.kt' });
    expect(row).toMatchObject({ ok: true });
    expect(after.assignee).toEqual({ queue: 'contractor', userId: 'technik.kt' });
  });

  it.each([
    ['the founding department', { queue: 'central', userId: 'odbor.skolstvi' }, /not on the helpdesk/],
    ["the school's own director", { queue: 'central', userId: 'reditel.gymkt' }, /not on the helpdesk/],
    ['the contractor in the central queue', { queue: 'central', userId: 'technik.kt' }, /not on the helpdesk/],
    ['the helpdesk in the contractor queue', { queue: 'contractor', userId: 'helpdesk' }, /not a contractor/],
    ['an account that does not exist', { queue: 'central', userId: 'nikdo.takovy' }, /no active account nikdo\.takovy/]
  ] as const)('refuses %s, and the stored ticket stays as it was', async (_, assignee, reason) => {
    const { row, after, before } = await assign(assignee as Assignee);
    expect(row).toMatchObject({ error: 'forbidden' });
    expect(String(row.reason)).toMatch(reason);
    expect(after.assignee).toEqual(before.assignee);
    expect(after.events).toHaveLength(before.events.length);
  });

  it("reads only the assignee a ticket is left with: a long history of names does not fail the batch's other tickets", async () => {
    const good = validDoc(DB, 'ucitel.gymkt', { category: 'cat-software' });
    const t0 = Date.now() - 3600_000;
    const events = Array.from({ length: 700 }, (_, i) => ({
      id: `${new Date(t0 + i * 1000).toISOString()}-e${String(i).padStart(4, '0')}`,
      at: new Date(t0 + i * 1000).toISOString(),
      by: 'ucitel.gymkt',
      kind: 'assign',
      assignee: { queue: 'central', userId: `odborny.pracovnik.${i}` }
    }));
    const crowded = validDoc(DB, 'ucitel.gymkt', {
      category: 'cat-software',
      status: 'assigned',
      assignee: events[events.length - 1].assignee,
      events
    });
    const res = await teacher.bulkDocs(DB, [good, crowded]);
    expect(res.status).toBe(201);
    expect(res.body.find((r) => r.id === good._id)).toMatchObject({ ok: true });
    expect(res.body.find((r) => r.id === crowded._id)).toMatchObject({ error: 'forbidden' });
  });
});

describe("a requester's reopen of a ticket whose assignee can no longer work it", () => {
  let admin: Client;
  beforeAll(async () => {
    admin = client(server.url, await login(server.url, 'admin'));
  });

  /** A resolved ticket of the teacher, imported with its history by the administrator. */
  async function resolvedTicket(category: string, assignee: Assignee) {
    const t0 = Date.now() - 3 * 86_400_000;
    const at = (h: number) => new Date(t0 + h * 3600_000).toISOString();
    const events = [
      { id: `ev-${t0.toString(36)}-a`, at: at(1), by: 'admin', kind: 'assign', assignee },
      { id: `ev-${t0.toString(36)}-b`, at: at(2), by: 'admin', kind: 'status', to: 'in_progress' },
      { id: `ev-${t0.toString(36)}-c`, at: at(3), by: 'admin', kind: 'status', to: 'resolved', text: 'Vyměněn kabel.' }
    ];
    const doc = validDoc(DB, 'admin', {
      category,
      requester: 'ucitel.gymkt',
      status: 'resolved',
      assignee,
      events,
      createdAt: at(0)
    });
    expect((await admin.bulkDocs(DB, [doc])).body[0]).toMatchObject({ ok: true });
    return (await (await teacher.get(`/couch/${DB}/${String(doc._id)}`)).json()) as Ticket & {
      _id: string;
      _rev: string;
    };
  }

  /** The teacher reopens it; the gateway's row and the ticket as stored afterwards. */
  async function reopen(t: Ticket & { _id: string; _rev: string }) {
    const { _id, _rev, ...plain } = t;
    const teacherUser = { id: 'ucitel.gymkt', name: 'Petr Dvořák', memberships: [] };
    const next = addEvent(
      plain as Ticket,
      { kind: 'status', to: 'in_progress', text: 'Zase to nejde.' },
      teacherUser,
      new Date()
    );
    const row = (await teacher.bulkDocs(DB, [{ ...next, _id, _rev }])).body[0];
    return { row, after: (await (await teacher.get(`/couch/${DB}/${_id}`)).json()) as Ticket };
  }

  it('goes back to the central queue when the helpdesk person is gone, by a system assignment', async () => {
    const { row, after } = await reopen(
      await resolvedTicket('cat-software', { queue: 'central', userId: 'byvala.kolegyne' })
    );
    expect(row).toMatchObject({ ok: true });
    expect(after.status).toBe('in_progress');
    expect(after.assignee).toEqual({ queue: 'central' });
    const last = after.events[after.events.length - 1];
    expect(last).toMatchObject({ by: 'system', kind: 'assign', assignee: { queue: 'central' } });
  });

  it("goes to the district's contractor by the catalog's rule when a former contractor held it", async () => {
    const { row, after } = await reopen(
      await resolvedTicket('cat-hardware', { queue: 'contractor', userId: 'byvaly.technik' })
    );
    expect(row).toMatchObject({ ok: true });
    expect(after.assignee).toEqual({ queue: 'contractor', userId: 'technik.kt' });
  });

  it('stays with its assignee when they can still work it', async () => {
    const before = await resolvedTicket('cat-software', { queue: 'central', userId: 'helpdesk' });
    const { row, after } = await reopen(before);
    expect(row).toMatchObject({ ok: true });
    expect(after.assignee).toEqual({ queue: 'central', userId: 'helpdesk' });
    expect(after.events.filter((e) => e.by === 'system')).toHaveLength(0);
  });
});

describe('whose accounts a batch reads', () => {
  const DESK = { id: 'helpdesk', name: 'Jana Nováková', memberships: [] };
  const T0 = new Date('2026-11-02T08:00:00Z');
  const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
  const base = {
    _id: 'tkt-1',
    title: 't',
    description: '',
    category: 'cat-software',
    priority: 'P3'
  } as unknown as Ticket;
  const assigned = addEvent(
    { ...base, events: [], status: 'new' },
    { kind: 'assign', assignee: { queue: 'central', userId: 'helpdesk' } },
    DESK,
    minutes(1)
  );
  const working = addEvent(assigned, { kind: 'status', to: 'in_progress' }, DESK, minutes(2));
  const resolved = addEvent(working, { kind: 'status', to: 'resolved', text: 'hotovo' }, DESK, minutes(3));
  const reassigned = addEvent(
    working,
    { kind: 'assign', assignee: { queue: 'central', userId: 'kolega' } },
    DESK,
    minutes(4)
  );
  const stored = (doc: Ticket) => new Map([['tkt-1', doc as unknown]]);

  it('reads the assignee of a new ticket, of a write that assigns, and of one that changes a resolved ticket', () => {
    expect(namedAssignees([working])).toEqual(['helpdesk']);
    expect(namedAssignees([working], new Map())).toEqual(['helpdesk']);
    expect(namedAssignees([reassigned], stored(working))).toEqual(['kolega']);
    const reopened = addEvent(resolved, { kind: 'status', to: 'in_progress', text: 'zase' }, DESK, minutes(5));
    expect(namedAssignees([reopened], stored(resolved))).toEqual(['helpdesk']);
  });

  it('reads each person a write newly assigns to, besides the one the device derived in its own order', () => {
    // Offline, the device put its assignment before one the server already held (its clock was
    // behind): it sends the stored assignee, the server derives the new one (its events come last).
    const offline = addEvent(
      working,
      { kind: 'assign', assignee: { queue: 'central', userId: 'kolega' } },
      DESK,
      minutes(-30)
    );
    const sent = { ...offline, assignee: { queue: 'central', userId: 'helpdesk' } };
    expect(namedAssignees([sent], stored(working)).sort()).toEqual(['helpdesk', 'kolega']);
  });

  it('reads nobody for a write that neither assigns nor reopens: the work on an assigned ticket', () => {
    expect(namedAssignees([working], stored(assigned))).toEqual([]);
    expect(namedAssignees([resolved], stored(working))).toEqual([]);
  });
});
