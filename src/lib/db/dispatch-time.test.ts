import { addRxPlugin, createRxDatabase, type RxCollection } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { collectionCreators, rxSchemaFor } from './collections';
import type { DocState } from './couch-doc';
import { DERIVED_FIELDS } from './derived-fields';
import { keepDecidedAt, rangeQuery, recentQueries } from './dispatch-time';
import { codecFor } from './region';
import { MIGRATIONS } from './schema-migrations';

addRxPlugin(RxDBMigrationSchemaPlugin);

const entry = (id: string, createdAt: string, extra: Record<string, unknown> = {}) => ({
  id,
  orgId: 'sus',
  entry: 'report',
  district: 'KT',
  createdBy: 'silnicar.kt',
  createdAt,
  updatedBy: 'silnicar.kt',
  updatedAt: createdAt,
  ...extra
});

describe("the device's decided time of a deník entry", () => {
  it('is the server’s receipt once there is one, else the creation; added on the way in, never sent', () => {
    const codec = codecFor('dispatch');
    const received = codec.fromCouch('org_sus_dispatch', {
      _id: 'd1',
      _rev: '1-a',
      ...entry('d1', '2026-12-01T05:00:00.000Z', { receivedAt: '2026-12-01T05:00:02.000Z' })
    });
    expect(received.decidedAt).toBe('2026-12-01T05:00:02.000Z');
    // A crew phone's clock may be wrong; until the server has the entry, its own time is all there is.
    expect(
      codec.fromCouch('org_sus_dispatch', { _id: 'd2', ...entry('d2', '2026-12-01T05:01:00.000Z') }).decidedAt
    ).toBe('2026-12-01T05:01:00.000Z');
    const sent = codec.toCouch(received, '1-a');
    expect(sent).not.toHaveProperty('decidedAt');
    expect(sent).toMatchObject({ _id: 'd1', _rev: '1-a', receivedAt: '2026-12-01T05:00:02.000Z' });
  });

  it('is required and indexed alone and after the entry kind in the device schema, and migrated in', () => {
    const schema = rxSchemaFor('dispatch');
    expect(schema.required).toContain('decidedAt');
    expect(schema.indexes).toContainEqual('decidedAt');
    expect(schema.indexes).toContainEqual(['entry', 'decidedAt']);
    const migrated = MIGRATIONS.dispatch![2]!(entry('d1', '2026-12-01T05:00:00.000Z'), undefined as never);
    expect(migrated).toMatchObject({ decidedAt: '2026-12-01T05:00:00.000Z' });
  });

  it('follows the receipt when a merge derives it again', () => {
    const doc = {
      ...entry('d1', '2026-12-01T05:00:00.000Z', { receivedAt: '2026-12-01T05:03:00.000Z' }),
      decidedAt: '2026-12-01T05:00:00.000Z',
      _deleted: false
    } as unknown as DocState;
    expect(DERIVED_FIELDS.dispatch!.derive(doc).decidedAt).toBe('2026-12-01T05:03:00.000Z');
  });

  it('lets the winter screens read the last days and older calamities, and the deník one day, through the indexes', async () => {
    const db = await createRxDatabase({ name: `decided-${Date.now()}`, storage: getRxStorageMemory() });
    const { dispatch } = (await db.addCollections({
      dispatch: collectionCreators(() => ({}) as never).dispatch
    })) as { dispatch: RxCollection };
    keepDecidedAt(dispatch);
    await dispatch.bulkInsert([
      entry('old-report', '2026-11-01T10:00:00.000Z'),
      entry('old-calamity', '2026-11-02T10:00:00.000Z', { entry: 'calamity', calamity: true }),
      entry('day-report', '2026-11-20T10:00:00.000Z'),
      entry('recent-report', '2026-11-29T10:00:00.000Z'),
      // Received after the window's start although written before it (a phone offline for the night).
      entry('late-arrival', '2026-11-23T10:00:00.000Z', { receivedAt: '2026-11-24T06:00:00.000Z' }),
      entry('recent-calamity', '2026-11-30T10:00:00.000Z', { entry: 'calamity', calamity: false })
    ]);
    const q = recentQueries('2026-11-24T00:00:00.000Z');
    const recent = dispatch.find(q.recent as never);
    const older = dispatch.find(q.olderCalamities as never);
    const day = dispatch.find(rangeQuery('2026-11-20T00:00:00.000Z', '2026-11-21T00:00:00.000Z') as never);
    expect(recent.getPreparedQuery().queryPlan.index).toEqual(['_deleted', 'decidedAt', 'id']);
    expect(older.getPreparedQuery().queryPlan.index).toEqual(['_deleted', 'entry', 'decidedAt', 'id']);
    expect(day.getPreparedQuery().queryPlan.index).toEqual(['_deleted', 'decidedAt', 'id']);
    const ids = async (query: typeof recent) => (await query.exec()).map((d) => d.primary);
    expect(await ids(recent)).toEqual(['late-arrival', 'recent-report', 'recent-calamity']);
    expect(await ids(older)).toEqual(['old-calamity']);
    expect(await ids(day)).toEqual(['day-report']);
    await db.remove();
  });
});
