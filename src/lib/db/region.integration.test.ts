/**
 * Region reference data through the real gateway: the one `region` collection is fed by every
 * `region_*` database and each local edit goes back to the database of its kind. And a device
 * that synced before the restructuring keeps its unsent region edits.
 */
import { createRxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { REGION_SCHEMAS } from '../domain/schemas';
import type { FetchLike } from './couch-http';
import { rxDatabaseName } from './local-names';
import { openCore, type CoreDb, type Me } from './open-core';
import { regionKey, regionQuery } from './region';
import { SYNC_ISSUES_COLLECTION, syncIssueSchema } from './sync-issues';

let server: TestServer;
let fetchAs: FetchLike;
let me: Me;
const at = () => new Date().toISOString();
const stamp = () => ({ createdBy: 'admin', createdAt: at(), updatedBy: 'admin', updatedAt: at() });

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await login(server.url, 'admin');
  fetchAs = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
  me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
});
afterAll(async () => server?.close());

const open = (storage = getRxStorageMemory()) =>
  openCore(me, {
    storage,
    origin: server.url,
    fetch: fetchAs,
    emit: () => undefined,
    multiInstance: false,
    events: false,
    retryMs: 500
  });

async function inSync(core: CoreDb) {
  await core.sync.replications.get('region')!.awaitInSync();
}

describe('region reference data through the gateway', () => {
  it('pulls every region database into one collection and pushes each edit to its own database', async () => {
    const core = await open();
    try {
      await core.sync.awaitInitial();
      expect((await regionQuery(core, 'orgs').exec()).length).toBeGreaterThan(5);
      expect((await regionQuery(core, 'catalog', { kind: 'category' }).exec()).length).toBeGreaterThan(3);
      expect((await regionQuery(core, 'sections').exec()).length).toBeGreaterThan(0);

      // The same id in three databases: three documents, each written where it belongs.
      const region = core.collections.region;
      await region.insert({ regionKind: 'catalog', id: 'gym-kt', kind: 'calendar', name: 'Prázdniny', ...stamp() });
      await region.insert({ regionKind: 'people', id: 'gym-kt', name: 'Stejné id', ...stamp() });
      const org = await region.findOne(regionKey('orgs', 'gym-kt')).exec();
      await org!.incrementalPatch({ address: 'Nová 1, Klatovy', updatedBy: 'admin', updatedAt: at() });
      await inSync(core);

      expect(await core.client.getDoc('region_catalog', 'gym-kt')).toMatchObject({ name: 'Prázdniny' });
      expect(await core.client.getDoc('region_people', 'gym-kt')).toMatchObject({ name: 'Stejné id' });
      const serverOrg = await core.client.getDoc('region_orgs', 'gym-kt');
      expect(serverOrg).toMatchObject({ address: 'Nová 1, Klatovy', shortName: org!.get('shortName') });
      expect(serverOrg).not.toHaveProperty('regionKind');
      expect(serverOrg).not.toHaveProperty('key');
      expect(await core.issues.store.count({ selector: { kind: { $in: ['pending', 'rejected'] } } }).exec()).toBe(0);
    } finally {
      await core.close();
    }
  });

  it('moves a region edit not yet sent from the old per-kind collection into the new one and sends it', async () => {
    const storage = getRxStorageMemory();
    // The device as an earlier version left it: a `people` collection with an unsent person.
    const old = await createRxDatabase({ name: rxDatabaseName(me.user.id), storage, multiInstance: false });
    const cols = await old.addCollections({
      people: { schema: REGION_SCHEMAS.people as unknown as RxJsonSchema<unknown> },
      orgs: { schema: REGION_SCHEMAS.orgs as unknown as RxJsonSchema<unknown> },
      [SYNC_ISSUES_COLLECTION]: { schema: syncIssueSchema }
    });
    const person = { id: 'new.person', name: 'Nová Osoba', orgId: 'gym-kt', ...stamp() };
    await cols.people.insert(person);
    await cols.orgs.insert({
      id: 'gym-kt',
      name: 'Old copy',
      shortName: 'G',
      kind: 'school',
      district: 'KT',
      ...stamp()
    });
    await cols[SYNC_ISSUES_COLLECTION].insert({
      id: 'pending:people:new.person',
      kind: 'pending',
      collectionName: 'people',
      docId: 'new.person',
      at: at(),
      version: person.updatedAt
    });
    await old.close();

    const core = await open(storage);
    try {
      expect(Object.keys(core.db.collections)).not.toContain('people');
      const moved = await core.collections.region.findOne(regionKey('people', 'new.person')).exec();
      expect(moved?.get('name')).toBe('Nová Osoba');
      await core.sync.awaitInitial();
      await inSync(core);
      expect(await core.client.getDoc('region_people', 'new.person')).toMatchObject({ name: 'Nová Osoba' });
      // Reference data without a local edit is not pushed back: the server's copy stays.
      expect(await core.client.getDoc('region_orgs', 'gym-kt')).not.toMatchObject({ name: 'Old copy' });
      expect(await core.issues.store.count({ selector: { collectionName: { $in: ['people', 'orgs'] } } }).exec()).toBe(
        0
      );
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
    } finally {
      await core.close();
    }
  });
});
