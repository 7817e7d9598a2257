/**
 * The sync against the real server: embedded CouchDB behind the real gateway, demo region,
 * a signed-in user. Handlers are driven directly first, then a whole RxDB database (memory
 * storage under Node; the browser uses Dexie) replicates through them.
 */
import { getChangedDocumentsSince, removeRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validDoc } from '../../../sync-server/gateway/test-support';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { DirtySet } from './checkpoint';
import { CouchClient, type FetchLike } from './couch-http';
import { fromCouch, type DocState } from './couch-doc';
import { rxDatabaseName } from './local-names';
import { openCore, type Me } from './open-core';
import { regionQuery } from './region';
import { discardRejected } from './rejected-actions';
import { createPullHandler } from './pull';
import { createPushHandler } from './push';
import type { RejectedEntry } from './sync-issues';
import type { SyncEvent } from './sync-status';

let server: TestServer;
let fetchAs: FetchLike;
let me: Me;
const USER = 'ucitel.gymkt';

const now = () => new Date().toISOString();
function newTicket(id: string, extra: Record<string, unknown> = {}): DocState {
  return {
    id,
    orgId: 'gym-kt',
    title: `Projector ${id}`,
    description: 'Does not turn on',
    category: 'cat-hardware',
    priority: 'P3',
    requester: USER,
    status: 'new',
    events: [],
    createdBy: USER,
    createdAt: now(),
    updatedBy: USER,
    updatedAt: now(),
    _deleted: false,
    ...extra
  };
}

/** The rejected store reduced to a map, for driving the push handler alone. */
function memoryIssues() {
  const rejected = new Map<string, RejectedEntry>();
  return {
    rejected,
    rejectedFor: async (_c: string, ids: readonly string[]) =>
      new Map(ids.filter((id) => rejected.has(id)).map((id) => [id, rejected.get(id)!])),
    setAside: async (_c: string, entries: readonly RejectedEntry[]) => entries.forEach((e) => rejected.set(e.docId, e)),
    clear: async (_k: string, _c: string, ids: readonly string[]) => ids.forEach((id) => rejected.delete(id)),
    clearPushed: async () => undefined
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await login(server.url, USER);
  fetchAs = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
  me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
});
afterAll(async () => server?.close());

describe('push through the gateway', () => {
  it('writes the permitted documents of a batch and sets the refused one aside with the server reason', async () => {
    const client = new CouchClient(fetchAs, `${server.url}/couch`);
    const issues = memoryIssues();
    const push = createPushHandler({ client, collection: 'tickets', access: () => me.databases, issues });
    const forged = newTicket('it-forged', { createdBy: 'reditel.gymkt' });
    const conflicts = await push([
      { newDocumentState: newTicket('it-a') },
      { newDocumentState: forged },
      { newDocumentState: newTicket('it-b') },
      { newDocumentState: newTicket('it-foreign', { orgId: 'sos-do' }) }
    ]);
    expect(conflicts).toEqual([]);
    expect(await client.getDoc('org_gym-kt_tickets', 'it-a')).toMatchObject({ title: 'Projector it-a' });
    expect(await client.getDoc('org_gym-kt_tickets', 'it-b')).toMatchObject({ title: 'Projector it-b' });
    expect(await client.getDoc('org_gym-kt_tickets', 'it-forged')).toBeNull();
    expect(issues.rejected.get('it-forged')).toMatchObject({ code: 'forbidden', serverDoc: null });
    expect(issues.rejected.get('it-forged')!.reason).toMatch(/createdBy/);
    expect(issues.rejected.get('it-foreign')).toMatchObject({ code: 'no-access' });
  });

  it('returns the server state as a conflict when the document moved on since the local edit', async () => {
    const client = new CouchClient(fetchAs, `${server.url}/couch`);
    const push = createPushHandler({
      client,
      collection: 'tickets',
      access: () => me.databases,
      issues: memoryIssues()
    });
    await push([{ newDocumentState: newTicket('it-c') }]);
    // The server routes a new ticket when it first accepts it: its state is the base.
    const base = fromCouch((await client.getDoc('org_gym-kt_tickets', 'it-c'))!);
    await push([{ newDocumentState: { ...base, title: 'Projector in room 12' }, assumedMasterState: base }]);
    const conflicts = await push([{ newDocumentState: { ...base, status: 'waiting' }, assumedMasterState: base }]);
    expect(conflicts).toMatchObject([{ id: 'it-c', title: 'Projector in room 12' }]);
  });

  it('does not put an old version back over a newer one the device pulled after RxDB read the old one', async () => {
    const client = new CouchClient(fetchAs, `${server.url}/couch`);
    // What the device holds now: RxDB's upstream read the document before the pull stored a
    // newer server version, and pairs that old state with the newer assumed server state.
    const held = new Map<string, DocState>();
    const push = createPushHandler({
      client,
      collection: 'tickets',
      access: () => me.databases,
      issues: memoryIssues(),
      current: async (keys) => new Map(keys.filter((k) => held.has(k)).map((k) => [k, held.get(k)!]))
    });
    await push([{ newDocumentState: newTicket('it-stale') }]);
    const old = fromCouch((await client.getDoc('org_gym-kt_tickets', 'it-stale'))!);
    await push([{ newDocumentState: { ...old, title: 'Projector in room 7' }, assumedMasterState: old }]);
    const newer = fromCouch((await client.getDoc('org_gym-kt_tickets', 'it-stale'))!);
    held.set('it-stale', newer);
    const conflicts = await push([{ newDocumentState: old, assumedMasterState: newer }]);
    expect((await client.getDoc('org_gym-kt_tickets', 'it-stale'))!.title).toBe('Projector in room 7');
    // Handed back as its own conflict: RxDB's write of it meets the newer local version and is dropped.
    expect(conflicts).toMatchObject([{ id: 'it-stale', title: old.title }]);
  });
});

describe('pull through the gateway', () => {
  it('reads only the databases marked changed and keeps a sequence per database', async () => {
    const client = new CouchClient(fetchAs, `${server.url}/couch`);
    const readable = me.databases.filter((d) => d.db.endsWith('_tickets')).map((d) => d.db);
    const dirty = new DirtySet(readable);
    const pull = createPullHandler({ client, readable: () => readable, dirty });
    const first = await pull(undefined, 1000);
    expect(first.documents.length).toBeGreaterThan(0);
    expect(Object.keys(first.checkpoint.seqs)).toEqual(readable);
    expect((await pull(first.checkpoint, 1000)).documents).toEqual([]);

    await createPushHandler({ client, collection: 'tickets', access: () => me.databases, issues: memoryIssues() })([
      { newDocumentState: newTicket('it-d') }
    ]);
    dirty.mark('org_gym-kt_tickets');
    const next = await pull(first.checkpoint, 1000);
    expect(next.documents.map((d) => d.id)).toEqual(['it-d']);
  });
});

describe('a whole local database', () => {
  it('pulls, pushes, sets a refused edit aside and keeps syncing the rest', async () => {
    const events: SyncEvent[] = [];
    const core = await openCore(me, {
      storage: getRxStorageMemory(),
      origin: server.url,
      fetch: fetchAs,
      emit: (e) => events.push(e),
      multiInstance: false,
      events: false,
      retryMs: 500
    });
    try {
      await core.sync.awaitInitial();
      const tickets = core.collections.tickets;
      expect(await tickets.count().exec()).toBeGreaterThan(0);
      expect((await regionQuery(core, 'orgs').exec()).length).toBeGreaterThan(5);

      await tickets.insert(newTicket('it-rx-forged', { createdBy: 'reditel.gymkt', _deleted: undefined }));
      await tickets.insert(newTicket('it-rx-ok', { _deleted: undefined }));
      const rep = core.sync.replications.get('tickets')!;
      await rep.awaitInSync();

      const client = core.client;
      const routed = await client.getDoc('org_gym-kt_tickets', 'it-rx-ok');
      expect(routed).not.toBeNull();
      // The server routed the new ticket; the next pull brings that state back.
      core.sync.resyncNow();
      await rep.awaitInSync();
      expect((await tickets.findOne('it-rx-ok').exec())?.get('status')).toBe(routed!.status);
      const rejected = await core.issues.rejectedFor('tickets', ['it-rx-forged']);
      expect(rejected.get('it-rx-forged')?.reason).toMatch(/createdBy/);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);

      // An edit the server refuses is set aside; fixing it in a later edit pushes it again.
      const ok = await tickets.findOne('it-rx-ok').exec();
      await ok!.incrementalPatch({ status: 'waiting', updatedAt: now() });
      await rep.awaitInSync();
      expect((await core.issues.rejectedFor('tickets', ['it-rx-ok'])).get('it-rx-ok')?.reason).toMatch(/status/);
      await ok!.incrementalPatch({ status: routed!.status, title: 'Projector in room 12', updatedAt: now() });
      await rep.awaitInSync();
      expect(await client.getDoc('org_gym-kt_tickets', 'it-rx-ok')).toMatchObject({
        status: routed!.status,
        title: 'Projector in room 12'
      });
      expect((await core.issues.rejectedFor('tickets', ['it-rx-ok'])).size).toBe(0);

      // Discarding a refused new document removes it locally; the server never had it.
      await discardRejected(
        { collections: core.collections, issues: core.issues, client },
        'rejected:tickets:it-rx-forged'
      );
      await rep.awaitInSync();
      expect(await tickets.findOne('it-rx-forged').exec()).toBeNull();
      expect(await core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
      expect(events.some((e) => e.type === 'synced')).toBe(true);
    } finally {
      await core.close();
    }
  });
});

describe("the server's receipt time reaches the device", () => {
  it('a record written on the device gets the receivedAt the server stamped on it', async () => {
    const cookie = await login(server.url, 'silnicar.kt');
    const crewFetch: FetchLike = (input, init) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
    const crew = (await (await crewFetch(`${server.url}/api/me`)).json()) as Me;
    const core = await openCore(crew, {
      storage: getRxStorageMemory(),
      origin: server.url,
      fetch: crewFetch,
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 500
    });
    try {
      await core.sync.awaitInitial();
      const { _id, ...report } = validDoc('org_sus_dispatch', 'silnicar.kt');
      await core.collections.dispatch.insert({ id: _id, ...report });
      const rep = core.sync.replications.get('dispatch')!;
      await rep.awaitInSync();
      const onServer = await core.client.getDoc('org_sus_dispatch', _id as string);
      expect(onServer?.receivedAt).toMatch(/^\d{4}-/);
      // The server's write is announced (here by hand); the pulled, stamped version is stored.
      core.sync.resyncNow();
      await rep.awaitInSync();
      const local = await core.collections.dispatch.findOne(_id as string).exec();
      expect(local?.get('receivedAt')).toBe(onServer!.receivedAt);
      // Storing it is no edit of the device's: nothing waits to be sent.
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
    } finally {
      await core.close();
    }
  });
});

describe('the first sync of an empty store (first-sync.ts)', () => {
  it('stores pages without a meta row per document, then continues as the replication: changes pulled, edits pushed, no duplicate, both sides of a conflict kept', async () => {
    // Tickets of the user on the server before the device has any.
    const client = new CouchClient(fetchAs, `${server.url}/couch`);
    const seedPush = createPushHandler({
      client,
      collection: 'tickets',
      access: () => me.databases,
      issues: memoryIssues()
    });
    expect(await seedPush(['fs-a', 'fs-b', 'fs-c'].map((id) => ({ newDocumentState: newTicket(id) })))).toEqual([]);
    const admin = server.app.couch.use<Record<string, unknown>>('org_gym-kt_tickets');
    const serverIds = (await admin.list()).rows.map((r) => r.id).filter((id) => !id.startsWith('_design/'));

    const state = { offline: false };
    const requests: string[] = [];
    const deviceFetch: FetchLike = (input, init) => {
      if (state.offline) return Promise.reject(new TypeError('fetch failed'));
      requests.push(new URL(String(input)).pathname);
      return fetchAs(input, init);
    };
    const storage = getRxStorageMemory();
    // Memory storage is shared in the process: start from an empty store.
    await removeRxDatabase(rxDatabaseName(me.user.id), storage);
    const open = () =>
      openCore(me, {
        storage,
        origin: server.url,
        fetch: deviceFetch,
        emit: () => undefined,
        multiInstance: false,
        events: false,
        retryMs: 200,
        // Several pages, so the path continues from its own checkpoint.
        pullBatchSize: 4
      });
    let core = await open();
    try {
      await core.sync.awaitInitial();
      const tickets = () => core.collections.tickets;
      const rep = () => core.sync.replications.get('tickets')!;
      expect((await tickets().find().exec()).map((d) => d.primary).sort()).toEqual([...serverIds].sort());
      // Only the two checkpoints in the replication's meta store, no copy of each document.
      const metaRows = async () => (await getChangedDocumentsSince(rep().metaInstance! as never, 10_000)).documents;
      const metaBefore = await metaRows();
      expect(metaBefore.filter((d) => (d as unknown as { isCheckpoint: string }).isCheckpoint === '0')).toEqual([]);
      expect(metaBefore.length).toBe(2);
      const serverOf = async (id: string) => (await client.getDoc('org_gym-kt_tickets', id))!;

      // A change made elsewhere reaches the device.
      const a = await admin.get('fs-a');
      await admin.insert({ ...a, description: 'Changed on the server', updatedAt: now() });
      core.sync.resyncNow();
      await rep().awaitInSync();
      expect((await tickets().findOne('fs-a').exec())?.get('description')).toBe('Changed on the server');

      // An edit on the device is written as an edit of the server's version: no conflict.
      await (await tickets().findOne('fs-b').exec())!.incrementalPatch({
        title: 'Edited on the device',
        updatedAt: now()
      });
      await rep().awaitInSync();
      expect((await serverOf('fs-b')).title).toBe('Edited on the device');
      expect(await core.issues.store.count({ selector: { kind: 'conflict' } }).exec()).toBe(0);
      expect(await core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);

      // Both sides edit fs-c while the device is offline: both edits survive the merge.
      state.offline = true;
      await (await tickets().findOne('fs-c').exec())!.incrementalPatch({
        title: 'Title from the device',
        updatedAt: now()
      });
      const c = await admin.get('fs-c');
      await admin.insert({ ...c, description: 'Description from the server', updatedAt: now() });
      state.offline = false;
      core.sync.resyncNow();
      await rep().awaitInSync();
      await rep().awaitInSync();
      expect(await serverOf('fs-c')).toMatchObject({
        title: 'Title from the device',
        description: 'Description from the server'
      });
      core.sync.resyncNow();
      await rep().awaitInSync();
      expect((await tickets().findOne('fs-c').exec())?.toJSON()).toMatchObject({
        title: 'Title from the device',
        description: 'Description from the server'
      });

      // No duplicate, nothing pending; a reload reads nothing again and pushes nothing.
      expect(await tickets().count().exec()).toBe(serverIds.length);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
      await core.close();
      requests.length = 0;
      core = await open();
      await core.sync.awaitInitial();
      await rep().awaitInSync();
      expect(requests.filter((p) => p.endsWith('/_bulk_docs') || p.endsWith('/_all_docs'))).toEqual([]);
      expect(await tickets().count().exec()).toBe(serverIds.length);
    } finally {
      await core.close();
      await removeRxDatabase(rxDatabaseName(me.user.id), storage);
    }
  });

  it('leaves a store that already holds documents to the replication', async () => {
    const storage = getRxStorageMemory();
    await removeRxDatabase(rxDatabaseName(me.user.id), storage);
    const opts = {
      storage,
      origin: server.url,
      fetch: fetchAs,
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 200
    };
    // Written on the device before it ever synced: pushed by the replication, not overwritten.
    let core = await openCore(me, { ...opts, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    await core.collections.tickets.insert(newTicket('fs-offline', { _deleted: undefined }));
    await core.close();
    core = await openCore(me, opts);
    try {
      await core.sync.awaitInitial();
      const rep = core.sync.replications.get('tickets')!;
      await rep.awaitInSync();
      expect(await core.client.getDoc('org_gym-kt_tickets', 'fs-offline')).not.toBeNull();
      const metaRows = (await getChangedDocumentsSince(rep.metaInstance! as never, 10_000)).documents;
      // The replication's own bookkeeping: a meta row per document it pulled or pushed.
      expect(metaRows.length).toBeGreaterThan(2);
    } finally {
      await core.close();
      await removeRxDatabase(rxDatabaseName(me.user.id), storage);
    }
  });
});
