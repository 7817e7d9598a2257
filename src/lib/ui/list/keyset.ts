/**
 * Keyset paging over one or more index ranges: the rule behind every long list.
 *
 * A list view is a `ListPlan`: one index of the collection, a set of ranges on it (each range
 * an equality prefix of the index: `status = 'new'`, `status = 'waiting'`, …) walked in one
 * direction, and the order in which rows of different ranges interleave (`compare`). A page is
 * read by asking each range for the rows after the last one it contributed (its resume key),
 * never with `skip`: the cost of page 200 is the cost of page 1, and a row inserted above the
 * fold does not shift the rest of the list by one. Ranges marked `ordered` (their rows never
 * interleave, e.g. priority P1 before P2) are read one after another; others are merged.
 *
 * Pure: the storage is behind `RangeReader`, so the same rule runs on IndexedDB in the app and
 * on arrays in the tests (keyset.test.ts proves that walking the pages gives the sorted list).
 */

/** The values of the index fields after a range's prefix, last one the primary key. */
export type IndexKey = readonly (string | number)[];

export interface ListRange {
  /** Equality values of the first index fields (after RxDB's `_deleted`). */
  prefix: readonly (string | number)[];
  /**
   * Ranges of one group interleave and are merged; every row of a lower group comes before
   * any row of a higher one (priority P1 before P2, each merging its statuses). Default 0.
   */
  group?: number;
}

export interface ListPlan<T> {
  /** Index fields as declared in the schema, without `_deleted` and the primary key. */
  index: readonly string[];
  ranges: readonly ListRange[];
  direction: 'asc' | 'desc';
  /** The list's order across ranges; must agree with the index order within each range. */
  compare: (a: T, b: T) => number;
  /**
   * The same order as fields (ties by primary key in the direction of the last), for orderings
   * made without the rows: the search index answers matches in it (`match-pages.ts`).
   */
  order?: readonly { field: string; desc?: boolean }[];
  /** Rows of range i all come before rows of range i + 1: each range its own group. */
  ordered?: boolean;
  /**
   * No index of the device holds this order (every index costs every write of a sync, and a
   * first sync writes every row): the search index answers the view's rows in it, with no text
   * asked (`searchMatches`), and the rows are read by id. `index` then names the fields of the
   * ranges only, for that view; it is never read as an index.
   */
  bySearchIndex?: boolean;
  /** A filter the index cannot express; pages are filled by reading on. */
  where?: (row: T) => boolean;
  /**
   * One range of another index holding every row of the list in the same order (`updatedAt`
   * across all statuses): search matches are walked there, once instead of once per range,
   * each matching row checked against the ranges (`match-pages.ts`).
   */
  across?: { index: readonly string[]; prefix: readonly (string | number)[] };
}

/** Reads up to `limit` rows of one range strictly after `after` (from its start when null). */
export interface RangeReader<T> {
  read(range: ListRange, after: IndexKey | null, limit: number): Promise<T[]>;
  count(range: ListRange): Promise<number>;
  /** The key of a row within `range` (the index fields after the prefix, then the primary key). */
  keyOf(row: T, range: ListRange): IndexKey;
}

/** Where each range stands: the key of the last row it gave to the list, or `end`. */
export type Cursor = readonly (IndexKey | null | 'end')[];

export const startCursor = (plan: { ranges: readonly unknown[] }): Cursor => plan.ranges.map(() => null);

export const isDone = (cursor: Cursor) => cursor.every((c) => c === 'end');

export interface Page<T> {
  rows: T[];
  cursor: Cursor;
}

/** Upper bound of rows read per range for one page when a `where` filter thins them out. */
const READ_AHEAD = 4;

/**
 * The next `limit` rows of the list after `cursor`. Each range is asked for `limit` rows, the
 * candidates merged by `compare`, and each range's resume key advanced only past the rows that
 * made it onto the page, so the rows read but not shown are read again next time.
 */
export async function nextPage<T>(
  plan: ListPlan<T>,
  reader: RangeReader<T>,
  cursor: Cursor,
  limit: number
): Promise<Page<T>> {
  const out: T[] = [];
  const state = [...cursor];
  const where = plan.where;
  // A filter the index cannot express may drop most rows: read on until the page is full.
  for (let round = 0; out.length < limit && !isDone(state); round++) {
    const want = limit - out.length;
    const batch = where ? Math.min(want * READ_AHEAD * (round + 1), 2000) : want;
    const page: T[] = [];
    // Groups in order: the next one is read only once the one before it has run out.
    for (const group of groupsOf(plan)) {
      if (page.length >= batch) break;
      page.push(...(await mergedStep(plan, reader, state, group, batch - page.length)));
    }
    for (const row of page) {
      if (out.length === limit) break;
      if (!where || where(row)) out.push(row);
    }
    if (out.length === limit && where) {
      // The last batch may hold rows past the page: resume right after the last row kept.
      return { rows: out, cursor: rewind(plan, reader, state, cursor, out) };
    }
  }
  return { rows: out, cursor: state };
}

/** The ranges to merge, group by group in list order (`ordered`: each range its own group). */
export function groupsOf<T>(plan: ListPlan<T>): number[][] {
  const groups = new Map<number, number[]>();
  plan.ranges.forEach((range, i) => {
    const g = plan.ordered ? i : (range.group ?? 0);
    groups.set(g, [...(groups.get(g) ?? []), i]);
  });
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, members]) => members);
}

/**
 * Reads `n` rows of every open range of a group and keeps the first `n` in list order. When
 * fewer than `n` come back, every range of the group has run out.
 */
async function mergedStep<T>(
  plan: ListPlan<T>,
  reader: RangeReader<T>,
  state: (IndexKey | null | 'end')[],
  group: readonly number[],
  n: number
) {
  const open = group.filter((i) => state[i] !== 'end');
  const batches = await Promise.all(
    open.map((i) => reader.read(plan.ranges[i], state[i] as IndexKey | null, n).then((rows) => ({ i, rows })))
  );
  const tagged = batches.flatMap(({ i, rows }) => rows.map((row) => ({ i, row })));
  tagged.sort((a, b) => plan.compare(a.row, b.row));
  const taken = tagged.slice(0, n);
  for (const { i, rows } of batches) {
    const mine = taken.filter((t) => t.i === i);
    if (rows.length < n && mine.length === rows.length) state[i] = 'end';
    else if (mine.length) state[i] = reader.keyOf(mine[mine.length - 1].row, plan.ranges[i]);
  }
  return taken.map((t) => t.row);
}

/**
 * The cursor just after `lastKept` of the page: each range resumes after the last of the page's
 * rows that belong to it (rows are matched to their range by the prefix of their key), or where
 * it stood before the page when none did.
 */
function rewind<T>(
  plan: ListPlan<T>,
  reader: RangeReader<T>,
  after: readonly (IndexKey | null | 'end')[],
  before: Cursor,
  rows: readonly T[]
): Cursor {
  return plan.ranges.map((range, i) => {
    let last: IndexKey | null = null;
    for (const row of rows) if (rangeOf(plan, row) === i) last = reader.keyOf(row, range);
    if (last) return last;
    // Nothing of this range was kept: it resumes where it was, unless it had nothing at all.
    return after[i] === 'end' && before[i] === 'end' ? 'end' : before[i];
  });
}

/** Which range a row belongs to: the one whose prefix its index fields start with. */
export function rangeOf<T>(plan: Pick<ListPlan<T>, 'index' | 'ranges'>, row: T): number {
  const r = row as Record<string, unknown>;
  return plan.ranges.findIndex((range) => range.prefix.every((v, k) => r[plan.index[k]] === v));
}

/**
 * Rows of the list: through the index's own count when the ranges say it all; with a `where`
 * filter, by reading the ranges in large pages (the one case that grows with what is stored).
 */
export async function countRanges<T>(plan: ListPlan<T>, reader: RangeReader<T>): Promise<number> {
  if (!plan.where) {
    const counts = await Promise.all(plan.ranges.map((r) => reader.count(r)));
    return counts.reduce((a, b) => a + b, 0);
  }
  let n = 0;
  for (const range of plan.ranges) {
    let after: IndexKey | null = null;
    for (;;) {
      const rows = await reader.read(range, after, COUNT_BATCH);
      for (const row of rows) if (plan.where(row)) n++;
      if (rows.length < COUNT_BATCH) break;
      after = reader.keyOf(rows[rows.length - 1], range);
    }
  }
  return n;
}

const COUNT_BATCH = 2000;

/** Whether a row belongs to the list (for rows found another way, e.g. by full-text search). */
export function admits<T>(plan: Pick<ListPlan<T>, 'index' | 'ranges' | 'where'>, row: T): boolean {
  return rangeOf(plan, row) >= 0 && (!plan.where || plan.where(row));
}

/** Compares index keys the way IndexedDB does for strings and numbers (numbers first). */
export function compareKeys(a: IndexKey, b: IndexKey): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
