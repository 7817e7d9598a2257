/**
 * What one request, or one user, can make the server hold, through the real gateway: no
 * attachments inline in feeds or batches, pages and id lists capped at what the clients need,
 * the session and the right to the database checked before a body is read, live streams
 * capped per user, and `_local` checkpoints only for writers, with size and count limits.
 */
import http from 'node:http';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../testing/server';
import { openSse, type SseClient } from '../testing/sse';
import { MAX_BULK_GET } from './handlers';
import { LocalDocRegistry, MAX_LOCAL_PER_USER } from './local-docs';
import { MAX_KEYS_WITH_DOCS, MAX_PAGE } from './params';
import { MAX_STREAMS_PER_USER } from './stream-quota';
import { client, type Client } from './test-support';

let s: TestServer;
let teacher: Client;
let reditel: Client;
const MEDIA = 'org_gym-kt_media';
const TICKETS = 'org_gym-kt_tickets';

beforeAll(async () => {
  s = await startTestServer();
  teacher = client(s.url, await login(s.url, 'ucitel.gymkt'));
  reditel = client(s.url, await login(s.url, 'reditel.gymkt'));
}, 120_000);
afterAll(async () => s?.close());

async function refused(res: Response, status: number, reason: RegExp) {
  expect(res.status).toBe(status);
  expect(await res.json()).toMatchObject({ reason: expect.stringMatching(reason) });
}

describe('no attachments inline in feeds or batches', () => {
  it.each([
    ['GET', `/couch/${MEDIA}/_changes?include_docs=true&attachments=true`],
    ['GET', `/couch/${MEDIA}/_all_docs?include_docs=true&attachments=true`],
    ['POST', `/couch/${MEDIA}/_bulk_get?attachments=true`]
  ])('%s %s is refused with a reason', async (method, path) => {
    const res = await teacher.send(method, path, method === 'POST' ? { docs: [{ id: 'x' }] } : undefined);
    await refused(res, 400, /read attachments one document at a time/);
  });

  it('refuses attachments in an _all_docs body too, and still serves stubs and single documents', async () => {
    const res = await teacher.send('POST', `/couch/${MEDIA}/_all_docs`, { keys: ['x'], attachments: true });
    await refused(res, 400, /read attachments one document at a time/);
    expect((await teacher.get(`/couch/${MEDIA}/_changes?include_docs=true&attachments=false`)).status).toBe(200);
  });
});

describe('pages and id lists are capped at what the clients need', () => {
  it('refuses a page larger than the clients ask for', async () => {
    await refused(await teacher.get(`/couch/${TICKETS}/_changes?limit=${MAX_PAGE + 1}`), 400, /limit/);
    await refused(await teacher.get(`/couch/${TICKETS}/_all_docs?limit=${MAX_PAGE + 1}`), 400, /limit/);
    expect((await teacher.get(`/couch/${TICKETS}/_changes?limit=${MAX_PAGE}`)).status).toBe(200);
  });

  it('refuses too many ids with documents, in _all_docs, _bulk_get and _revs_diff', async () => {
    const ids = Array.from({ length: MAX_KEYS_WITH_DOCS + 1 }, (_, i) => `id-${i}`);
    const allDocs = await teacher.send('POST', `/couch/${TICKETS}/_all_docs?include_docs=true`, { keys: ids });
    await refused(allDocs, 400, /at most 1000 document ids per request with include_docs/);
    // Revisions only: a device checking every photo it holds may name more.
    expect((await teacher.send('POST', `/couch/${TICKETS}/_all_docs`, { keys: ids })).status).toBe(200);
    const bulkGet = await teacher.send('POST', `/couch/${TICKETS}/_bulk_get?revs=true`, {
      docs: ids.slice(0, MAX_BULK_GET + 1).map((id) => ({ id }))
    });
    await refused(bulkGet, 400, /at most 200 entries per _bulk_get/);
    const revsDiff = await teacher.send(
      'POST',
      `/couch/${TICKETS}/_revs_diff`,
      Object.fromEntries(ids.map((id) => [id, ['1-a']]))
    );
    await refused(revsDiff, 400, /at most 1000 documents per _revs_diff/);
  });

  it('answers a _changes request without a limit with one page, design documents filtered while streaming', async () => {
    const res = await teacher.get(`/couch/${TICKETS}/_changes?include_docs=true`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { id: string }[]; last_seq: unknown };
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.length).toBeLessThanOrEqual(MAX_PAGE);
    expect(body.results.some((r) => r.id.startsWith('_design/'))).toBe(false);
    const all = (await (await teacher.get(`/couch/${TICKETS}/_all_docs`)).json()) as { rows: { id: string }[] };
    expect(all.rows.some((r) => r.id.startsWith('_design/'))).toBe(false);
  });
});

/** Sends headers announcing a large body and a first small piece; resolves with the answer, if one comes. */
function partialUpload(path: string, cookie?: string): Promise<{ status: number; body: string } | 'no answer'> {
  return new Promise((resolve, reject) => {
    const req = http.request(s.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(10 * 1024 * 1024),
        ...(cookie ? { cookie } : {})
      }
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no answer');
    }, 3_000);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as NodeJS.ErrnoException).code === 'EPIPE')
        resolve('no answer');
      else reject(err);
    });
    req.write('{"docs": [' + ' '.repeat(64 * 1024));
  });
}

describe('the session and the right to the database are checked before a body is read', () => {
  it('answers an anonymous upload at once, without waiting for its body', async () => {
    const answer = await partialUpload(`/couch/${MEDIA}/_bulk_docs`);
    expect(answer).toMatchObject({ status: 401 });
  });

  it('answers an upload into a database the user may not write at once', async () => {
    expect(await partialUpload(`/couch/org_sos-do_media/_bulk_docs`, teacher.cookie)).toMatchObject({ status: 403 });
    expect(await partialUpload(`/couch/region_orgs/_bulk_docs`, teacher.cookie)).toMatchObject({ status: 403 });
  });
});

describe('live streams are capped per user', () => {
  it('refuses one more event stream or longpoll than the cap, with a reason, and admits again after one closes', async () => {
    const cookie = await login(s.url, 'ucetni.gymkt');
    const open: SseClient[] = [];
    try {
      for (let i = 0; i < MAX_STREAMS_PER_USER; i++) {
        const sse = await openSse(`${s.url}/api/events`, { cookie });
        open.push(sse);
        expect(sse.status).toBe(200);
      }
      const extra = await fetch(`${s.url}/api/events`, { headers: { cookie } });
      await refused(extra, 429, /live connections open/);
      const longpoll = await fetch(`${s.url}/couch/org_gym-kt_media/_changes?feed=longpoll&since=0&limit=1`, {
        headers: { cookie }
      });
      await refused(longpoll, 429, /live connections open/);
      // Another user is not affected.
      expect((await teacher.get(`/couch/${MEDIA}/_changes?feed=longpoll&since=0&limit=1`)).status).toBe(200);
      open.pop()!.close();
      await expect
        .poll(async () => {
          const res = await fetch(`${s.url}/couch/org_gym-kt_media/_changes?feed=longpoll&since=0&limit=1`, {
            headers: { cookie }
          });
          await res.body?.cancel();
          return res.status;
        })
        .toBe(200);
    } finally {
      for (const c of open) c.close();
    }
  });
});

describe('_local documents', () => {
  it('are writable only by users who may write the database', async () => {
    const checkpoint = { session_id: 'x', last_seq: 1, history: [] };
    await refused(await teacher.send('PUT', `/couch/region_orgs/_local/cp-teacher`, checkpoint), 403, /read-only/);
    await refused(
      await teacher.send('PUT', `/couch/org_gym-kt_assets/_local/cp-teacher`, checkpoint),
      403,
      /read-only/
    );
    expect((await teacher.send('PUT', `/couch/${MEDIA}/_local/cp-teacher`, checkpoint)).status).toBe(201);
    expect((await teacher.get(`/couch/${MEDIA}/_local/cp-teacher`)).status).toBe(200);
  });

  it('have a size limit and a count limit per user', async () => {
    await refused(
      await reditel.send('PUT', `/couch/${MEDIA}/_local/cp-big`, { pad: 'x'.repeat(70 * 1024) }),
      413,
      /at most 64 KB/
    );
    for (let i = 0; i < MAX_LOCAL_PER_USER; i++) {
      const res = await reditel.send('PUT', `/couch/${MEDIA}/_local/cp-${i}`, { last_seq: i });
      expect(res.status, await res.text()).toBe(201);
    }
    await refused(
      await reditel.send('PUT', `/couch/${MEDIA}/_local/cp-more`, { last_seq: 0 }),
      403,
      /20 replication checkpoints/
    );
    // Updating one already stored is not a new one.
    const current = (await (await reditel.get(`/couch/${MEDIA}/_local/cp-0`)).json()) as { _rev: string };
    expect((await reditel.send('PUT', `/couch/${MEDIA}/_local/cp-0`, { ...current, last_seq: 9 })).status).toBe(201);
  });

  it('have a count limit per database, kept in CouchDB for every server instance', async () => {
    const registry = new LocalDocRegistry(nano(s.couchUrl), { perDb: 3, perUser: 2 });
    expect(await registry.admit('org_sos-do_media', 'a', 'u1')).toBeNull();
    expect(await registry.admit('org_sos-do_media', 'b', 'u1')).toBeNull();
    expect(await registry.admit('org_sos-do_media', 'c', 'u1')).toMatch(/per person/);
    // A second instance sees the same registry.
    const other = new LocalDocRegistry(nano(s.couchUrl), { perDb: 3, perUser: 2 });
    expect(await other.admit('org_sos-do_media', 'c', 'u2')).toBeNull();
    expect(await other.admit('org_sos-do_media', 'd', 'u3')).toMatch(/already holds 3/);
    expect(await other.admit('org_sos-do_media', 'a', 'u1')).toBeNull();
  });

  it("are changed only by the person who stored them: another writer cannot rewrite someone's checkpoint", async () => {
    const mine = { session_id: 's-teacher', last_seq: 5, history: [] };
    expect((await teacher.send('PUT', `/couch/${MEDIA}/_local/cp-owned`, mine)).status).toBe(201);
    const stored = (await (await reditel.get(`/couch/${MEDIA}/_local/cp-owned`)).json()) as { _rev: string };
    await refused(
      await reditel.send('PUT', `/couch/${MEDIA}/_local/cp-owned`, { ...stored, last_seq: 999999 }),
      403,
      /belongs to another person/
    );
    const now = (await (await teacher.get(`/couch/${MEDIA}/_local/cp-owned`)).json()) as {
      last_seq: number;
      _rev: string;
    };
    expect(now.last_seq).toBe(5);
    expect((await teacher.send('PUT', `/couch/${MEDIA}/_local/cp-owned`, { ...now, last_seq: 6 })).status).toBe(201);
  });
});
