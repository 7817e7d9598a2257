import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { collectionCreators, rxSchemaFor } from './collections';
import type { DocState } from './couch-doc';
import { DERIVED_FIELDS } from './derived-fields';
import { codecFor } from './region';
import { keepAssigneeId } from './ticket-assignee';

addRxPlugin(RxDBMigrationSchemaPlugin);

const at = '2026-11-30T08:00:00.000Z';
const ticket = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  orgId: 'gym-kt',
  title: 'Tiskárna netiskne',
  description: '',
  category: 'cat-printer',
  priority: 'P3',
  requester: 'ucitel.gymkt',
  status: 'assigned',
  events: [],
  createdBy: 'ucitel.gymkt',
  createdAt: at,
  updatedBy: 'ucitel.gymkt',
  updatedAt: at,
  ...extra
});

describe("the device's indexed assignee of a ticket", () => {
  it('is added to what is pulled and never sent to the server', () => {
    const codec = codecFor('tickets');
    const pulled = codec.fromCouch('org_gym-kt_tickets', {
      _id: 't1',
      _rev: '1-a',
      ...ticket('t1', { assignee: { queue: 'central', userId: 'helpdesk' } })
    });
    expect(pulled.assigneeId).toBe('helpdesk');
    expect(codec.fromCouch('org_gym-kt_tickets', { _id: 't2', ...ticket('t2') }).assigneeId).toBe('');
    const sent = codec.toCouch(pulled, '1-a');
    expect(sent).not.toHaveProperty('assigneeId');
    expect(sent).toMatchObject({ _id: 't1', _rev: '1-a', assignee: { userId: 'helpdesk' } });
  });

  it('is required and indexed with the state in the device schema only', () => {
    const schema = rxSchemaFor('tickets');
    expect(schema.required).toContain('assigneeId');
    expect(schema.indexes).toContainEqual(['assigneeId', 'status', 'id']);
    expect(schema.indexes).toContainEqual(['requester', 'status', 'id']);
  });

  it('follows the assignee when a merge derives it again from the events', () => {
    const doc = {
      ...ticket('t1'),
      assigneeId: '',
      _deleted: false,
      events: [{ id: 'e1', at, by: 'helpdesk', kind: 'assign', assignee: { queue: 'central', userId: 'helpdesk' } }]
    } as unknown as DocState;
    expect(DERIVED_FIELDS.tickets!.derive(doc).assigneeId).toBe('helpdesk');
  });

  it('is set on local writes, and the inbox query reads it through the index', async () => {
    const db = await createRxDatabase({ name: `assignee-${Date.now()}`, storage: getRxStorageMemory() });
    const { tickets } = await db.addCollections({ tickets: collectionCreators(() => ({}) as never).tickets });
    keepAssigneeId(tickets);
    await tickets.bulkInsert([
      ticket('t1', { assignee: { queue: 'central', userId: 'helpdesk' } }),
      ticket('t2', { assignee: { queue: 'central' } }),
      ticket('t3', { assignee: { queue: 'central', userId: 'helpdesk' }, status: 'resolved' })
    ]);
    const doc = await tickets.findOne('t2').exec();
    await doc!.incrementalPatch({ assignee: { queue: 'central', userId: 'helpdesk' } });
    const query = tickets.find({
      selector: { assigneeId: 'helpdesk', status: 'assigned' },
      sort: [{ assigneeId: 'asc' }, { status: 'asc' }, { id: 'asc' }]
    });
    expect(query.getPreparedQuery().queryPlan.index).toEqual(['_deleted', 'assigneeId', 'status', 'id']);
    expect((await query.exec()).map((d) => d.id)).toEqual(['t1', 't2']);
    await db.remove();
  });
});
