import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { indexReader } from '../ui/list/index-reader';
import { collectionCreators, deviceIndexesOf, rxSchemaFor } from './collections';
import type { DocState } from './couch-doc';
import { DERIVED_FIELDS } from './derived-fields';
import { appDexieStorage } from './lean-store';
import { codecFor } from './region';
import { FIXTURE_AT, fixtureTicket } from './testing/ticket-fixture';
import { INBOX_ASSIGNEE, INBOX_OBJECT, INBOX_REQUESTER, keepInboxFields } from './ticket-inbox';

addRxPlugin(RxDBMigrationSchemaPlugin);

const at = FIXTURE_AT;
const ticket = fixtureTicket;

describe("the device's inbox fields of a ticket", () => {
  it('are set on what is pulled while they hold, and never sent to the server', () => {
    const codec = codecFor('tickets');
    const pulled = codec.fromCouch('org_gym-kt_tickets', {
      _id: 't1',
      _rev: '1-a',
      ...ticket('t1', { assignee: { queue: 'central', userId: 'helpdesk' } })
    });
    expect(pulled.inbox).toEqual({ assignee: 'helpdesk' });
    // Nobody by name, or resolved: in no inbox, so in neither index.
    expect(codec.fromCouch('org_gym-kt_tickets', { _id: 't2', ...ticket('t2') })).not.toHaveProperty(INBOX_OBJECT);
    const resolved = codec.fromCouch('org_gym-kt_tickets', {
      _id: 't3',
      ...ticket('t3', { status: 'resolved', assignee: { queue: 'central', userId: 'helpdesk' } })
    });
    expect(resolved).not.toHaveProperty(INBOX_OBJECT);
    const waiting = codec.fromCouch('org_gym-kt_tickets', {
      _id: 't4',
      ...ticket('t4', { status: 'waiting', assignee: { queue: 'central', userId: 'helpdesk' } })
    });
    expect(waiting.inbox).toEqual({ requester: 'ucitel.gymkt' });
    for (const doc of [pulled, waiting]) {
      expect(codec.toCouch(doc, '1-a')).not.toHaveProperty(INBOX_OBJECT);
    }
    expect(codec.toCouch(pulled, '1-a')).toMatchObject({ _id: 't1', _rev: '1-a', assignee: { userId: 'helpdesk' } });
    // A version refused before schema 5 and sent again carries the retired `assigneeId`: not sent either.
    expect(codec.toCouch({ ...pulled, assigneeId: 'helpdesk' }, '1-a')).not.toHaveProperty('assigneeId');
  });

  it("are optional, in the device schema only, indexed with the state by the device's own indexes", () => {
    const schema = rxSchemaFor('tickets');
    expect(schema.required).not.toContain(INBOX_OBJECT);
    // Not RxDB's indexes: its planner could choose one for a query it answers in part.
    expect(JSON.stringify(schema.indexes)).not.toContain(INBOX_OBJECT);
    expect(deviceIndexesOf('tickets').slice(0, 2)).toEqual([
      [INBOX_ASSIGNEE, 'status'],
      [INBOX_REQUESTER, 'status']
    ]);
  });

  it('follow the status and assignee when a merge derives them again from the events', () => {
    const assign = { id: 'e1', at, by: 'helpdesk', kind: 'assign', assignee: { queue: 'central', userId: 'helpdesk' } };
    const doc = { ...ticket('t1', { status: 'new' }), _deleted: false, events: [assign] } as unknown as DocState;
    expect(DERIVED_FIELDS.tickets!.derive(doc).inbox).toEqual({ assignee: 'helpdesk' });
    const resolved = {
      ...doc,
      inbox: { assignee: 'helpdesk' },
      events: [assign, { id: 'e2', at, by: 'helpdesk', kind: 'status', to: 'resolved' }]
    } as unknown as DocState;
    expect(DERIVED_FIELDS.tickets!.derive(resolved)).not.toHaveProperty(INBOX_OBJECT);
  });

  it('are set on local writes, and queries on them answer', async () => {
    const db = await createRxDatabase({ name: `inbox-${Date.now()}`, storage: getRxStorageMemory() });
    const { tickets } = await db.addCollections({ tickets: collectionCreators(() => ({}) as never).tickets });
    keepInboxFields(tickets);
    await tickets.bulkInsert([
      ticket('t1', { assignee: { queue: 'central', userId: 'helpdesk' } }),
      ticket('t2', { assignee: { queue: 'central' } }),
      ticket('t3', { assignee: { queue: 'central', userId: 'helpdesk' }, status: 'resolved' }),
      ticket('t4', { assignee: { queue: 'central', userId: 'helpdesk' }, status: 'waiting' })
    ]);
    const doc = await tickets.findOne('t2').exec();
    await doc!.incrementalPatch({ assignee: { queue: 'central', userId: 'helpdesk' } });
    const closing = await tickets.findOne('t1').exec();
    const query = (field: string, status: string) =>
      tickets.find({
        selector: { [field]: status === 'waiting' ? 'ucitel.gymkt' : 'helpdesk', status },
        sort: [{ [field]: 'asc' }, { status: 'asc' }, { id: 'asc' }]
      });
    expect((await query(INBOX_ASSIGNEE, 'assigned').exec()).map((d) => d.id)).toEqual(['t1', 't2']);
    expect((await query(INBOX_REQUESTER, 'waiting').exec()).map((d) => d.id)).toEqual(['t4']);
    // Leaving an inbox state takes the field away again.
    await closing!.incrementalPatch({ status: 'resolved' });
    expect((await tickets.findOne('t1').exec())!.toJSON()).not.toHaveProperty(INBOX_OBJECT);
    expect((await query(INBOX_ASSIGNEE, 'assigned').exec()).map((d) => d.id)).toEqual(['t2']);
    await db.remove();
  });

  it('leave their indexes without the tickets of no inbox on the Dexie storage, and the inbox reads them whole', async () => {
    const indexedDB = new IDBFactory();
    const storage = appDexieStorage({ indexedDB, IDBKeyRange });
    const db = await createRxDatabase({ name: `inbox-dexie-${Date.now()}`, storage, multiInstance: false });
    const { tickets } = await db.addCollections({ tickets: collectionCreators(() => ({}) as never).tickets });
    keepInboxFields(tickets);
    const statuses = ['new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed'];
    await tickets.bulkInsert(
      Array.from({ length: 60 }, (_, i) =>
        ticket(`t${String(i).padStart(2, '0')}`, {
          status: statuses[i % 6],
          assignee: i % 4 === 0 ? { queue: 'central', userId: 'helpdesk' } : { queue: 'central' },
          // Every tenth names an asset (the device's own index by asset holds those only).
          ...(i % 10 === 0 ? { assetId: `a-${i % 20}` } : {})
        })
      )
    );
    const entries = async (path: string) => {
      const name = (await indexedDB.databases()).find((d) => d.name?.endsWith('--tickets'))!.name!;
      const idb = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const count = await new Promise<number>((resolve) => {
        const req = idb.transaction('docs').objectStore('docs').index(`[_deleted+${path}+status+id]`).count();
        req.onsuccess = () => resolve(req.result);
      });
      idb.close();
      return count;
    };
    // Named assignee (every 4th) and open (new, assigned, in progress: 3 of every 6): 0, 12, 24, 36, 48 … of those, open ones.
    const assignedOpen = Array.from({ length: 60 }, (_, i) => i).filter((i) => i % 4 === 0 && i % 6 < 3);
    expect(await entries(INBOX_ASSIGNEE)).toBe(assignedOpen.length);
    expect(await entries(INBOX_REQUESTER)).toBe(10);
    // The inbox reads its index straight (`index-reader.ts`), as `liveRanges` does.
    const reader = indexReader<DocState>(tickets, [INBOX_ASSIGNEE, 'status'], 'asc');
    const mine = await Promise.all(
      ['new', 'assigned', 'in_progress'].map((status) => reader.read({ prefix: ['helpdesk', status] }, null, Infinity))
    );
    expect(
      mine
        .flat()
        .map((d) => Number(String(d.id).slice(1)))
        .sort((a, b) => a - b)
    ).toEqual(assignedOpen);
    // Asked of RxDB, the same answer: its planner reads a full index.
    const asked = await tickets.find({ selector: { [INBOX_ASSIGNEE]: 'helpdesk', status: 'assigned' } }).exec();
    expect(asked.map((d) => Number(d.id.slice(1)))).toEqual(assignedOpen.filter((i) => i % 6 === 1));
    // An asset's tickets: six name an asset, three of them a-0 (tickets 0, 20, 40).
    const byAsset = indexReader<DocState>(tickets, ['assetId'], 'asc');
    expect((await byAsset.read({ prefix: ['a-0'] }, null, Infinity)).map((d) => d.id)).toEqual(['t00', 't20', 't40']);
    expect(await byAsset.count({ prefix: [] })).toBe(6);
    // Every other ticket query still reads every ticket.
    expect(await tickets.count().exec()).toBe(60);
    expect((await tickets.find().exec()).length).toBe(60);
    await db.remove();
  });
});
