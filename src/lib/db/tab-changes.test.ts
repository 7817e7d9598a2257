/**
 * Tabs over one store: the direct writes' changes reach this tab's listeners whole and the
 * other tabs' as ids, which each reads from its own connection; every other write reaches the
 * other tabs whole, in the order it was made. Each tab's instance here is a connection to one
 * shared map (the store), telling only of its own writes, as an IndexedDB connection of RxDB's
 * Dexie storage does; Node's `BroadcastChannel` carries messages between two channel objects
 * of one name, as between tabs.
 */
import { randomToken, type RxDocumentData } from 'rxdb';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { EventBulk } from './dexie-internals';
import { TabChanges, type TabChannel, type TabInstance, type TabMessage } from './tab-changes';

type Row = RxDocumentData<{ id: string; title: string }>;
const DIRECT = 'replication-downstream-x';

const row = (id: string, lwt: number): Row => ({
  id,
  title: `Závada ${id}`,
  _deleted: false,
  _meta: { lwt },
  _rev: '1-abc',
  _attachments: {}
});

type Store = Map<string, Row>;

/** One tab's connection to the store: it tells of its own writes only. */
function connection(store: Store, databaseName: string): TabInstance & { write(rows: Row[], context: string): void } {
  const changes = new Subject<unknown>();
  return {
    databaseName,
    collectionName: 'tickets',
    primaryPath: 'id',
    schema: { version: 0 },
    changeStream: () => changes.asObservable(),
    write(rows, context) {
      const events = rows.map((d) => ({
        documentId: d.id,
        operation: store.has(d.id) ? 'UPDATE' : 'INSERT',
        documentData: d,
        previousDocumentData: store.get(d.id)
      }));
      for (const d of rows) store.set(d.id, d);
      const last = rows[rows.length - 1];
      changes.next({ id: randomToken(10), events, checkpoint: { id: last.id, lwt: last._meta.lwt }, context });
    },
    async findDocumentsById(ids, withDeleted) {
      return ids.map((id) => store.get(id)).filter((d): d is Row => !!d && (withDeleted || !d._deleted));
    },
    close: async () => changes.complete(),
    remove: async () => changes.complete()
  };
}

function openTab(store: Store, tabs: TabChanges, databaseName: string) {
  const instance = connection(store, databaseName);
  const heard: EventBulk[] = [];
  const underneath: EventBulk[] = [];
  const all: { context: string; ops: string[] }[] = [];
  const direct = (b: unknown) => (b as EventBulk).context === DIRECT;
  // The instance's own writes, as the stream was before `attach`.
  instance.changeStream().subscribe((b) => direct(b) && underneath.push(b as EventBulk));
  tabs.attach(instance);
  instance.changeStream().subscribe((b) => {
    const bulk = b as EventBulk;
    if (direct(b)) heard.push(bulk);
    all.push({ context: bulk.context, ops: bulk.events.map((e) => `${e.operation}:${e.documentId}`) });
  });
  return { instance, heard, underneath, all };
}

/** Stores rows as the direct write does (no event of the store's own), then tells of them as it does. */
function directWrite(tabs: TabChanges, instance: TabInstance, store: Store, rows: Row[]): EventBulk {
  for (const d of rows) store.set(d.id, d);
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
  tabs.emit(instance, bulk);
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
    const store: Store = new Map();
    const [tabA, tabB] = [new TabChanges(), new TabChanges()];
    const a = openTab(store, tabA, 'ict-u');
    const b = openTab(store, tabB, 'ict-u');
    const posted: unknown[] = [];
    const spy = new BroadcastChannel('ict-tab-changes|ict-u');
    spy.onmessage = (e) => posted.push(e.data);

    const rows = [row('t-1', 1001), row('t-2', 1002), row('t-3', 1003)];
    const bulk = directWrite(tabA, a.instance, store, rows);

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
    const store: Store = new Map();
    const [tabA, tabB, tabC] = [new TabChanges(), new TabChanges(), new TabChanges()];
    const a = openTab(store, tabA, 'ict-v');
    const b = openTab(store, tabB, 'ict-v');
    const other = openTab(store, tabC, 'ict-someone-else');

    directWrite(tabA, a.instance, store, [row('t-1', 1001)]);
    await until(() => b.heard.length === 1);
    // A document the write tells of but which is deleted by the time the other tab reads.
    const gone = row('t-2', 1002);
    store.set('t-2', { ...gone, _deleted: true });
    tabA.emit(a.instance, {
      id: 'x',
      events: [{ documentId: 't-2', operation: 'INSERT', documentData: gone, previousDocumentData: undefined }],
      checkpoint: { id: 't-2', lwt: 1002 },
      context: DIRECT
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(b.heard).toHaveLength(1);
    expect(other.all).toEqual([]);

    // Closed: the other tab's instance hears nothing more.
    await b.instance.close();
    directWrite(tabA, a.instance, store, [row('t-3', 1004)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(b.heard).toHaveLength(1);
    expect(tabB.attached(b.instance)).toBe(false);
    await Promise.all([a.instance.close(), other.instance.close()]);
  });

  it('refuses to emit for an instance it was not given', () => {
    const tabs = new TabChanges((): TabChannel => ({ post() {}, listen() {}, close() {} }));
    expect(tabs.attached({})).toBe(false);
    expect(() => tabs.emit({} as TabInstance, { id: 'x', events: [], checkpoint: null, context: 'c' })).toThrow(
      /not attached/
    );
  });

  it("hears another tab's writes of a store in the order it made them, a slow read of ids included", async () => {
    const store: Store = new Map();
    const [tabA, tabB] = [new TabChanges(), new TabChanges()];
    const a = openTab(store, tabA, 'ict-order');
    const b = openTab(store, tabB, 'ict-order');
    // The other tab's read of the ids is slow (it is busy): the later change must wait for it.
    const find = b.instance.findDocumentsById.bind(b.instance);
    b.instance.findDocumentsById = async (ids, withDeleted) => {
      await new Promise((r) => setTimeout(r, 60));
      return find(ids, withDeleted);
    };
    const first = row('t-1', 1001);
    directWrite(tabA, a.instance, store, [first]);
    a.instance.write([{ ...first, title: 'Změněno', _rev: '2-def', _meta: { lwt: 1002 } }], 'edit');

    await until(() => b.all.length === 2);
    expect(b.all).toEqual([
      { context: DIRECT, ops: ['INSERT:t-1'] },
      { context: 'edit', ops: ['UPDATE:t-1'] }
    ]);
    // What the later write told crossed whole (RxDB's own writes are not read back).
    expect(b.all[1]).toEqual({ context: 'edit', ops: ['UPDATE:t-1'] });
    await Promise.all([a.instance.close(), b.instance.close()]);
  });

  it("tells this tab's other instances of the store whole, and lets the channel go with the last instance", async () => {
    const store: Store = new Map();
    const channels: { name: string; closed: boolean; posted: TabMessage[] }[] = [];
    const tabs = new TabChanges((name) => {
      const c = { name, closed: false, posted: [] as TabMessage[] };
      channels.push(c);
      return { post: (m) => c.posted.push(m), listen() {}, close: () => void (c.closed = true) };
    });
    const one = openTab(store, tabs, 'ict-same');
    const two = openTab(store, tabs, 'ict-same');
    const bulk = directWrite(tabs, one.instance, store, [row('t-1', 1001)]);
    expect(two.heard).toEqual([bulk]);
    one.instance.write([row('t-2', 1002)], 'edit');
    expect(two.all.map((x) => x.context)).toEqual([DIRECT, 'edit']);
    expect(channels).toHaveLength(1);
    expect(channels[0].posted.map((m) => ('ids' in m ? m.ids : m.bulk.context))).toEqual([['t-1'], 'edit']);
    await one.instance.close();
    expect(channels[0].closed).toBe(false);
    await two.instance.close();
    expect(channels[0].closed).toBe(true);
  });
});
