/**
 * `POST /api/changes` against the real server: the gateway's authorization database by
 * database (roles, internal notes, contractor districts), sequences that resume exactly where
 * a page stopped, the document budget over many databases, readable refusals of bad input, and
 * identical pulls at the same time sharing one store read without sharing an authorization.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_DBS, MAX_BATCH_DOCS, type BatchChangesResponse } from '../../src/lib/domain/sync-protocol';
import { login, startTestServer, type TestServer } from '../testing/server';
import { client, uniqueId, validDoc, type Client } from '../gateway/test-support';
import type { SessionUser } from '../../src/lib/domain/access';
import { findUser } from '../auth/users';
import { Upstream } from '../gateway/upstream';
import { answerBytes, readBatch, type BatchAnswer, type StoreAnswer } from './batch';
import { parseBatchRequest, type BatchRequest } from './request';
import { SharedReads } from './shared-reads';

let s: TestServer;
let agent: Client;
let tech: Client;
let teacher: Client;
let director: Client;

beforeAll(async () => {
  s = await startTestServer();
  agent = client(s.url, await login(s.url, 'helpdesk'));
  tech = client(s.url, await login(s.url, 'technik.kt'));
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  director = client(s.url, await login(s.url, 'reditel.gymkt'));
}, 120_000);
afterAll(async () => s?.close());

async function changes(c: Client, body: unknown, headers?: Record<string, string>) {
  const res = await c.send('POST', '/api/changes', body, headers);
  return { status: res.status, body: (await res.json()) as BatchChangesResponse & { error?: string; reason?: string } };
}

/** Reads one database to its end through the batched feed, page by page. */
async function readAll(c: Client, db: string, limit: number) {
  let since: string | number = 0;
  const ids: string[] = [];
  for (let pages = 0; pages < 100; pages++) {
    const { body } = await changes(c, { since: { [db]: since }, limit });
    const page = body.results[db];
    ids.push(...page.results.map((r) => r.id));
    since = page.last_seq;
    if (!page.more) return { ids, since, pages: pages + 1 };
  }
  throw new Error('did not end');
}

const SCHOOL_DBS = ['org_gym-kt_tickets', 'org_gym-kt_notes', 'org_sos-do_tickets', 'org_cnpk_tickets'];

describe('authorization: exactly what the gateway grants', () => {
  it('a requester reads their own organization; notes, other organizations and private databases are refused', async () => {
    const { status, body } = await changes(teacher, {
      since: Object.fromEntries([...SCHOOL_DBS, 'auth', 'org_nope_tickets'].map((db) => [db, 0]))
    });
    expect(status).toBe(200);
    expect(Object.keys(body.results)).toEqual(['org_gym-kt_tickets']);
    expect(body.results['org_gym-kt_tickets'].results.length).toBeGreaterThan(0);
    expect(body.refused['org_gym-kt_notes']).toMatchObject({ status: 403, error: 'forbidden' });
    expect(body.refused['org_sos-do_tickets'].status).toBe(403);
    expect(body.refused['org_cnpk_tickets'].status).toBe(403);
    expect(body.refused.auth).toMatchObject({ status: 404, reason: 'no database auth' });
    expect(body.refused['org_nope_tickets'].status).toBe(404);
  });

  it('internal notes never reach the requester or the director, and do reach the agent', async () => {
    const text = `Interní poznámka ${uniqueId('n')}`;
    const note = validDoc('org_gym-kt_notes', 'helpdesk', { ticketId: 'tkt-gym-kt-0001', text });
    expect((await agent.bulkDocs('org_gym-kt_notes', [note])).body[0]).toMatchObject({ ok: true });
    const all = { since: { 'org_gym-kt_tickets': 0, 'org_gym-kt_notes': 0 } };
    for (const c of [teacher, director]) {
      const res = await c.send('POST', '/api/changes', all);
      const raw = await res.text();
      expect(raw).not.toContain(text);
      expect(JSON.parse(raw).refused['org_gym-kt_notes'].status).toBe(403);
    }
    const { body } = await changes(agent, all);
    expect(JSON.stringify(body.results['org_gym-kt_notes'])).toContain(text);
  });

  it("a contractor reads the organizations of their districts only, with those organizations' notes", async () => {
    const { body } = await changes(tech, { since: Object.fromEntries(SCHOOL_DBS.map((db) => [db, 0])) });
    expect(Object.keys(body.results).sort()).toEqual(['org_gym-kt_notes', 'org_gym-kt_tickets', 'org_sos-do_tickets']);
    expect(body.refused['org_cnpk_tickets']).toMatchObject({ status: 403, error: 'forbidden' });
    expect(body.refused['org_cnpk_notes']).toBeUndefined();
    const other = await changes(tech, { since: { org_cnpk_notes: 0, 'org_gym-tc_notes': 0 } });
    expect(Object.keys(other.body.results)).toEqual([]);
    expect(Object.keys(other.body.refused).sort()).toEqual(['org_cnpk_notes', 'org_gym-tc_notes']);
  });

  it('without a session nothing is read', async () => {
    const res = await fetch(`${s.url}/api/changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ since: { 'org_gym-kt_tickets': 0 } })
    });
    expect(res.status).toBe(401);
  });

  it('design documents never appear', async () => {
    const { body } = await changes(agent, { since: { 'org_gym-kt_tickets': 0, region_catalog: 0 } });
    for (const page of Object.values(body.results))
      expect(page.results.filter((r) => r.id.startsWith('_design/'))).toEqual([]);
  });
});

describe('sequences and pages', () => {
  it("pages resume where they stopped and together hold what the gateway's _changes holds", async () => {
    const db = 'org_gym-kt_tickets';
    const paged = await readAll(agent, db, 2);
    expect(paged.pages).toBeGreaterThan(1);
    expect(new Set(paged.ids).size).toBe(paged.ids.length);
    const direct = (await (await agent.get(`/couch/${db}/_changes?style=main_only`)).json()) as {
      results: { id: string }[];
    };
    expect(paged.ids.sort()).toEqual(direct.results.map((r) => r.id).sort());

    // After the last page, a new write is exactly what the next read returns.
    const doc = validDoc(db, 'helpdesk', { requester: 'ucitel.gymkt' });
    expect((await agent.bulkDocs(db, [doc])).body[0]).toMatchObject({ ok: true });
    const { body } = await changes(agent, { since: { [db]: paged.since } });
    expect(body.results[db].results.map((r) => r.id)).toEqual([doc._id]);
    expect(body.results[db].results[0].doc).toMatchObject({ _id: doc._id, title: doc.title });
    expect(body.results[db].more).toBe(false);
  });

  it("a database's design document does not shorten its page", async () => {
    const db = 'org_gym-kt_tickets';
    const stored = await new Upstream(s.couchUrl).json<{ results: { id: string }[] }>(db, ['_changes'], {
      method: 'GET',
      query: new URLSearchParams({ limit: '3' })
    });
    expect(stored.data.results.some((r) => r.id.startsWith('_design/'))).toBe(true);
    const { body } = await changes(agent, { since: { [db]: 0 }, limit: 3 });
    expect(body.results[db].results).toHaveLength(3);
    expect(body.results[db].more).toBe(true);
  });

  it('a full answer stops at the limit, cuts the database it was reading and lists the rest as unread', async () => {
    const dbs = ['org_gym-kt_tickets', 'org_sos-do_tickets', 'org_cnpk_tickets', 'org_zhpk_tickets'];
    const first = await changes(agent, { since: Object.fromEntries(dbs.map((db) => [db, 0])), limit: 3 });
    const got = Object.values(first.body.results).reduce((n, p) => n + p.results.length, 0);
    expect(got).toBe(3);
    const cut = Object.entries(first.body.results).find(([, p]) => p.more);
    expect(cut).toBeDefined();
    expect(first.body.unread.length).toBeGreaterThan(0);
    // The cut database resumes after its last included change.
    const [db, page] = cut!;
    const next = await changes(agent, { since: { [db]: page.last_seq }, limit: 1000 });
    const seen = new Set(page.results.map((r) => r.id));
    expect(next.body.results[db].results.some((r) => seen.has(r.id))).toBe(false);
  });

  it('a database read from its start that does not fit one page tells its size', async () => {
    const { body } = await changes(agent, { since: { 'org_gym-kt_tickets': 0 }, limit: 1 });
    expect(body.results['org_gym-kt_tickets'].doc_count).toBeGreaterThan(1);
  });
});

describe('requests of one user in flight at once', () => {
  let small: TestServer;
  beforeAll(async () => {
    small = await startTestServer({ maxChangesPerUser: 1 });
  }, 120_000);
  afterAll(async () => small?.close());

  it('past the limit are refused with a reason and a time to retry; other users and later requests pass', async () => {
    const desk = client(small.url, await login(small.url, 'helpdesk'));
    const pupil = client(small.url, await login(small.url, 'ucitel.gymkt'));
    const me = (await (await desk.get('/api/me')).json()) as { databases: { db: string }[] };
    // Every database of the desk from its start: long enough to be in flight while the others arrive.
    const everything = {
      since: Object.fromEntries(me.databases.slice(0, MAX_BATCH_DBS).map((d) => [d.db, 0])),
      limit: MAX_BATCH_DOCS
    };
    const [answers, other] = await Promise.all([
      Promise.all(Array.from({ length: 6 }, () => desk.send('POST', '/api/changes', everything))),
      changes(pupil, { since: { 'org_gym-kt_tickets': 0 }, limit: 10 })
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    const refused = answers.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBe('2');
    const bodies = await Promise.all(answers.map((r) => r.text()));
    expect((JSON.parse(bodies[answers.indexOf(refused)]) as { reason: string }).reason).toMatch(/at most 1\b/);
    expect(other.status).toBe(200);
    // Each request gave its place back once its answer was read, also the refused ones.
    expect((await changes(desk, { since: { org_ku_tickets: 0 }, limit: 10 })).status).toBe(200);
    expect((await changes(desk, { since: { org_ku_tickets: 0 }, limit: 10 })).status).toBe(200);
  });
});

describe('a client gone while its changes are read', () => {
  it('stops the read and is logged as that, not as a failure of the server', async () => {
    const cookie = await login(s.url, 'helpdesk');
    const me = (await (await client(s.url, cookie).get('/api/me')).json()) as { databases: { db: string }[] };
    const body = JSON.stringify({
      since: Object.fromEntries(me.databases.slice(0, MAX_BATCH_DBS).map((d) => [d.db, 0])),
      limit: MAX_BATCH_DOCS
    });
    // The server's log lines from here on: request loggers are made from the app's logger and
    // write to its stream. Before the change, 24 of these requests logged an error each.
    const lines: string[] = [];
    const log = s.app.log as unknown as Record<symbol, unknown> & { level: string };
    const { streamSym } = pino.symbols;
    const stream = log[streamSym];
    const level = log.level;
    log[streamSym] = { write: (line: string) => void lines.push(line) };
    log.level = 'info';
    try {
      // Gone ever later after the request was sent, until one went while the store was read.
      for (let delay = 0; delay < 60 && !lines.some((l) => l.includes('went away')); delay += 2) {
        const gone = new AbortController();
        const sent = fetch(`${s.url}/api/changes`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body,
          signal: gone.signal
        });
        setTimeout(() => gone.abort(), delay);
        await sent.then((r) => r.arrayBuffer()).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      log[streamSym] = stream;
      log.level = level;
    }
    expect(lines.some((l) => l.includes('the client went away before its changes were read'))).toBe(true);
    expect(lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
    // The server answers the same person as before.
    expect((await changes(client(s.url, cookie), { since: { org_ku_tickets: 0 }, limit: 10 })).status).toBe(200);
  });
});

describe('bad input is refused with a reason', () => {
  it.each([
    ['a list', [], 'send a JSON object'],
    ['an unknown field', { since: { 'org_gym-kt_tickets': 0 }, filter: 'x' }, '"filter" is not a field'],
    ['no since', { limit: 5 }, '"since" must be an object'],
    ['since naming nothing', { since: {} }, 'names no database'],
    [
      'a sequence that is an object',
      { since: { 'org_gym-kt_tickets': { a: 1 } } },
      'the sequence of org_gym-kt_tickets'
    ],
    ['a negative sequence', { since: { 'org_gym-kt_tickets': -1 } }, 'whole number 0 or more'],
    ['a sequence with a path in it', { since: { 'org_gym-kt_tickets': '1/../x' } }, 'the sequence of'],
    ['a limit of 0', { since: { 'org_gym-kt_tickets': 0 }, limit: 0 }, '"limit" must be a whole number from 1'],
    ['a limit too large', { since: { 'org_gym-kt_tickets': 0 }, limit: 5000 }, 'from 1 to 1000'],
    ['a name that is no database', { since: { '../_users': 0 } }, 'is not a database name']
  ])('%s', async (_what, body, reason) => {
    const res = await changes(agent, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', reason: expect.stringContaining(reason) });
  });

  it.each([
    ['gzip', 'gzip'],
    ['br', 'gzip, deflate, br'],
    ['br', 'br;q=0.9, gzip;q=0.5'],
    ['gzip', 'br;q=0, gzip']
  ])(
    'answers %s-compressed, with its length, to a client that accepts "%s": the same changes as uncompressed',
    async (encoding, accepted) => {
      const body = { since: Object.fromEntries(SCHOOL_DBS.map((db) => [db, 0])) };
      const zipped = await agent.send('POST', '/api/changes', body, { 'accept-encoding': accepted });
      const plain = await agent.send('POST', '/api/changes', body, { 'accept-encoding': 'identity' });
      expect(zipped.headers.get('content-encoding')).toBe(encoding);
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i);
      // One piece with its length, not a chunked stream.
      expect(Number(zipped.headers.get('content-length'))).toBeGreaterThan(0);
      expect(zipped.headers.get('transfer-encoding')).toBeNull();
      const [a, b] = [(await zipped.json()) as BatchChangesResponse, (await plain.json()) as BatchChangesResponse];
      expect(Object.keys(a.results).sort()).toEqual(SCHOOL_DBS.slice().sort());
      expect(a.results['org_gym-kt_tickets'].results.length).toBeGreaterThan(10);
      expect(sameChanges(a)).toEqual(sameChanges(b));
    }
  );

  it('a body that is not JSON', async () => {
    const res = await agent.send('POST', '/api/changes', '{"since":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
  });
});

/**
 * An answer's changes as two whole reads of unchanged databases agree on them: Apache CouchDB's
 * feed merges its shards' rows in no fixed order, and each row's sequence tells its place.
 */
function sameChanges(answer: BatchChangesResponse) {
  const pages = Object.entries(answer.results).map(([db, page]) => [
    db,
    { ...page, results: page.results.map(({ seq: _seq, ...row }) => row).sort((x, y) => x.id.localeCompare(y.id)) }
  ]);
  return { ...answer, results: Object.fromEntries(pages) };
}

describe('the sync header names whose store syncs', () => {
  it('a matching user id passes; another user is refused with session_mismatch, here and in the gateway', async () => {
    const body = { since: { 'org_gym-kt_tickets': 0 }, limit: 1 };
    expect((await changes(teacher, body, { 'x-sync-user': 'ucitel.gymkt' })).status).toBe(200);
    const wrong = await changes(teacher, body, { 'x-sync-user': 'helpdesk' });
    expect(wrong.status).toBe(409);
    expect(wrong.body).toMatchObject({ error: 'session_mismatch', reason: expect.stringContaining('ucitel.gymkt') });
    const gw = await teacher.send('GET', '/couch/org_gym-kt_tickets/_changes?limit=1', undefined, {
      'x-sync-user': 'helpdesk'
    });
    expect(gw.status).toBe(409);
    expect(((await gw.json()) as { error: string }).error).toBe('session_mismatch');
    const ok = await teacher.send('GET', '/couch/org_gym-kt_tickets/_changes?limit=1', undefined, {
      'x-sync-user': 'ucitel.gymkt'
    });
    expect(ok.status).toBe(200);
  });
});

describe('identical pulls at the same time share one store read, never an authorization', () => {
  /** The gateway's own client to the real store, counting the `_changes` reads it makes per database. */
  class CountingUpstream extends Upstream {
    reads: string[] = [];
    /** Set: every `_changes` answer is held until it resolves (a slow page of a busy store). */
    hold: Promise<void> | null = null;
    override async bytes(db: string, segments: readonly string[], init: Parameters<Upstream['bytes']>[2]) {
      if (segments[0] !== '_changes') return super.bytes(db, segments, init);
      this.reads.push(db);
      const answer = await super.bytes(db, segments, init);
      await this.hold;
      return answer;
    }
  }
  async function sessionUser(username: string): Promise<SessionUser> {
    const doc = (await findUser(s.app.couch, username))!;
    return { id: doc.username, name: doc.name, memberships: doc.memberships };
  }
  const ctx = (user: SessionUser, upstream: Upstream, shared: SharedReads<StoreAnswer>, signal?: AbortSignal) => ({
    user,
    orgs: s.app.orgs.list(),
    upstream,
    shared,
    signal
  });
  const request = (since: Record<string, string | number>) => parseBatchRequest({ since, limit: 1000 }) as BatchRequest;
  /** The answer as the route sends it. */
  const json = (a: BatchAnswer) => JSON.parse(answerBytes(a).toString()) as BatchChangesResponse;
  const ids = (r: BatchAnswer, db: string) => json(r).results[db].results.map((c) => c.id);

  it('two users pulling the same database from the same position at once cause one read and get the same changes', async () => {
    const upstream = new CountingUpstream(s.app.couch.config.url);
    const shared = new SharedReads<StoreAnswer>();
    const [teacherUser, directorUser] = await Promise.all([sessionUser('ucitel.gymkt'), sessionUser('reditel.gymkt')]);
    const ask = request({ 'org_gym-kt_tickets': 0 });
    const [a, b] = await Promise.all([
      readBatch(ctx(teacherUser, upstream, shared), ask),
      readBatch(ctx(directorUser, upstream, shared), ask)
    ]);
    expect(upstream.reads).toEqual(['org_gym-kt_tickets']);
    expect(shared).toMatchObject({ started: 1, joined: 1, inFlight: 0 });
    expect(ids(a, 'org_gym-kt_tickets').length).toBeGreaterThan(0);
    expect(ids(b, 'org_gym-kt_tickets')).toEqual(ids(a, 'org_gym-kt_tickets'));
  });

  it('users with different rights each get only their own databases: the notes are read for the agent alone', async () => {
    const text = `Sdílené čtení ${uniqueId('n')}`;
    const note = validDoc('org_gym-kt_notes', 'helpdesk', { ticketId: 'tkt-gym-kt-0001', text });
    expect((await agent.bulkDocs('org_gym-kt_notes', [note])).body[0]).toMatchObject({ ok: true });
    const upstream = new CountingUpstream(s.app.couch.config.url);
    const shared = new SharedReads<StoreAnswer>();
    const [agentUser, teacherUser] = await Promise.all([sessionUser('helpdesk'), sessionUser('ucitel.gymkt')]);
    const ask = request({ 'org_gym-kt_tickets': 0, 'org_gym-kt_notes': 0 });
    const [forAgent, forTeacher] = await Promise.all([
      readBatch(ctx(agentUser, upstream, shared), ask),
      readBatch(ctx(teacherUser, upstream, shared), ask)
    ]);
    expect(upstream.reads.sort()).toEqual(['org_gym-kt_notes', 'org_gym-kt_tickets']);
    expect(JSON.stringify(json(forAgent).results['org_gym-kt_notes'])).toContain(text);
    expect(answerBytes(forTeacher).toString()).not.toContain(text);
    expect(forTeacher.results['org_gym-kt_notes']).toBeUndefined();
    expect(forTeacher.refused['org_gym-kt_notes']).toMatchObject({ status: 403, error: 'forbidden' });
    expect(ids(forTeacher, 'org_gym-kt_tickets')).toEqual(ids(forAgent, 'org_gym-kt_tickets'));
  });

  it('a pull made after a change reads again, and gets the change, while an older read is in flight, though this server was told of nothing (the write came through another server)', async () => {
    const db = 'org_gym-kt_tickets';
    const upstream = new CountingUpstream(s.app.couch.config.url);
    const shared = new SharedReads<StoreAnswer>();
    const [teacherUser, directorUser] = await Promise.all([sessionUser('ucitel.gymkt'), sessionUser('reditel.gymkt')]);
    const { since: end } = await readAll(agent, db, 1000);
    const ask = request({ [db]: end });
    let release = () => undefined as void;
    upstream.hold = new Promise<void>((resolve) => (release = resolve));
    const older = readBatch(ctx(teacherUser, upstream, shared), ask);
    await expect.poll(() => upstream.reads.length).toBe(1);
    // The write is stored while the first read is under way; nothing tells the shared reads of it.
    const doc = validDoc(db, 'helpdesk', { requester: 'ucitel.gymkt' });
    expect((await agent.bulkDocs(db, [doc])).body[0]).toMatchObject({ ok: true });
    upstream.hold = null;
    const newer = readBatch(ctx(directorUser, upstream, shared), ask);
    release();
    expect(ids(await newer, db)).toEqual([doc._id]);
    expect(ids(await older, db)).toEqual([]);
    expect(upstream.reads).toEqual([db, db]);
  });

  it('a database whose store answer is not valid JSON is refused alone; the others are read', async () => {
    class CorruptUpstream extends Upstream {
      override async bytes(db: string, segments: readonly string[], init: Parameters<Upstream['bytes']>[2]) {
        const answer = await super.bytes(db, segments, init);
        if (db !== 'org_gym-kt_tickets' || segments[0] !== '_changes') return answer;
        // A document cut inside the page: the rows' frame is intact, the JSON is not.
        return { ...answer, body: Buffer.from(answer.body.toString().replace('"doc":{', '"doc":{"x":tru,')) };
      }
    }
    const upstream = new CorruptUpstream(s.app.couch.config.url);
    const agentUser = await sessionUser('helpdesk');
    const answer = json(
      await readBatch(
        ctx(agentUser, upstream, new SharedReads<StoreAnswer>()),
        request({ 'org_gym-kt_tickets': 0, 'org_sos-do_tickets': 0 })
      )
    );
    expect(answer.refused['org_gym-kt_tickets']).toMatchObject({ status: 502, error: 'unavailable' });
    expect(answer.results['org_gym-kt_tickets']).toBeUndefined();
    expect(answer.results['org_sos-do_tickets'].results.length).toBeGreaterThan(0);
  });

  it('a caller that goes away does not fail the others waiting for the same read', async () => {
    const upstream = new CountingUpstream(s.app.couch.config.url);
    const shared = new SharedReads<StoreAnswer>();
    const [teacherUser, directorUser] = await Promise.all([sessionUser('ucitel.gymkt'), sessionUser('reditel.gymkt')]);
    const ask = request({ 'org_gym-kt_tickets': 0 });
    const gone = new AbortController();
    const leaving = readBatch(ctx(teacherUser, upstream, shared, gone.signal), ask);
    const staying = readBatch(ctx(directorUser, upstream, shared), ask);
    gone.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    expect(ids(await staying, 'org_gym-kt_tickets').length).toBeGreaterThan(0);
    expect(upstream.reads).toEqual(['org_gym-kt_tickets']);
  });
});
