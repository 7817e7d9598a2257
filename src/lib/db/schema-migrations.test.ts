import { addRxPlugin, createRxDatabase, type RxJsonSchema } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { ORG_COLLECTIONS } from '../domain/databases';
import { ORG_SCHEMAS } from '../domain/schemas';
import { collectionCreators, DATA_COLLECTIONS, rxSchemaFor, type DataCollection } from './collections';
import { REGION_SCHEMA_VERSION } from './region';
import { MIGRATIONS } from './schema-migrations';
import { INBOX_ASSIGNEE, INBOX_OBJECT, INBOX_REQUESTER } from './ticket-inbox';
import { fixtureTicket } from './testing/ticket-fixture';

addRxPlugin(RxDBMigrationSchemaPlugin);

describe('local schema versions', () => {
  it('has a migration step for every version of every collection', () => {
    // Databases that feed another local collection (files, the contract archive) have none of their own.
    for (const name of ORG_COLLECTIONS.filter((c) => (DATA_COLLECTIONS as readonly string[]).includes(c))) {
      const version = ORG_SCHEMAS[name].version;
      const steps = Object.keys(MIGRATIONS[name as DataCollection] ?? {}).map(Number);
      expect(
        steps.sort((a, b) => a - b),
        name
      ).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    }
    const regionSteps = Object.keys(MIGRATIONS.region ?? {}).map(Number);
    expect(regionSteps.sort((a, b) => a - b)).toEqual(Array.from({ length: REGION_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  it('opens a device store written under the previous schema, keeping its documents', async () => {
    // The store as the previous release left it: tickets at version 0, with a legacy note event.
    const storage = getRxStorageMemory();
    const name = `migration-${Date.now()}`;
    const old = structuredClone(rxSchemaFor('tickets')) as RxJsonSchema<Record<string, unknown>> & {
      properties: Record<string, unknown>;
    };
    old.version = 0;
    delete old.properties.fieldTimes; // any difference gives the stored schema another hash
    const before = await createRxDatabase({ name, storage, multiInstance: false });
    const { tickets } = await before.addCollections({ tickets: { schema: old } });
    const at = '2026-11-01T08:00:00.000Z';
    await tickets.insert(
      fixtureTicket('tkt-gym-kt-0001', {
        status: 'new',
        events: [
          { id: 'e1', at, by: 'ucitel.gymkt', kind: 'comment', text: 'Ve sborovně' },
          { id: 'e2', at, by: 'helpdesk', kind: 'note', text: 'Interní' }
        ],
        createdAt: at,
        updatedAt: at
      })
    );
    await before.close();

    const after = await createRxDatabase({ name, storage, multiInstance: false });
    const created = await after.addCollections(collectionCreators(() => ({}) as never, 'ucitel.gymkt'));
    const doc = await created.tickets.findOne('tkt-gym-kt-0001').exec();
    expect(doc?.toJSON().title).toBe('Tiskárna netiskne');
    expect((doc?.toJSON().events as { kind: string }[]).map((e) => e.kind)).toEqual(['comment']);
    await after.remove();
  });

  it('opens a store of tickets version 3 (more indexes, `assigneeId`) with its documents and inbox fields', async () => {
    const storage = getRxStorageMemory();
    const name = `migration-v3-${Date.now()}`;
    const v3 = structuredClone(rxSchemaFor('tickets')) as RxJsonSchema<Record<string, unknown>>;
    v3.version = 3;
    const inbox = new Set([INBOX_ASSIGNEE, INBOX_REQUESTER]);
    const lists = (v3.indexes ?? []).filter((i) => !(Array.isArray(i) && inbox.has(i[0])));
    delete (v3.properties as Record<string, unknown>)[INBOX_OBJECT];
    (v3.properties as Record<string, unknown>).assigneeId = { type: 'string', maxLength: 60 };
    v3.required = [...(v3.required as string[]), 'assigneeId'];
    v3.indexes = [
      'updatedAt',
      'status',
      ['orgId', 'updatedAt'],
      ['assigneeId', 'status', 'id'],
      ['requester', 'status', 'id'],
      ...lists
    ];
    const before = await createRxDatabase({ name, storage, multiInstance: false });
    const { tickets } = await before.addCollections({ tickets: { schema: v3 } });
    const at = '2026-11-01T08:00:00.000Z';
    await tickets.insert({
      id: 'tkt-gym-kt-0002',
      orgId: 'gym-kt',
      title: 'Projektor bliká',
      description: '',
      category: 'cat-av',
      priority: 'P2',
      requester: 'ucitel.gymkt',
      status: 'assigned',
      assignee: { queue: 'contractor', userId: 'technik.kt' },
      assigneeId: 'technik.kt',
      events: [],
      createdBy: 'ucitel.gymkt',
      createdAt: at,
      updatedBy: 'ucitel.gymkt',
      updatedAt: at
    });
    await before.close();

    const after = await createRxDatabase({ name, storage, multiInstance: false });
    const created = await after.addCollections(collectionCreators(() => ({}) as never, 'ucitel.gymkt'));
    expect(created.tickets.schema.version).toBe(7);
    const found = await created.tickets
      .find({ selector: { [INBOX_ASSIGNEE]: 'technik.kt', status: 'assigned' } })
      .exec();
    expect(found.map((d) => d.toJSON())).toEqual([
      expect.objectContaining({ id: 'tkt-gym-kt-0002', title: 'Projektor bliká', inbox: { assignee: 'technik.kt' } })
    ]);
    expect(found[0].toJSON()).not.toHaveProperty('assigneeId');
    await after.remove();
  });
});
