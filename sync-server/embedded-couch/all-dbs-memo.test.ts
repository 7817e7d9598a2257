/**
 * The embedded store keeps its list of databases between requests (all-dbs-memo.mjs): a
 * database created, deleted, created again, or closed by the open-file bound and opened again
 * is answered exactly as before, at once after the request that changed it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawnProcess, type ServerProcess } from '../ops/server-process';

let store: ServerProcess;
let dataDir: string;
let base: string;
let auth: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-all-dbs-'));
  store = await spawnProcess({
    entry: 'scripts/couch.ts',
    // Four open at once: reading ten databases in turn closes and reopens them.
    env: {
      DATA_DIR: dataDir,
      COUCH_PORT: '0',
      COUCH_ADMIN_PASSWORD: 'memo',
      COUCH_MAX_OPEN_DBS: '4',
      LOG_LEVEL: 'warn'
    },
    readyWhen: (out) => /COUCHDB_URL=\S+\n/.test(out)
  });
  const url = new URL(/COUCHDB_URL=(\S+)\n/.exec(store.output())![1]);
  auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  base = `${url.protocol}//${url.host}`;
}, 60_000);

afterAll(async () => {
  await store?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const call = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${base}/${p}`, {
    method,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { results?: { id: string }[] } };
};
const allDbs = async () =>
  ((await call('GET', '_all_dbs')).body as unknown as string[]).filter((d) => d.startsWith('m')).sort();

it('answers each database as it is after every create, delete and reopen', async () => {
  const names = Array.from({ length: 10 }, (_, i) => `m${i}`);
  for (const n of names) {
    expect((await call('PUT', n)).status).toBe(201);
    // Asked right after its creation: the list read before it must not be answered.
    expect((await call('PUT', `${n}/doc`, { n })).status).toBe(201);
  }
  for (const n of names) expect((await call('GET', `${n}/_changes`)).body.results!.map((r) => r.id)).toEqual(['doc']);
  expect(await allDbs()).toEqual(names);

  // m0 was closed by the bound on the way: it opens again, and the list is unchanged.
  expect((await call('GET', 'm0/doc')).body).toMatchObject({ n: 'm0' });
  expect((await call('PUT', 'm0')).status).toBe(412);

  expect((await call('DELETE', 'm3')).status).toBe(200);
  expect((await call('GET', 'm3/_changes')).status).toBe(404);
  expect(await allDbs()).toEqual(names.filter((n) => n !== 'm3'));

  expect((await call('PUT', 'm3')).status).toBe(201);
  expect((await call('GET', 'm3/_changes')).body.results).toEqual([]);
  expect(await allDbs()).toEqual(names);

  // Creations among concurrent reads (a read may be asking for the list just as a database is
  // created): every database is readable once its creation has answered.
  const fresh = Array.from({ length: 30 }, (_, i) => `mx${String(i).padStart(2, '0')}`);
  for (let i = 0; i < fresh.length; i += 3) {
    await Promise.all([
      ...fresh.slice(i, i + 3).map(async (n) => {
        expect((await call('PUT', n)).status).toBe(201);
        expect((await call('GET', `${n}/_changes`)).status).toBe(200);
      }),
      ...names.map(async (m) => expect((await call('GET', `${m}/_changes`)).status).toBe(200))
    ]);
  }
  expect(await allDbs()).toEqual([...names, ...fresh].sort());
}, 60_000);
