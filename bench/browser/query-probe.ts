/**
 * The ticket list's queries, run with the app's own modules (collection definitions, database
 * name, the list plans, the keyset pager, the search index) on a fresh RxDB instance over the
 * app's IndexedDB, the way a second tab of the app would open it. Bundled by the benchmark
 * and injected into a page of the app's origin; nothing of it ships with the app.
 */
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBLeaderElectionPlugin } from 'rxdb/plugins/leader-election';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBUpdatePlugin } from 'rxdb/plugins/update';
import { collectionCreators } from '../../src/lib/db/collections';
import { appDexieStorage } from '../../src/lib/db/lean-store';
import { rxDatabaseName } from '../../src/lib/db/local-names';
import { findTickets, matchesText } from '../../src/lib/db/query-tickets';
import type { SyncIssues } from '../../src/lib/db/sync-issues';
import type { Ticket } from '../../src/lib/domain/schemas';
import { indexReader } from '../../src/lib/ui/list/index-reader';
import { countRanges, nextPage, startCursor } from '../../src/lib/ui/list/keyset';
import {
  countMatches,
  FEW_MATCHES,
  firstMatchPage,
  matchesById,
  matchWalk,
  orderedMatchPage,
  searchViewOf
} from '../../src/lib/ui/list/match-pages';
import { workerSearchHost } from '../../src/lib/ui/list/search-host';
import { SearchIndex } from '../../src/lib/ui/list/search-index';
import { deleteSearchStore } from '../../src/lib/ui/list/search-store';
import { ticketListPlan } from '../../src/lib/ui/list/ticket-lists';
import { TICKET_LIST_FIELDS, TICKET_ORDER_FIELDS } from '../../src/lib/ui/list/ticket-lists';
import { commentText, TICKET_SEARCH_FIELDS, ticketText } from '../../src/lib/ui/list/ticket-search';
import type { SearchResult } from '../scenarios/local-query';

addRxPlugin(RxDBLeaderElectionPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBUpdatePlugin);

/** The list's page (`PAGE_SIZE` of paged-list.svelte.ts, a runes module the probe does not load). */
const PAGE_SIZE = 50;

/** Rounds over the queries: each query's answer timed this many times (the spread in one run). */
const SEARCH_ROUNDS = 3;

/** The list's default view: open tickets, most recently changed first. */
const OPEN = ['new', 'assigned', 'in_progress', 'waiting'] as const;

type Mode = 'open' | 'all' | 'page' | 'count';

/**
 * `page`: the list's first page (50 rows) of its default view through the index, as the list
 * page reads it now. `count`: that view's count through the index. `open`: `findTickets` with
 * the default view (sorted in memory). `all`: every ticket, unsorted, which is what the list
 * page read before filtering in memory.
 */
async function listQuery(userId: string, mode: Mode = 'open'): Promise<{ ms: number; count: number }> {
  const db = await openDb(userId);
  try {
    const tickets = db.collections.tickets;
    const start = performance.now();
    let count: number;
    if (mode === 'page' || mode === 'count') {
      const plan = ticketListPlan<Ticket>({ status: 'open', sort: 'updated' });
      const reader = indexReader<Ticket>(tickets, plan.index, plan.direction);
      count =
        mode === 'page'
          ? (await nextPage(plan, reader, startCursor(plan), 50)).rows.length
          : await countRanges(plan, reader);
    } else if (mode === 'all') {
      count = (await tickets.find().exec()).length;
    } else {
      count = (await findTickets(tickets, { status: [...OPEN], sort: 'updated-desc' })).length;
    }
    return { ms: performance.now() - start, count };
  } finally {
    await db.close();
  }
}

/**
 * Full-text search as the app runs it (the ticket index: tickets and their comments, in the
 * search worker, saved on the device): built from every document once (timed) and saved, then
 * opened again as a later start opens it (timed), then each query answered as the list page
 * answers it (timed: the matches and the first rows shown), against the peer the list used
 * before: every ticket read and matched as text.
 */
async function searchQueries(userId: string, queries: string[], workerSource: string): Promise<SearchResult> {
  const db = await openDb(userId);
  const workerUrl = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const open = () => {
    const tickets = db.collections.tickets;
    return new SearchIndex({
      fields: TICKET_SEARCH_FIELDS,
      values: [...TICKET_LIST_FIELDS],
      orders: Object.values(TICKET_ORDER_FIELDS).map((keys) => [...keys]),
      sources: [
        { name: 'tickets', collection: tickets, text: ticketText as never },
        { name: 'comments', collection: db.collections.comments, text: commentText as never }
      ],
      host: () => workerSearchHost(() => new Worker(workerUrl))!
    });
  };
  try {
    // As on a device that never searched: no saved index.
    await deleteSearchStore(db.name);
    const first = open();
    let t = performance.now();
    await first.warm();
    const buildMs = performance.now() - t;
    await first.flush();
    const saveMs = first.stats.saveMs ?? NaN;
    first.close();

    const index = open();
    t = performance.now();
    await index.warm();
    const reloadMs = performance.now() - t;
    const tickets = db.collections.tickets;
    const searchMs: number[] = [];
    const lookupMs: number[] = [];
    const hits: number[] = [];
    const shown: number[] = [];
    const counted: number[] = [];
    const countMs: number[] = [];
    const byIdMs: number[] = [];
    const scanMs: number[] = [];
    // As the list page answers a search in its default view (open tickets, newest change
    // first): the index answers the matches that view admits, in its order
    // (`searchMatches` with the page's plan), and the page reads its first rows by id
    // (`orderedMatchPage`); their number is the count. After all rounds, the way before as
    // peers (not between the timed answers, whose reads they would slow): every match, then
    // the view's first rows walked through its index by key (`firstMatchPage`) and counted the
    // same way, and every match read by id and sorted.
    const plan = ticketListPlan<Ticket>({ status: 'open', sort: 'updated' });
    const view = searchViewOf(plan)!;
    const reader = indexReader<Ticket>(tickets, plan.index, plan.direction);
    const walk = matchWalk(plan, (index) => indexReader<Ticket>(tickets, index, plan.direction));
    const walkMs: number[] = [];
    for (let round = 0; round < SEARCH_ROUNDS; round++)
      for (const q of queries) {
        t = performance.now();
        const ids = await index.search(q, view);
        lookupMs.push(performance.now() - t);
        const page = await orderedMatchPage(plan, reader, ids, 0, PAGE_SIZE);
        searchMs.push(performance.now() - t);
        if (round > 0) continue;
        shown.push(page.rows.length);
        counted.push(ids.length);
      }
    // The list in the orders no index of the device holds (`bySearchIndex`): every open ticket
    // in the view's order from the index, with no text, and the first rows read by id.
    const orderMs: number[] = [];
    const orderSorts = ['created', 'priority', 'title'] as const;
    for (let round = 0; round < SEARCH_ROUNDS; round++)
      for (const sort of orderSorts) {
        const byOrder = ticketListPlan<Ticket>({ status: 'open', sort });
        t = performance.now();
        const ids = await index.search('', searchViewOf(byOrder)!);
        const page = await orderedMatchPage(byOrder, reader, ids, 0, PAGE_SIZE);
        orderMs.push(performance.now() - t);
        if (page.rows.length !== Math.min(PAGE_SIZE, ids.length)) throw new Error(`${sort}: ${page.rows.length} rows`);
      }
    for (const [i, q] of queries.entries()) {
      t = performance.now();
      const all = await index.search(q);
      const only = all.length > FEW_MATCHES ? new Set(all) : null;
      await firstMatchPage(plan, reader, walk, all, only, PAGE_SIZE);
      walkMs.push(performance.now() - t);
      hits.push(all.length);
      t = performance.now();
      const walked = only ? await countMatches(plan, reader, only) : (await matchesById(plan, reader, all)).length;
      countMs.push(performance.now() - t);
      if (walked !== counted[i]) throw new Error(`'${q}': ${counted[i]} open matches in order, ${walked} walked`);
      t = performance.now();
      await matchesById(plan, reader, all);
      byIdMs.push(performance.now() - t);
    }
    for (const q of queries.slice(0, 2)) {
      t = performance.now();
      const docs = await tickets.find().exec();
      docs.filter((d) => matchesText(d.toJSON() as Ticket, q));
      scanMs.push(performance.now() - t);
    }
    const indexed = await index.count();
    const { restored, loadMs } = index.stats;
    index.close();
    return {
      buildMs,
      saveMs,
      reloadMs,
      loadMs,
      restored,
      indexed,
      searchMs,
      lookupMs,
      orderMs,
      walkMs,
      hits,
      shown,
      counted,
      countMs,
      byIdMs,
      scanMs
    };
  } finally {
    URL.revokeObjectURL(workerUrl);
    await db.close();
  }
}

async function openDb(userId: string) {
  const db = await createRxDatabase({
    name: rxDatabaseName(userId),
    storage: appDexieStorage(),
    multiInstance: true,
    eventReduce: true,
    localDocuments: true,
    closeDuplicates: true
  });
  await db.addCollections(collectionCreators(() => null as unknown as SyncIssues));
  return db;
}

Object.assign(globalThis, { benchListQuery: listQuery, benchSearch: searchQueries });
