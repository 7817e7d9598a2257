/**
 * Internal notes through the real gateway: a note is its own document in the organization's
 * notes database, written once by IT staff; tickets accept no `note` event any more, by any
 * write path, so a device's old copy cannot bring one back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, uniqueId, type Client } from './test-support';

let s: TestServer;
let agent: Client;
let tech: Client;
let teacher: Client;
let director: Client;
let admin: Client;

beforeAll(async () => {
  s = await startTestServer();
  agent = client(s.url, await login(s.url, 'helpdesk'));
  tech = client(s.url, await login(s.url, 'technik.kt'));
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  director = client(s.url, await login(s.url, 'reditel.gymkt'));
  admin = client(s.url, await login(s.url, 'admin'));
}, 120_000);
afterAll(async () => s?.close());

function note(by: string, extra: Record<string, unknown> = {}) {
  const at = new Date().toISOString();
  return {
    _id: uniqueId('note'),
    orgId: 'gym-kt',
    ticketId: 'tkt-gym-kt-0001',
    text: 'Zkontrolovat kabel HDMI v učebně.',
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
    ...extra
  };
}

async function getTicket(c: Client, id: string) {
  return (await c.get(`/couch/org_gym-kt_tickets/${id}`)).json();
}

describe('notes database: staff write notes, nobody edits them', () => {
  it('the agent writes a note; the server stamps when it received it', async () => {
    const doc = note('helpdesk');
    const { body } = await agent.bulkDocs('org_gym-kt_notes', [doc]);
    expect(body[0]).toMatchObject({ ok: true });
    const stored = await (await agent.get(`/couch/org_gym-kt_notes/${doc._id}`)).json();
    expect(stored.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(stored.ticketId).toBe('tkt-gym-kt-0001');
  });

  it("the district's contractor writes a note", async () => {
    const { body } = await tech.bulkDocs('org_gym-kt_notes', [note('technik.kt')]);
    expect(body[0]).toMatchObject({ ok: true });
  });

  it('a note cannot be changed once written, not even by its author', async () => {
    const doc = note('helpdesk');
    const [{ rev }] = (await agent.bulkDocs('org_gym-kt_notes', [doc])).body;
    const { body } = await agent.bulkDocs('org_gym-kt_notes', [{ ...doc, _rev: rev, text: 'Přepsáno' }]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('cannot be changed') });
  });

  it('a note without text is refused with a reason', async () => {
    const { body } = await agent.bulkDocs('org_gym-kt_notes', [note('helpdesk', { text: '   ' })]);
    expect(body[0]).toMatchObject({ error: 'forbidden' });
  });

  it('the requester and the director cannot write notes', async () => {
    for (const [c, by] of [
      [teacher, 'ucitel.gymkt'],
      [director, 'reditel.gymkt']
    ] as const) {
      const { status } = await c.bulkDocs('org_gym-kt_notes', [note(by)]);
      expect(status).toBe(403);
    }
  });
});

describe('tickets database: no note event enters a ticket', () => {
  const noteEvent = (by: string) => ({
    id: uniqueId('ev'),
    at: new Date().toISOString(),
    by,
    kind: 'note',
    text: 'tajné'
  });

  it('an agent appending a note event is refused with a reason that says where notes go', async () => {
    const t = await getTicket(agent, 'tkt-gym-kt-0001');
    const { body } = await agent.bulkDocs('org_gym-kt_tickets', [
      { ...t, events: [...t.events, noteEvent('helpdesk')], updatedBy: 'helpdesk', updatedAt: new Date().toISOString() }
    ]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('Internal notes') });
    expect(JSON.stringify(await getTicket(teacher, 'tkt-gym-kt-0001'))).not.toContain('tajné');
  });

  it("an administrator's replicated revision (new_edits: false) carrying a note event is refused too", async () => {
    const t = await getTicket(admin, 'tkt-gym-kt-0001');
    const [n, hash] = String(t._rev).split('-');
    const next = `${Number(n) + 1}-${'a'.repeat(32)}`;
    const { body } = await admin.bulkDocs(
      'org_gym-kt_tickets',
      [
        {
          ...t,
          _rev: next,
          _revisions: { start: Number(n) + 1, ids: ['a'.repeat(32), hash] },
          events: [...t.events, noteEvent('admin')],
          updatedBy: 'admin'
        }
      ],
      false
    );
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('Internal notes') });
    expect(JSON.stringify(await getTicket(teacher, 'tkt-gym-kt-0001'))).not.toContain('tajné');
  });

  it('a new ticket born with a note event is refused', async () => {
    const at = new Date().toISOString();
    const { body } = await teacher.bulkDocs('org_gym-kt_tickets', [
      {
        _id: uniqueId('tk'),
        orgId: 'gym-kt',
        title: 'Nejde Wi-Fi',
        description: 'Učebna 3',
        category: 'cat-network',
        priority: 'P3',
        requester: 'ucitel.gymkt',
        status: 'new',
        events: [noteEvent('ucitel.gymkt')],
        createdBy: 'ucitel.gymkt',
        createdAt: at,
        updatedBy: 'ucitel.gymkt',
        updatedAt: at
      }
    ]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('Internal notes') });
  });
});
