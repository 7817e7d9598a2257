/**
 * What the embedded store keeps between requests is answered as if read afresh: its list of
 * databases (all-dbs-memo.mjs) after a database is created, deleted, created again, or closed by
 * the open-file bound and opened again; a database's security object (security-memo.mjs) after
 * it is written. Both at once after the request that changed them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStoreAlone, type StoreAlone } from '../testing/store-alone';

let store: StoreAlone;
let base: string;
let auth: string;

beforeAll(async () => {
  // Four open at once: reading ten databases in turn closes and reopens them.
  store = await startStoreAlone({ password: 'memo', maxOpenDbs: 4 });
  ({ base, auth } = store);
}, 60_000);

afterAll(async () => store?.stop());

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

/** A stand-in for PouchDB's constructor: its events, and an `allDbs` whose answers the test releases. */
async function fakePouch(initial: string[]) {
  const { memoizeAllDbs } = await import('./all-dbs-memo.mjs');
  const { EventEmitter } = await import('node:events');
  const state = { names: initial, reads: 0, pending: [] as (() => void)[] };
  const inner = Object.assign(
    () => {
      state.reads++;
      const now = state.names.slice();
      return new Promise<string[]>((r) => state.pending.push(() => r(now)));
    },
    { _handlers: [] }
  );
  const Pouch = Object.assign(new EventEmitter(), { allDbs: inner as () => Promise<string[]> });
  memoizeAllDbs(Pouch);
  const ask = async () => {
    const answer = Pouch.allDbs();
    state.pending.shift()?.();
    return answer;
  };
  return { Pouch, state, ask };
}

it.each(['created', 'destroyed'] as const)('does not keep a list read while a database was %s', async (event) => {
  const { Pouch, state, ask } = await fakePouch(event === 'created' ? ['a'] : ['a', 'b']);
  const inFlight = Pouch.allDbs();
  state.names = event === 'created' ? ['a', 'b'] : ['a'];
  Pouch.emit(event, 'b');
  state.pending.shift()!();
  expect(await inFlight).toEqual(event === 'created' ? ['a'] : ['a', 'b']);
  expect(await ask()).toEqual(state.names);
  expect(state.reads).toBe(2);
  // Kept now: asked again, the list comes without a read, and each caller gets a copy.
  const copy = await ask();
  copy.push('x');
  expect(await ask()).toEqual(state.names);
  expect(state.reads).toBe(2);
});

it('keeps the list when a listed database is opened again, and drops it for a new one', async () => {
  // The list holds names as express-pouchdb's wrapper decodes them; PouchDB's event the file name.
  const { Pouch, state, ask } = await fakePouch(['a', 'b/c']);
  await ask();
  Pouch.emit('created', 'a');
  Pouch.emit('created', 'b%2Fc');
  await ask();
  expect(state.reads).toBe(1);
  state.names = ['a', 'b/c', 'd'];
  Pouch.emit('created', 'd');
  expect(await ask()).toEqual(['a', 'b/c', 'd']);
  expect(state.reads).toBe(2);
});

it('answers a security object as last written, also after its database was closed and opened again', async () => {
  expect((await call('PUT', 'msec')).status).toBe(201);
  for (let i = 0; i < 3; i++) {
    const wanted = { admins: { names: [], roles: [] }, members: { names: [], roles: [`r${i}`] } };
    expect((await call('PUT', 'msec/_security', wanted)).status).toBe(200);
    expect((await call('GET', 'msec/_security')).body).toEqual(wanted);
  }
  // Reading five other databases closes msec (four open at most); it opens again with its object.
  for (const n of ['m0', 'm1', 'm2', 'm4', 'm5']) await call('GET', `${n}/_changes`);
  expect((await call('GET', 'msec/_security')).body).toMatchObject({ members: { roles: ['r2'] } });
  // A database deleted and created again starts without one.
  expect((await call('DELETE', 'msec')).status).toBe(200);
  expect((await call('PUT', 'msec')).status).toBe(201);
  expect((await call('GET', 'msec/_security')).body).toEqual({});
});

it('does not keep a security object read while one was written', async () => {
  const { securityMemo } = await import('./security-memo.mjs');
  let stored: unknown = { members: { roles: ['old'] } };
  const pending: (() => void)[] = [];
  let reads = 0;
  const db = {
    getSecurity: () => {
      reads++;
      const now = structuredClone(stored);
      return new Promise<unknown>((r) => pending.push(() => r(now)));
    },
    putSecurity: async (sec: unknown) => {
      stored = sec;
      return { ok: true };
    }
  };
  securityMemo('x', db, () => undefined);
  const inFlight = db.getSecurity();
  await db.putSecurity({ members: { roles: ['new'] } });
  pending.shift()!();
  expect(await inFlight).toEqual({ members: { roles: ['old'] } });
  const after = db.getSecurity();
  pending.shift()!();
  expect(await after).toEqual({ members: { roles: ['new'] } });
  // Kept now, as copies.
  const copy = (await db.getSecurity()) as { members: { roles: string[] } };
  copy.members.roles.push('x');
  expect(await db.getSecurity()).toEqual({ members: { roles: ['new'] } });
  expect(reads).toBe(2);
});
