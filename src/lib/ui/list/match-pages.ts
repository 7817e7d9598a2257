/**
 * Pages of a list narrowed to the rows a search found, in the list's own order.
 *
 * The search answers with a set of ids (every match, `search-engine.ts`); the list shows them
 * in its order (newest first, by priority, …), which only the list's index holds. So each range
 * of the plan is walked through its index as the list walks it, but by primary keys only
 * (`readKeys`: no document is read or decoded), the keys not in the set skipped, and only the
 * matching rows read by id: a page costs the keys scanned up to its last match plus its own
 * rows, whether the search matched half the tickets or one in twenty. A range resumes after its
 * last row on the page (its index key, as `keyset.ts` pages), so scrolling reads on the same way.
 *
 * With few matches it is cheaper to read them all by id and sort them (`FEW_MATCHES`); the
 * count of many walks every range's keys once, after the first rows are shown.
 */
import {
  admits,
  groupsOf,
  isDone,
  startCursor,
  type Cursor,
  type IndexKey,
  type ListPlan,
  type ListRange,
  type Page,
  type RangeReader
} from './keyset';
import type { SearchView } from './search-engine';

export interface KeyedReader<T> extends RangeReader<T> {
  /** Primary keys of up to `limit` rows of `range` after `after`, in the range's order. */
  readKeys(range: ListRange, after: IndexKey | null, limit: number): Promise<string[]>;
  /** Live rows by primary key, in the order asked (missing ones left out). */
  byIds(ids: readonly string[]): Promise<T[]>;
}

/** Up to this many matches are read by id and sorted; more are walked in the list's order. */
export const FEW_MATCHES = 1000;

/** Keys scanned per read, at most. */
const MAX_SCAN = 16_000;

/** Keys scanned and matches among them so far in one page: how many keys the next read takes. */
interface Rate {
  scanned: number;
  hits: number;
}

/**
 * Keys to scan for `need` more matches: four per match before anything is known, then as many as
 * the share of matches seen so far says (with a margin), so a sparse search takes two reads,
 * not five; each read is a round trip to IndexedDB.
 */
function scanSize(rate: Rate, need: number): number {
  const guess = rate.hits ? Math.ceil(((need * rate.scanned) / rate.hits) * 1.5) : need * 4;
  return Math.min(Math.max(guess, MIN_SCAN), MAX_SCAN);
}

/** A read of fewer keys costs about the same round trip. */
const MIN_SCAN = 64;

/** The matches the plan admits, in its order: read by id (for few matches). */
export async function matchesById<T>(plan: ListPlan<T>, reader: KeyedReader<T>, ids: Iterable<string>): Promise<T[]> {
  return (await reader.byIds([...ids])).filter((r) => admits(plan, r)).sort(plan.compare);
}

/** Where many matches are walked: the plan's `across` index when it has one, else its own ranges. */
export interface MatchWalk<T> {
  plan: ListPlan<T>;
  reader: KeyedReader<T>;
}

export function matchWalk<T>(plan: ListPlan<T>, readerFor: (index: readonly string[]) => KeyedReader<T>): MatchWalk<T> {
  if (!plan.across) return { plan, reader: readerFor(plan.index) };
  const walk: ListPlan<T> = {
    index: plan.across.index,
    ranges: [{ prefix: plan.across.prefix }],
    direction: plan.direction,
    compare: plan.compare,
    where: (row) => admits(plan, row)
  };
  return { plan: walk, reader: readerFor(walk.index) };
}

/**
 * What a list shows first for a search: few matches all at once (`done`), many their first
 * `limit` in the plan's order with the cursor of `walk` to read on from (`only` is
 * `new Set(matches)`).
 */
export async function firstMatchPage<T>(
  plan: ListPlan<T>,
  reader: KeyedReader<T>,
  walk: MatchWalk<T>,
  matches: readonly string[],
  only: ReadonlySet<string> | null,
  limit: number
): Promise<Page<T> & { done: boolean }> {
  if (matches.length <= FEW_MATCHES || !only) {
    const rows = await matchesById(plan, reader, matches);
    return { rows, cursor: walk.plan.ranges.map(() => 'end' as const), done: true };
  }
  const page = await nextMatchPage(walk.plan, walk.reader, only, startCursor(walk.plan), limit);
  return { ...page, done: page.rows.length < limit || isDone(page.cursor) };
}

/** The next `limit` rows after `cursor` whose ids are in `only`, in the plan's order. */
export async function nextMatchPage<T>(
  plan: ListPlan<T>,
  reader: KeyedReader<T>,
  only: ReadonlySet<string>,
  cursor: Cursor,
  limit: number
): Promise<Page<T>> {
  const out: T[] = [];
  const state = [...cursor];
  // Per range: one status may hold many of the matches, another few.
  const rates: Rate[] = plan.ranges.map(() => ({ scanned: 0, hits: 0 }));
  for (const group of groupsOf(plan)) {
    while (out.length < limit && group.some((i) => state[i] !== 'end')) {
      for (const row of await mergedMatches(plan, reader, only, state, group, limit - out.length, rates))
        if (!plan.where || plan.where(row)) out.push(row);
    }
    if (out.length >= limit) break;
  }
  return { rows: out, cursor: state };
}

/** Every match the plan admits, in its order (an export, the queue's open work). */
export async function allMatches<T>(
  plan: ListPlan<T>,
  reader: KeyedReader<T>,
  walk: MatchWalk<T>,
  ids: readonly string[]
): Promise<T[]> {
  if (ids.length <= FEW_MATCHES) return matchesById(plan, reader, ids);
  const only = new Set(ids);
  const out: T[] = [];
  let cursor = startCursor(walk.plan);
  for (;;) {
    const page = await nextMatchPage(walk.plan, walk.reader, only, cursor, PAGE_OF_ALL);
    out.push(...page.rows);
    if (page.rows.length < PAGE_OF_ALL || isDone(page.cursor)) return out;
    cursor = page.cursor;
  }
}

const PAGE_OF_ALL = 1000;

/** How many matches the plan admits: every range's keys once; rows read only for a `where`. */
export async function countMatches<T>(plan: ListPlan<T>, reader: KeyedReader<T>, only: ReadonlySet<string>) {
  let n = 0;
  for (const range of plan.ranges) {
    const hits = (await reader.readKeys(range, null, Infinity)).filter((k) => only.has(k));
    if (!plan.where) {
      n += hits.length;
      continue;
    }
    for (let k = 0; k < hits.length; k += COUNT_BATCH)
      for (const row of await reader.byIds(hits.slice(k, k + COUNT_BATCH))) if (plan.where(row)) n++;
  }
  return n;
}

const COUNT_BATCH = 1000;

/**
 * The first `n` matches of the group's open ranges in list order: each range gives its next
 * `n` matches (or all it has left), so the first `n` of them merged are the group's next `n`.
 * Each range's cursor moves past its rows among them.
 */
async function mergedMatches<T>(
  plan: ListPlan<T>,
  reader: KeyedReader<T>,
  only: ReadonlySet<string>,
  state: (IndexKey | null | 'end')[],
  group: readonly number[],
  n: number,
  rates: Rate[]
): Promise<T[]> {
  const open = group.filter((i) => state[i] !== 'end');
  const found = await Promise.all(
    open.map((i) =>
      matchesIn(reader, plan.ranges[i], state[i] as IndexKey | null, n, only, rates[i]).then((r) => ({ i, ...r }))
    )
  );
  const tagged = found.flatMap(({ i, rows }) => rows.map((row) => ({ i, row })));
  tagged.sort((a, b) => plan.compare(a.row, b.row));
  const taken = tagged.slice(0, n);
  for (const { i, rows, end } of found) {
    const mine = taken.filter((t) => t.i === i);
    if (end && mine.length === rows.length) state[i] = 'end';
    else if (mine.length) state[i] = reader.keyOf(mine[mine.length - 1].row, plan.ranges[i]);
  }
  return taken.map((t) => t.row);
}

/** The next `want` matches of one range after `after`; `end`: the range has none after them. */
async function matchesIn<T>(
  reader: KeyedReader<T>,
  range: ListRange,
  after: IndexKey | null,
  want: number,
  only: ReadonlySet<string>,
  rate: Rate
): Promise<{ rows: T[]; end: boolean }> {
  const rows: T[] = [];
  let from = after;
  for (let scan = scanSize(rate, want); ;) {
    const keys = await reader.readKeys(range, from, scan);
    const need = want - rows.length;
    const hits: string[] = [];
    let k = 0;
    while (k < keys.length && hits.length < need) if (only.has(keys[k++])) hits.push(keys[k - 1]);
    rate.scanned += k;
    rate.hits += hits.length;
    const more = hits.length < need && keys.length === scan;
    // To read on after the scanned keys, the last one's index key: its row holds it.
    const [found, last] = await Promise.all([
      reader.byIds(hits),
      more ? reader.byIds([keys[keys.length - 1]]) : Promise.resolve([])
    ]);
    rows.push(...found);
    if (hits.length === need) return { rows, end: false };
    // Deleted while being read: the change refreshes the list, which reads it again.
    if (!more || !last.length) return { rows, end: true };
    from = reader.keyOf(last[0], range);
    // Fell short: at least twice as many next time (matches can cluster).
    scan = Math.min(Math.max(scanSize(rate, want - rows.length), scan * 2), MAX_SCAN);
  }
}

/**
 * Ids a search found: every match in no order, or (`view` set) the matches a list's view
 * admits, in its order, as the search index answers them when it keeps the list's fields.
 */
export interface Found {
  ids: readonly string[];
  /** `viewKey` of the view the ids are filtered and ordered for; absent: every match, any order. */
  view?: string;
  /** The text searched: a new one starts the list at its top, the same one again keeps what is shown. */
  query?: string;
}

/**
 * The view to ask the search index for (the plan's ranges as field equalities, its order as
 * fields), or `null` when the plan names no order as fields.
 */
export function searchViewOf<T>(plan: ListPlan<T>): SearchView | null {
  if (!plan.order || plan.ranges.some((r) => r.prefix.some((v) => typeof v !== 'string'))) return null;
  return {
    ranges: plan.ranges.map((r) => Object.fromEntries(r.prefix.map((v, k) => [plan.index[k], v as string]))),
    order: plan.order
  };
}

export const viewKey = (view: SearchView): string => JSON.stringify(view);

/** What a list was handed as matches: plain ids (every match) or what `searchMatches` found. */
export const foundOf = (m: readonly string[] | Found | null | undefined): Found | null =>
  m == null ? null : isIds(m) ? { ids: m } : m;

const isIds = (m: readonly string[] | Found): m is readonly string[] => Array.isArray(m);

/** The found ids are in the plan's order and admitted by its ranges (not yet by its `where`). */
export function orderedFor<T>(plan: ListPlan<T>, found: Found | null): boolean {
  if (!found?.view) return false;
  const view = searchViewOf(plan);
  return !!view && viewKey(view) === found.view;
}

/** Ids read by id per step when a `where` thins them out (a page of 50 reads up to 200). */
const ORDERED_READ_AHEAD = 4;

/**
 * The next `limit` rows of ids already in the list's order, from position `from`: read by id,
 * each checked against the plan as the row is stored now (the search index follows a change a
 * moment later; until then a row that left the view is skipped). `next`: where to read on.
 */
export async function orderedMatchPage<T>(
  plan: ListPlan<T>,
  reader: KeyedReader<T>,
  ids: readonly string[],
  from: number,
  limit: number
): Promise<{ rows: T[]; next: number }> {
  const rows: T[] = [];
  let at = from;
  while (rows.length < limit && at < ids.length) {
    const want = limit - rows.length;
    const batch = ids.slice(at, at + (plan.where ? Math.min(want * ORDERED_READ_AHEAD, 2000) : want));
    const got = await reader.byIds(batch);
    const byId = new Map(got.map((row) => [idOf(reader, plan, row), row]));
    for (const id of batch) {
      at++;
      const row = byId.get(id);
      if (row && admits(plan, row)) rows.push(row);
      if (rows.length === limit) break;
    }
  }
  return { rows, next: at };
}

/** How many of ids in order the plan admits: their number, unless a `where` needs the rows. */
export async function countOrdered<T>(plan: ListPlan<T>, reader: KeyedReader<T>, ids: readonly string[]) {
  if (!plan.where) return ids.length;
  let n = 0;
  for (let k = 0; k < ids.length; k += COUNT_BATCH)
    for (const row of await reader.byIds(ids.slice(k, k + COUNT_BATCH))) if (admits(plan, row)) n++;
  return n;
}

/** A row's primary key: the last part of its key in any range. */
const idOf = <T>(reader: KeyedReader<T>, plan: ListPlan<T>, row: T) => {
  const key = reader.keyOf(row, { prefix: plan.index });
  return String(key[key.length - 1]);
};
