/**
 * The ticket list's plans on a real RxDB collection (the app's schema and creators, memory
 * storage): every plan reads an index the local schema declares or is answered in its order by
 * the search index, the pages give the list a person expects, and the search index follows
 * inserts, edits and deletions.
 */
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionCreators, rxSchemaFor } from '../../db/collections';
import {
  PRIORITIES,
  TICKET_STATUSES,
  type Priority,
  type Ticket,
  type TicketComment,
  type TicketStatus
} from '../../domain/schemas';
import { newComment } from '../../domain/tickets/comments';
import { fold } from './fold';
import { indexReader } from './index-reader';
import { admits, countRanges, isDone, nextPage, startCursor, type ListPlan } from './keyset';
import {
  countMatches,
  countOrdered,
  matchesById,
  matchWalk,
  nextMatchPage,
  orderedFor,
  orderedMatchPage,
  searchViewOf,
  viewKey
} from './match-pages';
import { SearchIndex } from './search-index';
import {
  statusesOf,
  TICKET_LIST_FIELDS,
  TICKET_ORDER,
  TICKET_SORTS,
  ticketListPlan,
  type TicketListFilter
} from './ticket-lists';
import { commentText, TICKET_SEARCH_FIELDS, ticketSearch, ticketText } from './ticket-search';

const ORGS = ['gym-kt', 'zs-hor'];
const TITLES = ['Tiskárna netiskne', 'Čtečka karet', 'Wi-Fi ve sborovně', 'Projektor bliká', 'Účet zablokován'];

function ticket(i: number): Ticket {
  const at = new Date(Date.UTC(2026, 10, 1) + ((i * 7919) % 500) * 3_600_000).toISOString();
  const created = new Date(Date.UTC(2026, 9, 1) + ((i * 104729) % 700) * 3_600_000).toISOString();
  return {
    id: `t-${String(i).padStart(4, '0')}`,
    orgId: ORGS[i % 2],
    title: `${TITLES[i % TITLES.length]} ${i}`,
    description: i % 3 === 0 ? 'Papír se zasekává v podavači' : 'Nejde to',
    category: 'cat-printer',
    priority: PRIORITIES[i % 4] as Priority,
    requester: i % 5 === 0 ? 'ucitel.gymkt' : 'jiny',
    status: TICKET_STATUSES[(i * 5) % 6] as TicketStatus,
    events:
      i % 4 === 0 ? [{ id: `e${i}`, at, by: 'helpdesk', kind: 'comment', text: 'Vyměněn toner v kanceláři' }] : [],
    createdBy: 'jiny',
    createdAt: created,
    updatedBy: 'jiny',
    // Every tenth ticket shares its time with the one before: ties must page correctly too.
    updatedAt:
      i % 10 === 0 && i > 0 ? new Date(Date.UTC(2026, 10, 1) + (((i - 1) * 7919) % 500) * 3_600_000).toISOString() : at
  };
}

let db: RxDatabase;
let tickets: RxCollection<Ticket>;
let comments: RxCollection<TicketComment>;
const all = Array.from({ length: 240 }, (_, i) => ticket(i));

beforeAll(async () => {
  db = await createRxDatabase({ name: `list-${Date.now()}`, storage: getRxStorageMemory(), multiInstance: false });
  const creators = collectionCreators(() => ({}) as never, 'test');
  const created = await db.addCollections({ tickets: creators.tickets, comments: creators.comments });
  tickets = created.tickets as RxCollection<Ticket>;
  comments = created.comments as RxCollection<TicketComment>;
  await tickets.bulkInsert(all);
});
afterAll(async () => {
  await db.remove();
});

async function walk(plan: ListPlan<Ticket>, pageSize: number): Promise<Ticket[]> {
  const reader = indexReader<Ticket>(tickets, plan.index, plan.direction);
  const out: Ticket[] = [];
  let cursor = startCursor(plan);
  while (!isDone(cursor)) {
    const page = await nextPage(plan, reader, cursor, pageSize);
    out.push(...page.rows);
    if (page.rows.length < pageSize) break;
    cursor = page.cursor;
  }
  return out;
}

const filters: TicketListFilter[] = TICKET_SORTS.flatMap((sort) =>
  (['open', '', 'waiting'] as const).flatMap((status) => [
    { status, sort },
    { status, sort, orgId: 'zs-hor' }
  ])
);
/** The views read through an index of the device; the others are answered by the search index. */
const indexed = filters.filter((f) => !ticketListPlan(f).bySearchIndex);
const label = (f: TicketListFilter) => `${f.sort} ${f.status || 'all'} ${f.orgId ?? ''}`;

describe('ticket list plans', () => {
  const declared = new Set(
    (rxSchemaFor('tickets').indexes ?? []).map((i) => JSON.stringify(typeof i === 'string' ? [i] : i))
  );

  it("reads the default order (last change) through an index, the others and one organization's list from the search index", () => {
    const bySearch = filters.filter((f) => !indexed.includes(f));
    expect(new Set(bySearch.map((f) => f.sort))).toEqual(new Set(TICKET_SORTS));
    expect(indexed.length).toBeGreaterThan(0);
    expect(indexed.every((f) => f.sort === 'updated' && !f.orgId)).toBe(true);
  });

  it.each(indexed.map((f) => [label(f), f] as const))('%s reads an index of the local schema', (_, f) => {
    const plan = ticketListPlan(f);
    expect(declared.has(JSON.stringify(plan.index))).toBe(true);
    // The index search matches are walked across, when the plan names one.
    if (plan.across) expect(declared.has(JSON.stringify(plan.across.index))).toBe(true);
  });

  it.each(indexed.map((f) => [label(f), f] as const))(
    '%s: the pages are the filtered, sorted list and the count is its length',
    async (_, f) => {
      const plan = ticketListPlan<Ticket>(f);
      const statuses = statusesOf(f.status);
      const expected = all
        .filter((t) => statuses.includes(t.status) && (!f.orgId || t.orgId === f.orgId))
        .sort(TICKET_ORDER[f.sort]);
      const got = await walk(plan, 17);
      expect(got.map((t) => t.id)).toEqual(expected.map((t) => t.id));
      expect(await countRanges(plan, indexReader(tickets, plan.index, plan.direction))).toBe(expected.length);
      expect(all.filter((t) => admits(plan, t)).length).toBe(expected.length);
    }
  );

  it('pages "my tickets" (no index holds them) and counts them', async () => {
    const mine = (t: Ticket) => t.requester === 'ucitel.gymkt';
    const plan = ticketListPlan<Ticket>({ status: '', sort: 'updated' }, mine);
    const expected = all.filter(mine).sort(TICKET_ORDER.updated);
    expect((await walk(plan, 9)).map((t) => t.id)).toEqual(expected.map((t) => t.id));
    expect(await countRanges(plan, indexReader(tickets, plan.index, plan.direction))).toBe(expected.length);
  });

  it.each(indexed.map((f) => [label(f), f] as const))(
    '%s: search matches paged by key and read by id are the filtered, sorted matches',
    async (_, f) => {
      const plan = ticketListPlan<Ticket>(f);
      const statuses = statusesOf(f.status);
      // Printers and every third ticket (paper jams): about half of the tickets.
      const ids = all
        .filter((t) => t.title.startsWith('Tiskárna') || t.description.includes('podavači'))
        .map((t) => t.id);
      const only = new Set(ids);
      const expected = all
        .filter((t) => only.has(t.id) && statuses.includes(t.status) && (!f.orgId || t.orgId === f.orgId))
        .sort(TICKET_ORDER[f.sort])
        .map((t) => t.id);
      const reader = indexReader<Ticket>(tickets, plan.index, plan.direction);
      const w = matchWalk(plan, (index) => indexReader<Ticket>(tickets, index, plan.direction));
      const paged: Ticket[] = [];
      let cursor = startCursor(w.plan);
      for (let guard = 0; guard < 100; guard++) {
        const page = await nextMatchPage(w.plan, w.reader, only, cursor, 11);
        paged.push(...page.rows);
        if (page.rows.length < 11 || isDone(page.cursor)) break;
        cursor = page.cursor;
      }
      expect(paged.map((t) => t.id)).toEqual(expected);
      expect((await matchesById(plan, reader, ids)).map((t) => t.id)).toEqual(expected);
      expect(await countMatches(plan, reader, only)).toBe(expected.length);
    }
  );

  it('narrows the queue to chosen priorities on every sort order', async () => {
    for (const sort of TICKET_SORTS) {
      const plan = ticketListPlan<Ticket>({ status: 'open', sort, priorities: ['P1', 'P2'] });
      if (plan.bySearchIndex) continue; // answered in order by the search index (below)
      const got = await walk(plan, 25);
      const expected = all
        .filter((t) => statusesOf('open').includes(t.status) && ['P1', 'P2'].includes(t.priority))
        .sort(TICKET_ORDER[sort]);
      expect(
        got.map((t) => t.id),
        sort
      ).toEqual(expected.map((t) => t.id));
    }
  });
});

describe('the ticket search index', () => {
  it('folds diacritics and case', () => {
    expect(fold('Žluťoučký KŮŇ')).toBe('zlutoucky kun');
  });

  it('finds words of title, description and comments without diacritics, and follows changes', async () => {
    const index = new SearchIndex({
      fields: TICKET_SEARCH_FIELDS,
      sources: [{ name: 'tickets', collection: tickets, text: ticketText as never }]
    });
    try {
      const printers = await index.search('tiskarna');
      expect(printers.length).toBe(all.filter((t) => t.title.startsWith('Tiskárna')).length);
      expect(new Set(await index.search('podavac'))).toEqual(
        new Set(all.filter((t) => t.description.includes('podavači')).map((t) => t.id))
      );
      expect(new Set(await index.search('toner kancelari'))).toEqual(
        new Set(all.filter((t) => t.events.length > 0).map((t) => t.id))
      );
      expect(await index.search('skener')).toEqual([]);

      // An edit, a new ticket and a deletion reach the index without a rebuild.
      const doc = await tickets.findOne('t-0001').exec();
      await doc!.incrementalPatch({ title: 'Skener nesnímá', updatedAt: new Date().toISOString() });
      await tickets.insert({ ...ticket(999), id: 't-new', title: 'Skener v učebně' });
      await (await tickets.findOne('t-0002').exec())!.remove();
      await expect
        .poll(() => index.search('skener'), { timeout: 5000 })
        .toEqual(expect.arrayContaining(['t-0001', 't-new']));
      expect((await index.search('skener')).length).toBe(2);
      expect(await index.search('Čtečka karet 2')).not.toContain('t-0002');
      expect(await index.search('t-0003')).toContain('t-0003');
    } finally {
      index.close();
    }
  });

  it('finds a ticket by the words of its comments, which are documents of their own', async () => {
    expect(
      commentText({ ...newComment(all[5], { kind: 'attachment', mediaId: 'm' }, { id: 'x' }, new Date()) })
    ).toBeNull();
    const index = ticketSearch(tickets);
    try {
      expect(await index.search('zamcena skrin')).toEqual([]);
      await comments.insert(
        newComment(
          all[5],
          { kind: 'comment', text: 'Skříň je zamčená, klíč má školník.' },
          { id: 'helpdesk' },
          new Date()
        )
      );
      await comments.insert(
        newComment(all[5], { kind: 'comment', text: 'Skříň odemčena.' }, { id: 'helpdesk' }, new Date())
      );
      await expect.poll(() => index.search('zamcena skrin'), { timeout: 5000 }).toEqual([all[5].id]);
    } finally {
      index.close();
    }
  });

  describe('answering in the list view', () => {
    let index: SearchIndex;
    beforeAll(() => {
      index = new SearchIndex({
        fields: TICKET_SEARCH_FIELDS,
        values: [...TICKET_LIST_FIELDS],
        sources: [
          { name: 'tickets', collection: tickets, text: ticketText as never },
          { name: 'comments', collection: comments, text: commentText as never }
        ]
      });
    });
    afterAll(() => index.close());
    const stored = async () => (await tickets.find().exec()).map((d) => d.toJSON() as Ticket);

    /** The list's rows for the search as the page reads them: the answer, page by page, by id. */
    async function shown(plan: ListPlan<Ticket>, q: string, pageSize: number) {
      const view = searchViewOf(plan)!;
      const ids = await index.search(q, view);
      expect(orderedFor(plan, { ids, view: viewKey(view) })).toBe(true);
      const reader = indexReader<Ticket>(tickets, plan.index, plan.direction);
      const rows: Ticket[] = [];
      for (let at = 0; at < ids.length;) {
        const page = await orderedMatchPage(plan, reader, ids, at, pageSize);
        rows.push(...page.rows);
        at = page.next;
      }
      return { ids, rows, count: await countOrdered(plan, reader, ids) };
    }

    it.each(
      [...filters, { status: 'open', sort: 'priority', priorities: ['P1', 'P3'] } as TicketListFilter].map(
        (f) => [`${f.sort} ${f.status || 'all'} ${f.orgId ?? ''} ${f.priorities?.join() ?? ''}`, f] as const
      )
    )('%s: the ordered answer is the matching rows filtered and sorted, paged and counted', async (_, f) => {
      const plan = ticketListPlan<Ticket>(f);
      for (const q of ['tiskarna', 'toner', 'wi']) {
        const every = new Set(await index.search(q));
        const expected = (await stored()).filter((t) => every.has(t.id) && admits(plan, t)).sort(TICKET_ORDER[f.sort]);
        const got = await shown(plan, q, 7);
        expect(
          got.rows.map((t) => t.id),
          q
        ).toEqual(expected.map((t) => t.id));
        expect(got.count).toBe(expected.length);
        // The organization and priorities of the other sorts are checked on the rows (`where`).
        if (!plan.where) expect(got.ids).toEqual(expected.map((t) => t.id));
      }
    });

    it.each(
      [
        ...filters.filter((f) => !indexed.includes(f)),
        { status: 'open', sort: 'title', priorities: ['P1', 'P2'] } as TicketListFilter
      ].map((f) => [`${label(f)} ${f.priorities?.join() ?? ''}`, f] as const)
    )(
      '%s, no text: every row of the view in its order, paged and counted, as no index of the device holds it',
      async (_, f) => {
        const plan = ticketListPlan<Ticket>(f);
        const expected = (await stored()).filter((t) => admits(plan, t)).sort(TICKET_ORDER[f.sort]);
        expect(expected.length).toBeGreaterThan(10);
        const got = await shown(plan, '', 7);
        expect(got.rows.map((t) => t.id)).toEqual(expected.map((t) => t.id));
        expect(got.count).toBe(expected.length);
        if (!plan.where) expect(got.ids).toEqual(expected.map((t) => t.id));
      }
    );

    it('answers no text without a view with nothing, as before', async () => {
      expect(await index.search('')).toEqual([]);
      expect(await index.search('  ')).toEqual([]);
    });

    it('counts through the rows when the view has a filter no field holds ("mine")', async () => {
      const plan = ticketListPlan<Ticket>({ status: '', sort: 'updated' }, (t) => t.requester === 'ucitel.gymkt');
      const every = new Set(await index.search('toner'));
      const expected = (await stored()).filter((t) => every.has(t.id) && admits(plan, t)).sort(TICKET_ORDER.updated);
      const got = await shown(plan, 'toner', 5);
      expect(got.rows.map((t) => t.id)).toEqual(expected.map((t) => t.id));
      expect(got.count).toBe(expected.length);
      expect(got.ids.length).toBeGreaterThan(expected.length);
    });

    it('follows edits while a search is shown: it says so, and the answer moves the row or drops it', async () => {
      const plan = ticketListPlan<Ticket>({ status: 'open', sort: 'updated' });
      const view = searchViewOf(plan)!;
      const before = await index.search('tiskarna', view);
      const last = before[before.length - 1];
      let told = 0;
      const stop = index.onChange(() => told++);
      try {
        await (await tickets.findOne(last).exec())!.incrementalPatch({ updatedAt: '2099-01-01T00:00:00.000Z' });
        await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
        const moved = await index.search('tiskarna', view);
        expect(moved[0]).toBe(last);
        expect(moved.length).toBe(before.length);
        // A row read after the edit but before the index followed it is skipped, not shown out of its view.
        const reader = indexReader<Ticket>(tickets, plan.index, plan.direction);
        await (await tickets.findOne(last).exec())!.incrementalPatch({ status: 'closed' });
        expect((await orderedMatchPage(plan, reader, moved, 0, 3)).rows.map((t) => t.id)).toEqual(moved.slice(1, 4));
        await expect
          .poll(async () => (await index.search('tiskarna', view)).includes(last), { timeout: 5000 })
          .toBe(false);
        // A new ticket that matches comes in at its place.
        await tickets.insert({
          ...ticket(998),
          id: 't-newer',
          status: 'new',
          title: 'Tiskárna v učebně',
          updatedAt: '2099-02-01T00:00:00.000Z'
        });
        await expect.poll(async () => (await index.search('tiskarna', view))[0], { timeout: 5000 }).toBe('t-newer');
      } finally {
        stop();
      }
    });
  });
});
