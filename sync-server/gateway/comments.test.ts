/**
 * Ticket comments through the real gateway: each comment is its own append-only document in
 * the organization's comments database, readable by exactly the readers of the tickets
 * database and written by whoever may add to the ticket; a ticket no longer grows with its
 * discussion, so a busy ticket stays writable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, uniqueId, type Client } from './test-support';

let s: TestServer;
let agent: Client;
let tech: Client;
let teacher: Client;
let otherTeacher: Client;
let director: Client;
let accountant: Client;

beforeAll(async () => {
  s = await startTestServer();
  agent = client(s.url, await login(s.url, 'helpdesk'));
  tech = client(s.url, await login(s.url, 'technik.kt'));
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  otherTeacher = client(s.url, await login(s.url, 'ucitel.sosdo'));
  director = client(s.url, await login(s.url, 'reditel.gymkt'));
  accountant = client(s.url, await login(s.url, 'ucetni.gymkt'));
}, 120_000);
afterAll(async () => s?.close());

function comment(by: string, extra: Record<string, unknown> = {}) {
  const at = new Date().toISOString();
  return {
    _id: uniqueId('cmt'),
    orgId: 'gym-kt',
    ticketId: 'tkt-gym-kt-0001',
    kind: 'comment',
    text: 'Projektor v učebně 12 pořád nesvítí.',
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
    ...extra
  };
}

const ticketUrl = (id: string) => `/couch/org_gym-kt_tickets/${id}`;

describe('a busy ticket stays writable', () => {
  it('5,000 comments on one ticket, and its status still changes', async () => {
    const ticketId = 'tkt-gym-kt-0001';
    const long = 'Průběžná zpráva o stavu opravy. '.repeat(30);
    for (let batch = 0; batch < 5; batch++) {
      const docs = Array.from({ length: 1000 }, () => comment('helpdesk', { text: long }));
      const { status, body } = await agent.bulkDocs('org_gym-kt_comments', docs);
      expect(status).toBe(201);
      expect((body as { ok?: boolean }[]).filter((r) => r.ok)).toHaveLength(1000);
    }
    const page = await (
      await agent.get(`/couch/org_gym-kt_comments/_all_docs?limit=1000&skip=4000&include_docs=false`)
    ).json();
    expect(page.total_rows).toBeGreaterThanOrEqual(5000);

    const stored = await (await agent.get(ticketUrl(ticketId))).json();
    const at = new Date().toISOString();
    const next = {
      ...stored,
      events: [...stored.events, { id: uniqueId('ev'), at, by: 'helpdesk', kind: 'status', to: 'in_progress' }],
      status: 'in_progress',
      updatedBy: 'helpdesk',
      updatedAt: at
    };
    const { body } = await agent.bulkDocs('org_gym-kt_tickets', [next]);
    expect(body[0]).toMatchObject({ ok: true });
    const after = await (await agent.get(ticketUrl(ticketId))).json();
    expect(after.status).toBe('in_progress');
    // The ticket holds its lifecycle only: a few events, a few kilobytes.
    expect(after.events.length).toBeLessThan(10);
    expect(JSON.stringify(after).length).toBeLessThan(10_000);
  }, 240_000);
});

describe('who reads comments: exactly the readers of the ticket', () => {
  let id: string;
  beforeAll(async () => {
    const doc = comment('helpdesk', { text: 'Vyměníme lampu projektoru.' });
    id = doc._id;
    const { body } = await agent.bulkDocs('org_gym-kt_comments', [doc]);
    expect(body[0]).toMatchObject({ ok: true });
  });

  it("the ticket's requester, the director, the accountant and the district's contractor read it", async () => {
    for (const c of [teacher, director, accountant, tech]) {
      const res = await c.get(`/couch/org_gym-kt_comments/${id}`);
      expect(res.status).toBe(200);
      expect((await res.json()).text).toBe('Vyměníme lampu projektoru.');
    }
  });

  it("another organization's requester reads nothing, by any endpoint", async () => {
    for (const path of [
      `/couch/org_gym-kt_comments/${id}`,
      '/couch/org_gym-kt_comments/_all_docs?include_docs=true',
      '/couch/org_gym-kt_comments/_changes?include_docs=true'
    ]) {
      const res = await otherTeacher.get(path);
      expect(res.status, path).toBe(403);
      expect(JSON.stringify(await res.json())).not.toContain('lampu');
    }
  });

  it('a contractor reads the comments of organizations in their districts only', async () => {
    const at = new Date().toISOString();
    const ku = { ...comment('helpdesk'), orgId: 'ku', ticketId: 'tkt-ku-0001', createdAt: at, updatedAt: at };
    expect((await agent.bulkDocs('org_ku_comments', [ku])).body[0]).toMatchObject({ ok: true });
    expect((await tech.get(`/couch/org_ku_comments/${ku._id}`)).status).toBe(403);
    expect((await tech.get('/couch/org_ku_comments/_changes')).status).toBe(403);
    expect((await tech.get('/couch/org_sos-do_comments/_changes')).status).toBe(200);
  });
});

describe('who writes comments: whoever may add to the ticket', () => {
  it('the requester comments on their own ticket; the server stamps when it received it', async () => {
    const doc = comment('ucitel.gymkt');
    expect((await teacher.bulkDocs('org_gym-kt_comments', [doc])).body[0]).toMatchObject({ ok: true });
    const stored = await (await teacher.get(`/couch/org_gym-kt_comments/${doc._id}`)).json();
    expect(stored.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('the contractor comments on a ticket assigned to them, not on one that is not', async () => {
    const mine = comment('technik.kt', { ticketId: 'tkt-gym-kt-0002' });
    expect((await tech.bulkDocs('org_gym-kt_comments', [mine])).body[0]).toMatchObject({ ok: true });
    const other = comment('technik.kt', { ticketId: 'tkt-gym-kt-0001' });
    expect((await tech.bulkDocs('org_gym-kt_comments', [other])).body[0]).toMatchObject({
      error: 'forbidden',
      reason: expect.stringContaining('may not add')
    });
  });

  it("a requester cannot comment on someone else's ticket, nor in another organization", async () => {
    const other = comment('ucitel.gymkt', { ticketId: 'tkt-gym-kt-0002' });
    const director2 = comment('reditel.gymkt', { ticketId: 'tkt-gym-kt-0002' });
    // tkt-gym-kt-0002 was filed by the teacher too; a ticket of the director's is not theirs.
    const { body: own } = await director.bulkDocs('org_gym-kt_tickets', [
      {
        _id: uniqueId('tk'),
        orgId: 'gym-kt',
        title: 'Tiskárna v kabinetu',
        description: '',
        category: 'cat-hardware',
        priority: 'P3',
        requester: 'reditel.gymkt',
        status: 'new',
        events: [],
        createdBy: 'reditel.gymkt',
        createdAt: director2.createdAt,
        updatedBy: 'reditel.gymkt',
        updatedAt: director2.createdAt
      }
    ]);
    expect(own[0]).toMatchObject({ ok: true });
    const onDirectors = comment('ucitel.gymkt', { ticketId: own[0].id });
    expect((await teacher.bulkDocs('org_gym-kt_comments', [onDirectors])).body[0]).toMatchObject({
      error: 'forbidden'
    });
    expect((await teacher.bulkDocs('org_gym-kt_comments', [other])).body[0]).toMatchObject({ ok: true });
    const foreign = { ...comment('ucitel.gymkt'), orgId: 'sos-do', ticketId: 'tkt-sos-do-0001' };
    expect((await teacher.bulkDocs('org_sos-do_comments', [foreign])).status).toBe(403);
  });

  it('the accountant, who reads tickets, does not write comments', async () => {
    expect((await accountant.bulkDocs('org_gym-kt_comments', [comment('ucetni.gymkt')])).status).toBe(403);
  });

  it('a comment made offline before its ticket reached the server is accepted from whoever may file tickets', async () => {
    const early = comment('ucitel.gymkt', { ticketId: uniqueId('tk') });
    expect((await teacher.bulkDocs('org_gym-kt_comments', [early])).body[0]).toMatchObject({ ok: true });
    const contractorEarly = comment('technik.kt', { ticketId: uniqueId('tk') });
    expect((await tech.bulkDocs('org_gym-kt_comments', [contractorEarly])).body[0]).toMatchObject({
      error: 'forbidden',
      reason: expect.stringContaining('not known')
    });
  });

  it('nobody changes a comment once written; an empty comment is refused', async () => {
    const doc = comment('helpdesk');
    const [{ rev }] = (await agent.bulkDocs('org_gym-kt_comments', [doc])).body;
    const { body } = await agent.bulkDocs('org_gym-kt_comments', [{ ...doc, _rev: rev, text: 'Přepsáno' }]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('cannot be changed') });
    const empty = await agent.bulkDocs('org_gym-kt_comments', [comment('helpdesk', { text: '  ' })]);
    expect(empty.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('needs some text') });
  });

  it('a ticket refuses a new comment event and says where comments go', async () => {
    const stored = await (await teacher.get(ticketUrl('tkt-gym-kt-0001'))).json();
    const at = new Date().toISOString();
    const { body } = await teacher.bulkDocs('org_gym-kt_tickets', [
      {
        ...stored,
        events: [...stored.events, { id: uniqueId('ev'), at, by: 'ucitel.gymkt', kind: 'comment', text: 'Ahoj' }],
        updatedBy: 'ucitel.gymkt',
        updatedAt: at
      }
    ]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('comments of the ticket') });
  });
});
