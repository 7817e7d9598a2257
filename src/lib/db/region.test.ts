import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDocuments } from '../../../sync-server/demo/documents';
import { REGION_COLLECTIONS } from '../domain/databases';
import { rxSchemaFor } from './collections';
import { dbForDoc, routeForPush } from './push-routing';
import { regionCodec, regionKey, regionQuery } from './region';
import { MIGRATIONS } from './schema-migrations';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);

let db: RxDatabase;
let region: RxCollection;
const demo = demoDocuments(new Date('2026-01-05T08:00:00Z')).filter((d) => d.kind === 'region');

beforeAll(async () => {
  // Dev mode and schema validation, as in the browser's development build: the one schema
  // must accept every kind of region document and its indexes must be valid.
  db = await createRxDatabase({
    name: 'region-test',
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    multiInstance: false
  });
  ({ region } = await db.addCollections({
    region: { schema: rxSchemaFor('region'), migrationStrategies: MIGRATIONS.region }
  }));
  for (const d of demo)
    await region.bulkInsert(d.docs.map((doc) => regionCodec.fromCouch(d.db, { ...doc, _id: doc.id })));
});
afterAll(async () => db?.remove());

describe('region reference data in one collection', () => {
  it('holds every demo document of every region database, each under its own kind', async () => {
    for (const d of demo) {
      const found = await regionQuery({ collections: { region } }, d.collection).exec();
      expect(found.map((x) => x.id).sort()).toEqual(d.docs.map((x) => x.id).sort());
    }
  });

  it('keeps documents of different kinds with the same id apart', async () => {
    const at = '2026-01-05T08:00:00.000Z';
    const stamp = { createdBy: 'admin', createdAt: at, updatedBy: 'admin', updatedAt: at };
    await region.insert({ regionKind: 'alerts', id: 'gym-kt', district: 'KT', title: 'Ice', severity: 2, ...stamp });
    await region.insert({ regionKind: 'people', id: 'gym-kt', name: 'Same id', ...stamp });
    const org = await region.findOne(regionKey('orgs', 'gym-kt')).exec();
    expect(org?.get('shortName')).toBeTruthy();
    expect((await region.findOne(regionKey('alerts', 'gym-kt')).exec())?.get('title')).toBe('Ice');
    expect((await region.findOne(regionKey('people', 'gym-kt')).exec())?.get('name')).toBe('Same id');
  });

  it("answers the screens' queries from the kind index: catalog entries of one kind, sections of one district", async () => {
    const categories = regionQuery({ collections: { region } }, 'catalog', { kind: 'category' });
    expect(categories.getPreparedQuery().queryPlan.index).toContain('regionKind');
    const cats = await categories.exec();
    expect(cats.length).toBeGreaterThan(3);
    expect(cats.every((c) => c.kind === 'category')).toBe(true);
    const sections = regionQuery({ collections: { region } }, 'sections', { district: 'PS' });
    expect(sections.getPreparedQuery().queryPlan.index).toContain('regionKind');
    const found = await sections.exec();
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((s) => s.district === 'PS')).toBe(true);
  });
});

describe('the region codec', () => {
  it('adds the kind and key on the way in and removes them on the way out', () => {
    const local = regionCodec.fromCouch('region_catalog', { _id: 'cat-x', _rev: '3-a', kind: 'category', name: 'X' });
    expect(local).toEqual({
      id: 'cat-x',
      _deleted: false,
      kind: 'category',
      name: 'X',
      regionKind: 'catalog',
      key: 'catalog|cat-x'
    });
    expect(regionCodec.toCouch(local, '3-a')).toEqual({ _id: 'cat-x', _rev: '3-a', kind: 'category', name: 'X' });
    expect(() => regionCodec.fromCouch('org_gym-kt_tickets', { _id: 'x' })).toThrow(/region/);
  });

  it.each(REGION_COLLECTIONS)('pushes a %s document to its own region database and nowhere else', (kind) => {
    expect(dbForDoc('region', { id: 'a', _deleted: false, regionKind: kind })).toBe(`region_${kind}`);
  });

  it('refuses a region document that names no kind, and reports refusals by local key', () => {
    expect(dbForDoc('region', { id: 'a', _deleted: false })).toBeNull();
    const rows = [
      { newDocumentState: { id: 'gym-kt', _deleted: false, regionKind: 'orgs' } },
      { newDocumentState: { id: 'gym-kt', _deleted: false, regionKind: 'alerts' } }
    ];
    const { byDb, refused } = routeForPush(
      'region',
      rows,
      [
        { db: 'region_alerts', write: true },
        { db: 'region_orgs', write: false }
      ],
      regionCodec.keyOf
    );
    expect([...byDb.keys()]).toEqual(['region_alerts']);
    expect(refused).toEqual([
      { id: 'orgs|gym-kt', code: 'read-only', reason: 'You may read region_orgs but not change it.' }
    ]);
  });
});
