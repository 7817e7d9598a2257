/**
 * `POST /_dbs_info` of the embedded store answers as CouchDB's does, through the open-file
 * bound, and the notifier's reader of update sequences uses it: a hundred databases a
 * request, the same sequences as `GET /<db>`, and one database at a time from a store
 * without it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateSeqReader } from '../events/update-seqs';
import { startStoreAlone, type StoreAlone } from '../testing/store-alone';

let store: StoreAlone;
let base: string;
let auth: string;
let couchUrl: string;

beforeAll(async () => {
  // Four open at once: reading 120 databases closes and reopens them on the way.
  store = await startStoreAlone({ password: 'info', maxOpenDbs: 4 });
  ({ base, auth, couchUrl } = store);
  // 120 databases, the i-th with i % 4 documents (so their sequences differ).
  for (let i = 0; i < NAMES.length; i++) {
    expect((await call('PUT', NAMES[i])).status).toBe(201);
    const docs = Array.from({ length: i % 4 }, (_, n) => ({ _id: `d${n}` }));
    if (docs.length) expect((await call('POST', `${NAMES[i]}/_bulk_docs`, { docs })).status).toBe(201);
  }
}, 120_000);

afterAll(async () => store?.stop());

const NAMES = Array.from({ length: 120 }, (_, i) => `info-${String(i).padStart(3, '0')}`);

async function call(method: string, p: string, body?: unknown, raw?: string) {
  const res = await fetch(`${base}/${p}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body))
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const served = async (kind: string) =>
  ((await call('GET', '_store_status')).body as { requests: Record<string, number> }).requests[kind] ?? 0;

describe('POST /_dbs_info', () => {
  it('answers each asked database in order, a missing one as not_found, and creates nothing', async () => {
    const keys = ['info-003', 'no-such-db', 'info-001', 'info-002'];
    const { status, body } = await call('POST', '_dbs_info', { keys });
    expect(status).toBe(200);
    const answers = body as {
      key: string;
      info?: { db_name: string; doc_count: number; update_seq: unknown };
      error?: string;
    }[];
    expect(answers.map((a) => a.key)).toEqual(keys);
    expect(answers[1]).toEqual({ key: 'no-such-db', error: 'not_found' });
    for (const a of [answers[0], answers[2], answers[3]]) {
      const own = (await call('GET', a.key)).body as { doc_count: number; update_seq: unknown };
      expect(a.info).toMatchObject({ db_name: a.key, doc_count: own.doc_count, update_seq: own.update_seq });
    }
    expect(answers[0].info!.doc_count).toBe(3);
    expect((await call('GET', 'no-such-db')).status).toBe(404);
  });

  it.each([
    ['no keys member', { nokeys: [] }],
    ['keys that are not a list', { keys: 'info-001' }],
    ['a key that is not a name', { keys: ['info-001', 7] }],
    ['an empty list', { keys: [] }],
    ['more than 100 databases', { keys: Array.from({ length: 101 }, (_, i) => `info-${i}`) }]
  ])('refuses %s with 400 and a reason', async (_label, body) => {
    const res = await call('POST', '_dbs_info', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', reason: expect.stringMatching(/keys/) });
  });

  it('refuses a body that is not JSON with 400 and a reason', async () => {
    const res = await call('POST', '_dbs_info', undefined, '{"keys": [');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', reason: expect.stringMatching(/JSON/) });
  });
});

describe('the update sequences of every database (the notifier reads them at each catch-up)', () => {
  it('reads 120 databases and a missing one in two requests, with the sequences GET /<db> gives', async () => {
    const before = await served('POST _dbs_info');
    const seqs = await new UpdateSeqReader(nano(couchUrl)).read([...NAMES, 'gone-meanwhile']);
    expect(await served('POST _dbs_info')).toBe(before + 2);
    // Every database it opened was given back: the store is within its bound of 4 again.
    const status = (await call('GET', '_store_status')).body as { openDbs: number; inUseDbs: number };
    expect(status.inUseDbs).toBe(0);
    expect(status.openDbs).toBeLessThanOrEqual(4);
    expect([...seqs.keys()].sort()).toEqual(NAMES);
    for (const name of [NAMES[0], NAMES[57], NAMES[119]]) {
      const own = (await call('GET', name)).body as { update_seq: unknown };
      expect(seqs.get(name)).toBe(String(own.update_seq));
    }
  });

  it('reads one database at a time from a store without _dbs_info, and does not ask it again', async () => {
    // A CouchDB older than 2.2: the store behind a proxy that answers 404 to _dbs_info.
    let asked = 0;
    const target = new URL(base);
    const proxy = http.createServer((req, res) => {
      if (req.url?.startsWith('/_dbs_info')) {
        asked++;
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: 'not_found', reason: 'missing' }));
      }
      const out = http.request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }
      );
      req.pipe(out);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = new URL(couchUrl);
      url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const reader = new UpdateSeqReader(nano(url.toString()));
      const keys = NAMES.slice(0, 12);
      const direct = await new UpdateSeqReader(nano(couchUrl)).read(keys);
      expect(await reader.read([...keys, 'gone-meanwhile'])).toEqual(direct);
      expect(await reader.read(keys)).toEqual(direct);
      expect(asked).toBe(1);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
