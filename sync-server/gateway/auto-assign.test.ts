/**
 * Routing of new tickets by the catalog's district rule, through the real gateway and the
 * embedded CouchDB: the server appends the `system` assignment once, on first acceptance.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEvent } from '../../src/lib/domain/tickets/build';
import type { Ticket } from '../../src/lib/domain/schemas';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, validDoc, type Client } from './test-support';

let server: TestServer;
let teacher: Client;
let tech: Client;
let teacherDo: Client;
let admin: Client;

beforeAll(async () => {
  server = await startTestServer();
  teacher = client(server.url, await login(server.url, 'ucitel.gymkt'));
  teacherDo = client(server.url, await login(server.url, 'ucitel.sosdo'));
  tech = client(server.url, await login(server.url, 'technik.kt'));
  admin = client(server.url, await login(server.url, 'admin'));
}, 120_000);
afterAll(() => server?.close());

async function stored(c: Client, db: string, id: string): Promise<Ticket & { _rev: string }> {
  const res = await c.get(`/couch/${db}/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Ticket & { _rev: string };
}

describe('automatic assignment on first acceptance', () => {
  it('routes an on-site ticket of a school in Klatovy to the district contractor', async () => {
    const db = 'org_gym-kt_tickets';
    const doc = validDoc(db, 'ucitel.gymkt', { category: 'cat-printer' });
    const res = await teacher.bulkDocs(db, [doc]);
    expect(res.body[0]).toMatchObject({ ok: true });
    const t = await stored(teacher, db, String(doc._id));
    expect(t.status).toBe('assigned');
    expect(t.assignee).toEqual({ queue: 'contractor', userId: 'technik.kt' });
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({ by: 'system', kind: 'assign', at: t.receivedAt });
    expect(t.updatedBy).toBe('ucitel.gymkt');
  });

  it('routes a software ticket to the central queue, whatever the district', async () => {
    const db = 'org_sos-do_tickets';
    const doc = validDoc(db, 'ucitel.sosdo', { category: 'cat-software' });
    expect((await teacherDo.bulkDocs(db, [doc])).body[0]).toMatchObject({ ok: true });
    const t = await stored(teacherDo, db, String(doc._id));
    expect(t.assignee).toEqual({ queue: 'central' });
    expect(t.status).toBe('assigned');
  });

  it('routes only once: later writes keep the routing and the contractor can start work', async () => {
    const db = 'org_gym-kt_tickets';
    const doc = validDoc(db, 'ucitel.gymkt', { category: 'cat-network' });
    await teacher.bulkDocs(db, [doc]);
    const first = await stored(teacher, db, String(doc._id));
    const { _rev, ...plain } = first;
    const started = addEvent(
      plain as Ticket,
      { kind: 'status', to: 'in_progress' },
      { id: 'technik.kt', name: 'T', memberships: [] },
      new Date()
    );
    const res = await tech.bulkDocs(db, [{ ...started, _id: doc._id, _rev }]);
    expect(res.body[0]).toMatchObject({ ok: true });
    const t = await stored(tech, db, String(doc._id));
    expect(t.events.filter((e) => e.by === 'system')).toHaveLength(1);
    expect(t.status).toBe('in_progress');
  });

  it("does not rewrite an administrator's imported revision (new_edits false)", async () => {
    const db = 'org_gym-kt_tickets';
    const doc: Record<string, unknown> = {
      ...validDoc(db, 'admin', { category: 'cat-printer', requester: 'ucitel.gymkt' }),
      _rev: '1-0123456789abcdef0123456789abcdef'
    };
    const res = await admin.bulkDocs(db, [doc], false);
    expect(res.status).toBe(201);
    expect(res.body).toEqual([]);
    const t = await stored(teacher, db, String(doc._id));
    expect(t.events).toHaveLength(0);
    expect(t.status).toBe('new');
  });

  it('refuses a client that tries to record a system event itself', async () => {
    const db = 'org_gym-kt_tickets';
    const at = new Date().toISOString();
    const doc = validDoc(db, 'ucitel.gymkt', {
      status: 'assigned',
      assignee: { queue: 'central' },
      events: [{ id: 'ev-forged-1', at, by: 'system', kind: 'assign', assignee: { queue: 'central' } }]
    });
    const res = await teacher.bulkDocs(db, [doc]);
    expect(res.body[0]).toMatchObject({ error: 'forbidden' });
    expect(res.body[0].reason).toMatch(/ucitel\.gymkt/);
  });
});
