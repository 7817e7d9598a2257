/**
 * The inbox's live ranges on the app's schema and storage (Dexie over IndexedDB, here
 * fake-indexeddb) and on the memory storage the other tests use: the rows of each range in the
 * index's order and at most the limit, read again after a change, once for a burst of changes,
 * and not told again when the change left the ranges as they were; while a first sync writes,
 * read again less often.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase, type RxCollection, type RxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom, filter, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collectionCreators } from '../../db/collections';
import { appDexieStorage } from '../../db/lean-store';
import { fixtureTicket } from '../../db/testing/ticket-fixture';
import { INBOX_ASSIGNEE, INBOX_REQUESTER, keepInboxFields } from '../../db/ticket-inbox';
import { CATCH_UP_REREAD_MS, PAGE_WRITE, liveRanges } from './live-ranges';

type Row = { id: string; status: string; title: string };
/** Ticket i: a status in turn; the even ones assigned to helpdesk by name. */
const ticket = (i: number) =>
  fixtureTicket(`t${String(i).padStart(3, '0')}`, {
    title: `Tiskárna ${i}`,
    status: ['new', 'assigned', 'in_progress', 'waiting', 'resolved'][i % 5],
    assignee: i % 2 === 0 ? { queue: 'central', userId: 'helpdesk' } : { queue: 'central' }
  });

/** Every value the observable gives, as it gives them; `next(n)` waits for the n-th. */
function recorder<T>(source: Observable<T>) {
  const values: T[] = [];
  const sub = source.subscribe((v) => values.push(v));
  const next = async (n: number) => {
    const until = Date.now() + 5_000;
    while (values.length < n) {
      if (Date.now() > until) throw new Error(`only ${values.length} of ${n} values came`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return values[n - 1];
  };
  return { values, next, stop: () => sub.unsubscribe() };
}

const ids = (lists: Row[][]) => lists.map((l) => l.map((d) => d.id));

/** The tickets waiting for `person`'s answer, as the inbox reads them. */
const waitingFor = (tickets: RxCollection, person: string, catchingUp?: () => boolean) =>
  liveRanges<Row>(tickets, [INBOX_REQUESTER, 'status'], [[person, 'waiting']], 500, catchingUp);

/** A page of a sync: PAGE_WRITE tickets from `from` in one write, a fifth of them waiting (i % 5 = 3). */
const syncPage = (tickets: RxCollection, from: number, requester = 'ucitel.gymkt') =>
  tickets.bulkInsert(Array.from({ length: PAGE_WRITE }, (_, k) => ({ ...ticket(from + k), requester })));

async function withTickets(storage: RxStorage<unknown, unknown>, run: (tickets: RxCollection) => Promise<void>) {
  const db: RxDatabase = await createRxDatabase({ name: `live-ranges-${Date.now()}`, storage, multiInstance: false });
  try {
    const { tickets } = await db.addCollections({ tickets: collectionCreators(() => ({}) as never).tickets });
    keepInboxFields(tickets);
    await tickets.bulkInsert(Array.from({ length: 40 }, (_, i) => ticket(i)));
    await run(tickets);
  } finally {
    await db.remove();
  }
}

const storages: [string, () => RxStorage<unknown, unknown>][] = [
  ['Dexie (the app)', () => appDexieStorage({ indexedDB: new IDBFactory(), IDBKeyRange })],
  ['memory', () => getRxStorageMemory()]
];

describe.each(storages)('live index ranges on the %s storage', (_name, storage) => {
  it('give each range in the index order, at most the limit, and read again after a change', async () => {
    await withTickets(storage(), async (tickets) => {
      const assigned = liveRanges<Row>(
        tickets,
        [INBOX_ASSIGNEE, 'status'],
        [
          ['helpdesk', 'new'],
          ['helpdesk', 'in_progress']
        ],
        3
      );
      // Helpdesk's: the even ones; new: i % 5 = 0 (0, 10, 20, 30), in progress: i % 5 = 2 (2, 12, 22, 32).
      const first = await firstValueFrom(assigned);
      expect(ids(first)).toEqual([
        ['t000', 't010', 't020'],
        ['t002', 't012', 't022']
      ]);
      expect(first[0][0]).toMatchObject({ title: 'Tiskárna 0', status: 'new' });

      const seen = recorder(assigned);
      await seen.next(1);
      // Taken up: it leaves one range and enters the other.
      const doc = await tickets.findOne('t000').exec();
      await doc!.incrementalPatch({ status: 'in_progress' });
      expect(ids(await seen.next(2))).toEqual([
        ['t010', 't020', 't030'],
        ['t000', 't002', 't012']
      ]);
      seen.stop();
    });
  });

  it('read a burst of changes once, and say nothing of a change outside the ranges', async () => {
    await withTickets(storage(), async (tickets) => {
      const waiting = waitingFor(tickets, 'ucitel.gymkt');
      const seen = recorder(waiting);
      expect((await seen.next(1))[0]).toHaveLength(8);
      // Twenty tickets of a sync batch, written one after another.
      for (let i = 40; i < 60; i++) await tickets.insert(ticket(i));
      const after = await firstValueFrom(
        waiting.pipe(filter((lists) => lists[0].length === 12)) // 43, 48, 53, 58 are waiting too
      );
      expect(after[0].map((d) => d.id)).toContain('t058');
      await new Promise((r) => setTimeout(r, 400));
      expect(seen.values.length).toBeLessThanOrEqual(3);
      const told = seen.values.length;
      // A resolved ticket changes no range: nothing new is told.
      const resolved = await tickets.findOne('t004').exec();
      await resolved!.incrementalPatch({ title: 'Jiný název' });
      await new Promise((r) => setTimeout(r, 400));
      expect(seen.values).toHaveLength(told);
      seen.stop();
    });
  });

  it("read a first sync's pages together, a person's edit at once, and the last page as the sync ends", async () => {
    await withTickets(storage(), async (tickets) => {
      let catchingUp = true;
      const waiting = waitingFor(tickets, 'ucitel.gymkt', () => catchingUp);
      const seen = recorder(waiting);
      expect((await seen.next(1))[0]).toHaveLength(8);
      const page = (from: number) => syncPage(tickets, from);
      // The person's own edit while the first sync runs is read at the usual pace.
      let at = Date.now();
      await tickets.insert(ticket(43));
      expect((await seen.next(2))[0]).toHaveLength(9);
      expect(Date.now() - at).toBeLessThan(CATCH_UP_REREAD_MS / 2);
      // Three pages 150 ms apart: read once, when the pause is over.
      at = Date.now();
      for (const from of [44, 44 + PAGE_WRITE, 44 + 2 * PAGE_WRITE]) {
        await page(from);
        await new Promise((r) => setTimeout(r, 150));
      }
      expect((await seen.next(3))[0]).toHaveLength(9 + (3 * PAGE_WRITE) / 5);
      expect(Date.now() - at).toBeGreaterThanOrEqual(CATCH_UP_REREAD_MS - 50);
      expect(seen.values).toHaveLength(3);
      // The last page lands and the first sync ends: read at once, not when the pause is over.
      at = Date.now();
      await page(44 + 3 * PAGE_WRITE);
      catchingUp = false;
      expect((await seen.next(4))[0]).toHaveLength(9 + (4 * PAGE_WRITE) / 5);
      expect(Date.now() - at).toBeLessThan(CATCH_UP_REREAD_MS / 2);
      seen.stop();
    });
  });

  it('read the first rows of a still empty range as soon as a page brings them', async () => {
    await withTickets(storage(), async (tickets) => {
      const nobody = waitingFor(tickets, 'reditel.gymkt', () => true);
      const seen = recorder(nobody);
      expect((await seen.next(1))[0]).toHaveLength(0);
      const at = Date.now();
      await syncPage(tickets, 100, 'reditel.gymkt');
      expect((await seen.next(2))[0]).toHaveLength(PAGE_WRITE / 5);
      expect(Date.now() - at).toBeLessThan(CATCH_UP_REREAD_MS / 2);
      seen.stop();
    });
  });
});
