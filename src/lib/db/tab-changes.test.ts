/**
 * Two tabs over one store: the direct writes' changes reach this tab's listeners whole and the
 * other tab's as ids, which it reads from its own connection. RxDB's memory storage shares one
 * store between instances of the same name (as two tabs' IndexedDB connections do), and Node's
 * `BroadcastChannel` carries messages between two channel objects of one name (as between tabs).
 * The memory storage's own write tells of itself too (a Dexie `bulkAdd` does not): only the
 * direct write's context is looked at.
 */
import {
  fillWithDefaultSettings,
  randomToken,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorageInstance
} from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import type { EventBulk } from './dexie-internals';
import { broadcastTabChannel, TabChanges, type TabChannel, type TabInstance } from './tab-changes';

type Doc = { id: string; title: string };
const DIRECT = 'replication-downstream-x';
type Row = RxDocumentData<Doc>;

const schema = fillWithDefaultSettings({
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: { id: { type: 'string', maxLength: 40 }, title: { type: 'string' } },
  required: ['id', 'title']
} as RxJsonSchema<Doc>);

const row = (id: string, lwt: number): Row => ({
  id,
  title: `Závada ${id}`,
  _deleted: false,
  _meta: { lwt },
  _rev: '1-abc',
  _attachments: {}
});

async function openTab(storage: ReturnType<typeof getRxStorageMemory>, tabs: TabChanges, databaseName: string) {
  const instance = (await storage.createStorageInstance<Doc>({
    databaseInstanceToken: randomToken(10),
    databaseName,
    collectionName: 'tickets',
    schema,
    options: {},
    multiInstance: false,
    devMode: false
  })) as RxStorageInstance<Doc, unknown, unknown>;
  const heard: EventBulk[] = [];
  const underneath: EventBulk[] = [];
  const direct = (b: unknown) => (b as EventBulk).context === DIRECT;
  // What RxDB's own channel listens to: the stream as it was before `attach`.
  instance.changeStream().subscribe((b) => direct(b) && underneath.push(b as EventBulk));
  tabs.attach(instance as unknown as TabInstance);
  instance.changeStream().subscribe((b) => direct(b) && heard.push(b as EventBulk));
  return { instance, heard, underneath };
}

/** Stores rows as the direct write does, then tells of them as it does. */
async function directWrite(tabs: TabChanges, instance: RxStorageInstance<Doc, unknown, unknown>, rows: Row[]) {
  const { error } = await instance.bulkWrite(
    rows.map((document) => ({ document })),
    'test-direct'
  );
  expect(error).toEqual([]);
  const bulk: EventBulk = {
    id: randomToken(10),
    events: rows.map((d) => ({
      documentId: d.id,
      operation: 'INSERT',
      documentData: d,
      previousDocumentData: undefined
    })),
    checkpoint: { id: rows[rows.length - 1].id, lwt: rows[rows.length - 1]._meta.lwt },
    context: DIRECT
  };
  tabs.emit(instance as unknown as TabInstance, bulk as never);
  return bulk;
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the direct writes told to other tabs by id', () => {
  it('reaches this tab whole and the other tab as the documents it reads itself', async () => {
    const storage = getRxStorageMemory();
    const [tabA, tabB] = [new TabChanges(), new TabChanges()];
    const a = await openTab(storage, tabA, 'ict-u');
    const b = await openTab(storage, tabB, 'ict-u');
    const posted: unknown[] = [];
    const spy = new BroadcastChannel('ict-tab-changes|ict-u');
    spy.onmessage = (e) => posted.push(e.data);

    const rows = [row('t-1', 1001), row('t-2', 1002), row('t-3', 1003)];
    const bulk = await directWrite(tabA, a.instance, rows);

    // This tab: the bulk itself, at once; RxDB's channel (the stream underneath) hears nothing of it.
    expect(a.heard).toEqual([bulk]);
    expect(a.underneath).toEqual([]);
    // The other tab: the same bulk, its documents read from the store.
    await until(() => b.heard.length === 1);
    expect(b.heard[0]).toEqual(bulk);
    // What crossed: ids, not documents.
    await until(() => posted.length === 1);
    expect(JSON.stringify(posted[0])).not.toContain('Závada');
    expect(posted[0]).toMatchObject({ ids: ['t-1', 't-2', 't-3'], collectionName: 'tickets', version: 0 });
    spy.close();
    await Promise.all([a.instance.close(), b.instance.close()]);
  });

  it('leaves out what the other tab cannot find, other databases, and closed instances', async () => {
    const storage = getRxStorageMemory();
    const [tabA, tabB, tabC] = [new TabChanges(), new TabChanges(), new TabChanges()];
    const a = await openTab(storage, tabA, 'ict-v');
    const b = await openTab(storage, tabB, 'ict-v');
    const other = await openTab(storage, tabC, 'ict-someone-else');

    // A document the write tells of but which is gone by the time the other tab reads.
    await directWrite(tabA, a.instance, [row('t-1', 1001)]);
    await until(() => b.heard.length === 1);
    const gone = row('t-2', 1002);
    await a.instance.bulkWrite([{ document: gone }], 'test');
    await a.instance.bulkWrite(
      [{ previous: gone, document: { ...gone, _deleted: true, _rev: '2-def', _meta: { lwt: 1003 } } }],
      'test'
    );
    tabA.emit(
      a.instance as unknown as TabInstance,
      {
        id: 'x',
        events: [{ documentId: 't-2', operation: 'INSERT', documentData: gone, previousDocumentData: undefined }],
        checkpoint: { id: 't-2', lwt: 1002 },
        context: DIRECT
      } as never
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(b.heard.map((h) => h.id)).toHaveLength(1);
    expect(other.heard).toEqual([]);

    // Closed: the other tab's instance hears nothing more, and its channel is let go.
    await b.instance.close();
    await directWrite(tabA, a.instance, [row('t-3', 1004)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(b.heard).toHaveLength(1);
    await Promise.all([a.instance.close(), other.instance.close()]);
  });

  it('refuses to emit for an instance it was not given', async () => {
    const tabs = new TabChanges((): TabChannel => ({ post() {}, listen: () => () => {} }));
    expect(tabs.attached({})).toBe(false);
    expect(() => tabs.emit({} as TabInstance, { id: 'x', events: [], checkpoint: null, context: 'c' })).toThrow(
      /not attached/
    );
    expect(typeof broadcastTabChannel).toBe('function');
  });
});
