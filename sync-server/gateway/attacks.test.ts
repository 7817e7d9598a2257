/**
 * The gateway refuses everything outside its allow-list and every invalid write, with a JSON
 * error, without reaching CouchDB; afterwards the server is healthy and nothing stored changed.
 */
import http from 'node:http';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, uniqueId, validDoc, type Client } from './test-support';

let s: TestServer;

/** A GET with the path exactly as given: fetch would resolve dot segments before sending. */
function rawGet(path: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(s.url, { method: 'GET', path, headers: { cookie } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
let ucitel: Client;
let reditel: Client;
let technik: Client;
let admin: Client;
let snapshot: string;
const DB = 'org_gym-kt_tickets';

/** Every document of the databases an attack could touch, to prove nothing changed. */
async function storedState(): Promise<string> {
  const couch = nano(s.couchUrl);
  const dbs = ['org_gym-kt_tickets', 'org_sos-do_tickets', 'org_gym-kt_approvals', 'auth', 'region_orgs'];
  const all = await Promise.all(
    dbs.map(async (db) => (await couch.use(db).list()).rows.map((r) => `${db}/${r.id}@${r.value.rev}`))
  );
  return all
    .flat()
    .filter((r) => !r.startsWith('auth/session:'))
    .sort()
    .join('\n');
}

beforeAll(async () => {
  s = await startTestServer();
  ucitel = client(s.url, await login(s.url, 'ucitel.gymkt'));
  reditel = client(s.url, await login(s.url, 'reditel.gymkt'));
  technik = client(s.url, await login(s.url, 'technik.kt'));
  admin = client(s.url, await login(s.url, 'admin'));
  snapshot = await storedState();
}, 120_000);
afterAll(async () => s?.close());

describe('endpoints and tricks outside the allow-list are refused with JSON', () => {
  it.each([
    ['GET', '/couch/_all_dbs', 404],
    ['GET', '/couch/_session', 404],
    ['GET', '/couch/', 404],
    ['GET', '/couch/_utils/', 404],
    ['GET', `/couch/${DB}/_design/app`, 404],
    ['GET', `/couch/${DB}/_design/app/_view/by_status`, 404],
    ['PUT', `/couch/${DB}/_design/evil`, 404],
    ['GET', `/couch/${DB}/_security`, 404],
    ['PUT', `/couch/${DB}/_security`, 404],
    ['POST', `/couch/${DB}/_find`, 404],
    ['POST', `/couch/${DB}/_index`, 404],
    ['POST', `/couch/${DB}/_purge`, 404],
    ['POST', `/couch/${DB}/_compact`, 404],
    ['POST', `/couch/${DB}/_changes`, 405],
    ['GET', `/couch/${DB}/_changes?filter=_selector`, 400],
    ['GET', `/couch/${DB}/_changes?filter=_view&view=app/x`, 400],
    ['GET', `/couch/${DB}/_changes?feed=continuous`, 400],
    ['GET', `/couch/${DB}/_changes?feed=eventsource`, 400],
    ['GET', `/couch/${DB}/_changes?since=0&since=1`, 400],
    ['GET', `/couch/${DB}/_changes?include_design=true`, 400],
    ['GET', `/couch/${DB}/_all_docs?startkey=_design`, 400],
    ['GET', `/couch/${DB}/_design%2Fapp`, 400],
    ['GET', `/couch/${DB}/%5Fdesign%2Fapp`, 400],
    ['GET', `/couch/org_gym-kt_tickets%2F_design%2Fapp/`, 400],
    ['GET', `/couch/${DB}//x`, 400],
    ['GET', `/couch/auth/_all_docs`, 404],
    ['GET', `/couch/push/`, 404],
    ['GET', `/couch/_users/`, 404],
    ['GET', `/couch/org_nowhere_tickets/`, 404],
    ['GET', `/couch/org_gym-kt_secrets/`, 404],
    ['GET', `/couch/org_sos-do_tickets/`, 403],
    ['GET', `/couch/org_sos-do_tickets/_changes`, 403],
    ['POST', `/couch/org_sos-do_tickets/_bulk_docs`, 403],
    ['GET', `/couch/org_gym-kt_approvals/`, 403],
    ['POST', `/couch/org_gym-kt_assets/_bulk_docs`, 403],
    ['DELETE', `/couch/${DB}/`, 405],
    ['PUT', `/couch/${DB}/`, 405],
    ['DELETE', `/couch/${DB}/tkt-gym-kt-0001?rev=1-x`, 405],
    ['PUT', `/couch/${DB}/tkt-gym-kt-0001`, 404],
    ['GET', `/couch/${DB}/tkt-gym-kt-0001/file`, 404],
    ['PUT', `/couch/org_gym-kt_media/m1/file`, 405],
    ['COPY', `/couch/${DB}/tkt-gym-kt-0001`, 404],
    ['GET', `/couch/${DB}/_local/a/b`, 404],
    ['GET', `/couch/${DB}/_revs_limit`, 404],
    ['GET', `/couch/${DB}/tkt-gym-kt-0001?open_revs=["bad"]`, 400],
    ['GET', `/couch/${DB}/_all_docs?keys=notjson`, 400]
  ])('%s %s → %i', async (method, path, status) => {
    const res = await ucitel.send(method, path, method === 'GET' ? undefined : '{}');
    expect(res.status).toBe(status);
    if (method !== 'COPY')
      expect(await res.json()).toMatchObject({ error: expect.any(String), reason: expect.any(String) });
  });

  it.each([
    `/couch/${DB}/../auth/`,
    `/couch/${DB}/%2e%2e/auth/`,
    `/couch/${DB}/./_all_docs`,
    '/couch/auth/%2e%2e/org_gym-kt_tickets/'
  ])('refuses the dot segments of %s (sent raw, as a browser would not)', async (path) => {
    const res = await rawGet(path, ucitel.cookie);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'bad_request' });
  });

  it('refuses everything without a session (401)', async () => {
    for (const path of [`/couch/${DB}/`, `/couch/${DB}/_changes`, '/couch/_all_dbs', '/couch/auth/']) {
      const res = await fetch(s.url + path);
      expect(res.status).toBe(401);
    }
  });

  it('never shows design documents in _changes or _all_docs', async () => {
    const changes = await (await ucitel.get(`/couch/${DB}/_changes?include_docs=true`)).json();
    expect(changes.results.length).toBeGreaterThan(0);
    expect(changes.results.some((r: { id: string }) => r.id.startsWith('_design/'))).toBe(false);
    const all = await (await ucitel.get(`/couch/${DB}/_all_docs`)).json();
    expect(all.rows.some((r: { id: string }) => r.id.startsWith('_design/'))).toBe(false);
    const byKeys = await (await ucitel.send('POST', `/couch/${DB}/_all_docs`, { keys: ['_design/app'] })).json();
    expect(byKeys.rows).toEqual([]);
    const stored = await nano(s.couchUrl).use(DB).list({ startkey: '_design/', endkey: '_design/\ufff0' });
    expect(stored.rows.length).toBeGreaterThan(0); // they exist; the gateway hides them
  });

  it.each([
    ['_bulk_get', { docs: [{ id: 'tkt-gym-kt-0001', atts_since: ['1-00'] }] }, /atts_since/],
    ['_all_docs', { keys: ['tkt-gym-kt-0001'], include_docs: 1 }, /include_docs" must be true or false/],
    ['_all_docs', { keys: ['tkt-gym-kt-0001'], attachments: 1 }, /attachments" must be true or false/],
    ['_all_docs', { keys: ['tkt-gym-kt-0001'], limit: true }, /limit" must be a count/]
  ])(
    'refuses %s with %j (files inline, or options the store would read otherwise) (400)',
    async (endpoint, body, reason) => {
      const res = await ucitel.send('POST', `/couch/${DB}/${endpoint}`, body);
      expect(res.status).toBe(400);
      expect((await res.json()).reason).toMatch(reason);
    }
  );

  it.each([
    ['_bulk_get', { docs: [{ id: '_design/app' }] }],
    ['_revs_diff', { '_design/app': ['1-abc'] }],
    ['_bulk_get', { docs: [{ id: '_local/x' }] }]
  ])('refuses %s naming a design or local document (403)', async (endpoint, body) => {
    const res = await ucitel.send('POST', `/couch/${DB}/${endpoint}`, body);
    expect(res.status).toBe(403);
  });
});

describe('invalid documents are refused one by one; the rest of the batch is written', () => {
  const stored = async (id: string) => nano(s.couchUrl).use<Record<string, unknown>>(DB).get(id);

  it.each([
    ['another organization in orgId', { orgId: 'sos-do' }, /orgId must be gym-kt \(this database's organization\)/],
    ['someone else as creator', { createdBy: 'reditel.gymkt' }, /createdBy of a new document must be ucitel.gymkt/],
    ['someone else as updater', { updatedBy: 'helpdesk' }, /updatedBy must be ucitel.gymkt/],
    ['an unknown field', { hack: true }, /unknown field "hack"/],
    ['a wrong type', { title: 42 }, /title must be string/],
    ['a value outside the enum', { priority: 'P0' }, /priority must be one of P1, P2, P3, P4/],
    ['a bad date', { createdAt: 'yesterday' }, /createdAt must match format "date-time"/],
    ['an id starting with _', { _id: '_hidden' }, /may not start with "_"/],
    ['a design document', { _id: '_design/evil', validate_doc_update: 'function(){}' }, /may not start with "_"/],
    ['an id failing the id pattern', { _id: 'a b' }, /id must match pattern/],
    ['a primary key different from _id', { id: 'other' }, /must equal _id/],
    ['an unknown special field', { _purge: true }, /field _purge is not allowed/],
    ['a ticket category not in the catalog', { category: 'cat-invented' }, /categor/i],
    [
      'an attachment outside media',
      { _attachments: { x: { content_type: 'image/png', data: 'aGk=' } } },
      /only in media databases/
    ]
  ])('refuses %s', async (_n, patch, reason) => {
    const good = validDoc(DB, 'ucitel.gymkt');
    const bad: Record<string, unknown> = { ...validDoc(DB, 'ucitel.gymkt'), ...patch };
    const { status, body } = await ucitel.bulkDocs(DB, [bad, good]);
    expect(status).toBe(201);
    expect(body[0]).toEqual({ id: bad._id, error: 'forbidden', reason: expect.stringMatching(reason) });
    expect(body[1]).toMatchObject({ ok: true, id: good._id });
  });

  it('refuses changing orgId, createdBy or createdAt of a stored document', async () => {
    const doc = validDoc(DB, 'reditel.gymkt');
    const created = await reditel.bulkDocs(DB, [doc]);
    const rev = created.body[0].rev;
    for (const [field, value] of [
      ['createdBy', 'helpdesk'],
      ['createdAt', '2020-01-01T00:00:00.000Z']
    ] as const) {
      const { body } = await reditel.bulkDocs(DB, [{ ...doc, _rev: rev, [field]: value }]);
      expect(body[0]).toMatchObject({
        error: 'forbidden',
        reason: expect.stringMatching(new RegExp(`${field} may not change`))
      });
    }
    const moved = await reditel.bulkDocs(DB, [{ ...doc, _rev: rev, orgId: 'sos-do' }]);
    expect(moved.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/orgId must be gym-kt/) });
    expect((await stored(String(doc._id)))._rev).toBe(rev);
  });

  it('refuses rewriting history: ticket events are append-only', async () => {
    const current = await stored('tkt-gym-kt-0001');
    const events = (current.events as Record<string, unknown>[]).map((e) => ({ ...e, text: 'rewritten' }));
    const { body } = await reditel.bulkDocs(DB, [{ ...current, events, updatedBy: 'reditel.gymkt' }]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/append-only/) });
  });

  it('lets a requester edit only their own tickets', async () => {
    const other = validDoc(DB, 'reditel.gymkt', { requester: 'reditel.gymkt' });
    await reditel.bulkDocs(DB, [other]);
    const theirs = (await stored(String(other._id))) as Record<string, unknown>;
    const { body } = await ucitel.bulkDocs(DB, [{ ...theirs, title: 'Změněno', updatedBy: 'ucitel.gymkt' }]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/only their own tickets/) });
  });

  it('lets a contractor work on a ticket assigned to them, not on one of the central queue', async () => {
    const couch = nano(s.couchUrl).use<Record<string, unknown>>(DB);
    const all = await couch.list({ include_docs: true });
    const docs = all.rows.map((r) => r.doc!).filter((d) => !String(d._id).startsWith('_design/'));
    const mine = docs.find((d) => (d.assignee as { userId?: string } | undefined)?.userId === 'technik.kt');
    const central = docs.find((d) => (d.assignee as { queue?: string } | undefined)?.queue !== 'contractor');
    expect(mine && central).toBeTruthy();
    // Starting the work: comments are documents of their own (see comments.test.ts).
    const comment = (d: Record<string, unknown>) => ({
      ...d,
      status: 'in_progress',
      updatedBy: 'technik.kt',
      updatedAt: new Date().toISOString(),
      events: [
        ...(d.events as unknown[]),
        { id: uniqueId('e'), at: new Date().toISOString(), by: 'technik.kt', kind: 'status', to: 'in_progress' }
      ]
    });
    const ok = await technik.bulkDocs(DB, [comment(mine!)]);
    expect(ok.body[0]).toMatchObject({ ok: true });
    const refused = await technik.bulkDocs(DB, [comment(central!)]);
    expect(refused.body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/assigned to them/) });
  });

  it('refuses a deletion by anyone but an admin', async () => {
    const stored = await nano(s.couchUrl).use(DB).get('tkt-gym-kt-0002');
    const { body } = await reditel.bulkDocs(DB, [{ _id: stored._id, _rev: stored._rev, _deleted: true }]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: 'only an administrator may delete documents' });
  });

  it('refuses a deletion written as another truthy _deleted, which the store would take as one', async () => {
    const doc = validDoc(DB, 'ucitel.gymkt');
    const created = await ucitel.bulkDocs(DB, [doc]);
    const stored = await nano(s.couchUrl).use<Record<string, unknown>>(DB).get(String(doc._id));
    for (const deleted of [1, 'true', 'x', {}, [true]]) {
      const { body } = await ucitel.bulkDocs(DB, [{ ...stored, _rev: created.body[0].rev, _deleted: deleted }]);
      expect(body[0], JSON.stringify(deleted)).toMatchObject({
        error: 'forbidden',
        reason: '_deleted must be true or false'
      });
    }
    expect((await nano(s.couchUrl).use(DB).get(String(doc._id)))._rev).toBe(created.body[0].rev);
  });

  it("refuses an ordinary edit that names its parent in _revisions instead of _rev (a delete of another's ticket)", async () => {
    const stored = await nano(s.couchUrl).use(DB).get('tkt-gym-kt-0002');
    const [gen, hash] = stored._rev.split('-');
    const forged = validDoc(DB, 'ucitel.gymkt', {
      _id: stored._id,
      _revisions: { start: Number(gen), ids: [hash] },
      _deleted: true
    });
    const { body } = await ucitel.bulkDocs(DB, [forged]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(/_revisions is accepted only/) });
    expect((await nano(s.couchUrl).use(DB).get('tkt-gym-kt-0002'))._rev).toBe(stored._rev);
  });

  it('lets an admin delete', async () => {
    const doc = validDoc(DB, 'admin');
    const created = await admin.bulkDocs(DB, [doc]);
    const del = await admin.bulkDocs(DB, [{ _id: doc._id, _rev: created.body[0].rev, _deleted: true }]);
    expect(del.body[0]).toMatchObject({ ok: true });
  });
});

describe('receivedAt belongs to the server', () => {
  it('is stamped on first acceptance and kept on later writes, whatever the client sends', async () => {
    const doc = validDoc(DB, 'ucitel.gymkt', { receivedAt: '2000-01-01T00:00:00.000Z' });
    const created = await ucitel.bulkDocs(DB, [doc]);
    const first = await nano(s.couchUrl).use<Record<string, unknown>>(DB).get(String(doc._id));
    expect(first.receivedAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(Date.now() - Date.parse(String(first.receivedAt))).toBeLessThan(60_000);
    await ucitel.bulkDocs(DB, [
      // Built on the stored version, which carries the server's routing of the new ticket.
      { ...first, _rev: created.body[0].rev, receivedAt: '2030-01-01T00:00:00.000Z', description: 'upřesnění' }
    ]);
    const second = await nano(s.couchUrl).use<Record<string, unknown>>(DB).get(String(doc._id));
    expect(second.description).toBe('upřesnění');
    expect(second.receivedAt).toBe(first.receivedAt);
  });

  it('cannot be removed or reset through a replicated revision (new_edits:false)', async () => {
    // A contractor's copy of an assigned ticket, with a made-up next revision and no receivedAt.
    const doc = validDoc(DB, 'ucitel.gymkt', { category: 'cat-printer' });
    const created = await ucitel.bulkDocs(DB, [doc]);
    const first = await nano(s.couchUrl).use<Record<string, unknown>>(DB).get(String(doc._id));
    const { receivedAt: _dropped, ...copy } = first;
    void _dropped;
    const hash = 'fedcba9876543210fedcba9876543210';
    const forged = {
      ...copy,
      _rev: `2-${hash}`,
      _revisions: { start: 2, ids: [hash, created.body[0].rev!.slice(2)] },
      updatedBy: 'technik.kt'
    };
    for (const who of [technik, ucitel]) {
      const res = await who.bulkDocs(
        DB,
        [{ ...forged, updatedBy: who === technik ? 'technik.kt' : 'ucitel.gymkt' }],
        false
      );
      expect(res.body).toEqual([
        { id: doc._id, error: 'forbidden', reason: expect.stringMatching(/only in media databases/) }
      ]);
    }
    const after = await nano(s.couchUrl).use<Record<string, unknown>>(DB).get(String(doc._id));
    expect(after._rev).toBe(first._rev);
    expect(after.receivedAt).toBe(first.receivedAt);
  });
});

describe('bad input gets a JSON error and changes nothing', () => {
  it.each([
    ['malformed JSON', '{"docs": [', 400],
    ['docs not a list', JSON.stringify({ docs: {} }), 400],
    ['an unsupported option', JSON.stringify({ docs: [], all_or_nothing: true }), 400],
    ['new_edits not a boolean', JSON.stringify({ docs: [], new_edits: 'no' }), 400],
    [
      'more than 1000 documents',
      JSON.stringify({ docs: Array.from({ length: 1001 }, (_, i) => ({ _id: `x${i}` })) }),
      413
    ],
    ['a body over 16 MB', JSON.stringify({ docs: [{ _id: 'big', text: 'x'.repeat(16_800_000) }] }), 413],
    ['an empty body', '', 400]
  ])('_bulk_docs with %s', async (_n, raw, status) => {
    const res = await ucitel.send('POST', `/couch/${DB}/_bulk_docs`, raw);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: expect.any(String), reason: expect.any(String) });
  });

  it('a document over 1 MB is refused alone; the rest of the batch is written', async () => {
    const good = validDoc(DB, 'ucitel.gymkt');
    const big = validDoc(DB, 'ucitel.gymkt', { description: 'x'.repeat(1_100_000) });
    const { status, body } = await ucitel.bulkDocs(DB, [big, good]);
    expect(status).toBe(201);
    expect(body[0]).toEqual({ id: big._id, error: 'forbidden', reason: expect.stringMatching(/larger than 1 MB/) });
    expect(body[1]).toMatchObject({ ok: true, id: good._id });
  });

  it('a document that is not an object is refused alone', async () => {
    const good = validDoc(DB, 'ucitel.gymkt');
    const { body } = await ucitel.bulkDocs(DB, [42, null, good]);
    expect(body.slice(0, 2)).toEqual([
      { id: '', error: 'forbidden', reason: 'each document must be a JSON object' },
      { id: '', error: 'forbidden', reason: 'each document must be a JSON object' }
    ]);
    expect(body[2]).toMatchObject({ ok: true });
  });

  it("a replicated file whose revision history the store could not keep is refused alone; the database's changes still read", async () => {
    const MEDIA = 'org_gym-kt_media';
    const file = (history: unknown, rev = '1-abc'): Record<string, unknown> => ({
      ...validDoc(MEDIA, 'ucitel.gymkt'),
      _rev: rev,
      _revisions: history
    });
    const good = file({ start: 1, ids: ['abc'] });
    const bad = [
      [file({ start: 'x', ids: ['abc'] }), /start must be 1/],
      [file({ start: 2, ids: [1, 2] }, '2-abc'), /revision hashes/],
      [file({ start: 2, ids: ['abc', 'd', 'e'] }, '2-abc'), /must list 1 to 2/],
      [file({ start: 2, ids: [1] }, '2-abc'), /revision hashes/],
      [file({ start: 1, ids: ['def'] }), /must begin with abc/],
      [file({ start: 3, ids: ['abc', 'zz'] }, '3-abc'), /revision hashes/],
      [file(['abc']), /_revisions must be/]
    ] as const;
    const res = await ucitel.send('POST', `/couch/${MEDIA}/_bulk_docs`, {
      new_edits: false,
      docs: [...bad.map(([d]) => d), good]
    });
    expect(res.status).toBe(201);
    const rows = (await res.json()) as { id: string; error?: string; reason?: string }[];
    bad.forEach(([d, reason], i) =>
      expect(rows[i], String(reason)).toEqual({ id: d._id, error: 'forbidden', reason: expect.stringMatching(reason) })
    );
    expect(rows).toHaveLength(bad.length);
    expect((await nano(s.couchUrl).use(MEDIA).get(String(good._id)))._rev).toBe('1-abc');
    const changes = await ucitel.send('GET', `/couch/${MEDIA}/_changes?include_docs=true`);
    expect(changes.status).toBe(200);
  });

  it('an attachment that is not base64, or a stub with no stored file behind it, is refused alone', async () => {
    const MEDIA = 'org_gym-kt_media';
    const notBase64: Record<string, unknown> = {
      ...validDoc(MEDIA, 'ucitel.gymkt'),
      _attachments: { file: { content_type: 'image/png', data: '!!!notbase64***' } }
    };
    const stub: Record<string, unknown> = {
      ...validDoc(MEDIA, 'ucitel.gymkt'),
      _attachments: { file: { content_type: 'image/png', stub: true } }
    };
    const good: Record<string, unknown> = {
      ...validDoc(MEDIA, 'ucitel.gymkt'),
      _attachments: { file: { content_type: 'image/png', data: Buffer.from('png').toString('base64') } }
    };
    const res = await ucitel.send('POST', `/couch/${MEDIA}/_bulk_docs`, { docs: [notBase64, stub, good] });
    expect(res.status).toBe(201);
    const rows = (await res.json()) as { id: string; ok?: boolean; reason?: string }[];
    expect(rows[0]).toEqual({ id: notBase64._id, error: 'forbidden', reason: 'attachment file: data must be base64' });
    expect(rows[1]).toEqual({ id: stub._id, error: 'forbidden', reason: expect.stringMatching(/stub.*no such file/) });
    expect(rows[2]).toMatchObject({ id: good._id, ok: true });
  });

  it('a media document over 10 MB is refused', async () => {
    const big = Buffer.alloc(15 * 1024 * 1024, 1).toString('base64');
    const res = await ucitel.send('POST', '/couch/org_gym-kt_media/_bulk_docs', {
      docs: [
        {
          ...validDoc('org_gym-kt_media', 'ucitel.gymkt'),
          _attachments: { file: { content_type: 'image/jpeg', data: big } }
        }
      ]
    });
    expect(res.status).toBe(413);
  });
});

describe('after all of the above', () => {
  it('the server is healthy and nothing the attacks aimed at changed', async () => {
    const health = await fetch(`${s.url}/api/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('ok');
    const now = (await storedState()).split('\n');
    const before = new Set(snapshot.split('\n'));
    // Only the documents the tests wrote on purpose are new; every earlier document is unchanged…
    const changed = snapshot.split('\n').filter((r) => !now.includes(r));
    expect(changed.filter((r) => !/tkt-gym-kt-000\d/.test(r))).toEqual([]);
    // …except the one ticket the contractor legitimately commented on.
    expect(changed.length).toBeLessThanOrEqual(1);
    expect(now.filter((r) => !before.has(r)).every((r) => /org_gym-kt_(tickets|approvals)\/(test-|tkt-)/.test(r))).toBe(
      true
    );
  });
});
