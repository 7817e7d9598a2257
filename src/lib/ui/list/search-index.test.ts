/**
 * The search index kept between starts: saved with its checkpoints, loaded on the next start
 * with only the changes since then read, built again when what it was built from changed, and
 * the same host answering across a message channel as it does in the search worker.
 */
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionCreators } from '../../db/collections';
import { PRIORITIES, type Priority, type Ticket } from '../../domain/schemas';
import {
  localSearchHost,
  packIds,
  serveSearchHost,
  unpackIds,
  workerSearchHost,
  type HostReply,
  type HostRequest
} from './search-host';
import { SearchIndex } from './search-index';
import type { SavedIndex, SearchStore } from './search-store';
import { TICKET_LIST_FIELDS, TICKET_ORDER_FIELDS, ticketListPlan } from './ticket-lists';
import { searchViewOf } from './match-pages';
import { TICKET_SEARCH_FIELDS, ticketText } from './ticket-search';

const TITLES = ['Tiskárna netiskne', 'Čtečka karet', 'Wi-Fi ve sborovně', 'Projektor bliká'];

function ticket(i: number): Ticket {
  const at = new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString();
  return {
    id: `t-${String(i).padStart(4, '0')}`,
    orgId: 'gym-kt',
    title: `${TITLES[i % TITLES.length]} ${i}`,
    description: i % 3 === 0 ? 'Papír se zasekává v podavači' : 'Nejde to',
    category: 'cat-printer',
    priority: PRIORITIES[i % 4] as Priority,
    requester: 'jiny',
    status: 'new',
    events: [],
    createdBy: 'jiny',
    createdAt: at,
    updatedBy: 'jiny',
    updatedAt: at
  };
}

/** What IndexedDB would keep: copies, as structured clone makes them. */
function memoryStore(): SearchStore & { saved: Map<string, SavedIndex>; saves: number } {
  const saved = new Map<string, SavedIndex>();
  const store = {
    saved,
    saves: 0,
    load: async (name: string) => (saved.has(name) ? structuredClone(saved.get(name)!) : null),
    save: async (name: string, s: SavedIndex) => {
      store.saves += 1;
      saved.set(name, structuredClone(s));
    }
  };
  return store;
}

let db: RxDatabase;
let tickets: RxCollection<Ticket>;
const all = Array.from({ length: 120 }, (_, i) => ticket(i));

beforeAll(async () => {
  db = await createRxDatabase({ name: `search-${Date.now()}`, storage: getRxStorageMemory(), multiInstance: false });
  const creators = collectionCreators(() => ({}) as never, 'test');
  tickets = (await db.addCollections({ tickets: creators.tickets })).tickets as RxCollection<Ticket>;
  await tickets.bulkInsert(all);
});
afterAll(async () => {
  await db.remove();
});

const indexWith = (store: SearchStore, fields = TICKET_SEARCH_FIELDS) =>
  new SearchIndex({
    fields,
    sources: [{ name: 'tickets', collection: tickets, text: ticketText as never }],
    host: () => localSearchHost(() => store)
  });

describe('the saved search index', () => {
  it('is loaded on the next start, reading only the changes since it was saved', async () => {
    const store = memoryStore();
    const first = indexWith(store);
    const printers = all.filter((t) => t.title.startsWith('Tiskárna')).map((t) => t.id);
    try {
      expect(new Set(await first.search('tiskarna'))).toEqual(new Set(printers));
      expect(first.stats).toMatchObject({ restored: false, caughtUp: all.length, expected: all.length });
      await first.flush();
      expect(store.saves).toBe(1);
      expect(store.saved.get('tickets')?.docs).toBe(all.length);
    } finally {
      first.close();
    }

    // While the app is closed: a new ticket, an edit and a deletion arrive.
    await tickets.insert({ ...ticket(500), title: 'Skener v učebně' });
    const edited = await tickets.findOne('t-0004').exec();
    await edited!.incrementalPatch({ title: 'Skener nesnímá', updatedAt: new Date().toISOString() });
    await (await tickets.findOne('t-0008').exec())!.remove();

    const next = indexWith(store);
    try {
      expect(new Set(await next.search('skener'))).toEqual(new Set(['t-0500', 't-0004']));
      expect(next.stats).toMatchObject({ restored: true, caughtUp: 3, expected: null });
      expect(await next.search('tiskarna')).not.toContain('t-0004');
      expect(await next.search('tiskarna')).not.toContain('t-0008');
      expect(await next.count()).toBe(all.length);
      await next.flush();
      expect(store.saves).toBe(2);
    } finally {
      next.close();
    }

    // Nothing changed since: loaded, nothing read, nothing saved again.
    const third = indexWith(store);
    try {
      expect(await third.search('skener')).toHaveLength(2);
      expect(third.stats).toMatchObject({ restored: true, caughtUp: 0 });
      await third.flush();
      expect(store.saves).toBe(2);
    } finally {
      third.close();
    }
  });

  it('is built again when its fields, its database or its format differ, or it cannot be read', async () => {
    const store = memoryStore();
    const first = indexWith(store);
    await first.flush();
    first.close();
    const good = store.saved.get('tickets')!;
    const cases: [string, SavedIndex][] = [
      ['other database', { ...good, meta: { ...good.meta, storageToken: 'another' } }],
      ['other format', { ...good, meta: { ...good.meta, format: good.meta.format + 1 } }],
      ['unreadable', { ...good, engine: '{"not": "an index"' }]
    ];
    const withPaper = (await tickets.find().exec()).filter((d) => d.description?.includes('podavači')).length;
    for (const [what, saved] of cases) {
      store.saved.set('tickets', saved);
      const index = indexWith(store);
      try {
        expect((await index.search('podavac')).length, what).toBe(withPaper);
        expect(index.stats.restored, what).toBe(false);
      } finally {
        index.close();
      }
    }
    store.saved.set('tickets', good);
    const fewer = indexWith(store, ['title']);
    try {
      expect(await fewer.search('podavac')).toEqual([]);
      expect(fewer.stats.restored).toBe(false);
    } finally {
      fewer.close();
    }
  });

  it('answers the same through the worker protocol (a message channel)', async () => {
    const channel = new MessageChannel();
    const store = memoryStore();
    serveSearchHost(
      localSearchHost(() => store),
      channel.port2 as unknown as Parameters<typeof serveSearchHost>[1]
    );
    const fakeWorker = {
      postMessage: (m: HostRequest) => channel.port1.postMessage(m),
      set onmessage(f: (e: MessageEvent<HostReply>) => void) {
        channel.port1.onmessage = f;
      },
      onerror: null,
      terminate: () => channel.port1.close()
    } as unknown as Worker;
    const options = {
      fields: TICKET_SEARCH_FIELDS,
      values: [...TICKET_LIST_FIELDS],
      orders: Object.values(TICKET_ORDER_FIELDS).map((keys) => [...keys]),
      sources: [{ name: 'tickets', collection: tickets, text: ticketText as never }]
    };
    const index = new SearchIndex({ ...options, host: () => workerSearchHost(() => fakeWorker)! });
    const here = new SearchIndex({ ...options, host: () => localSearchHost(() => null) });
    try {
      expect(await index.search('skener')).toHaveLength(2);
      // Answers in a list's order come across the same, the ids packed into one string.
      for (const sort of ['updated', 'title'] as const) {
        const view = searchViewOf(ticketListPlan({ status: '', sort }))!;
        const sent = await index.search('tiskarna', view);
        expect(sent.length).toBeGreaterThan(1);
        expect(sent).toEqual(await here.search('tiskarna', view));
      }
      expect(
        await index.search('nothing-like-it', searchViewOf(ticketListPlan({ status: '', sort: 'updated' }))!)
      ).toEqual([]);
      await index.flush();
      expect(store.saves).toBe(1);
      expect(index.stats.saveMs).toBeGreaterThanOrEqual(0);
    } finally {
      index.close();
      here.close();
      channel.port2.close();
    }
  });

  it('packs the ids it sends into one string, unless an id holds the separator', () => {
    for (const ids of [[], ['a'], ['t-1', 't-2', ''], ['x\ny', 'z']]) expect(unpackIds(packIds(ids))).toEqual(ids);
    expect(packIds(['t-1', 't-2'])).toEqual({ joined: 't-1\nt-2', n: 2 });
    expect(Array.isArray(packIds(['x\ny']))).toBe(true);
  });
});
