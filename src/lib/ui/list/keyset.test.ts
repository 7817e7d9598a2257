import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  admits,
  compareKeys,
  countRanges,
  isDone,
  nextPage,
  startCursor,
  type IndexKey,
  type ListPlan,
  type RangeReader
} from './keyset';

interface Row {
  id: string;
  status: string;
  priority: string;
  updatedAt: string;
}

/** An index held in an array, read the way IndexedDB reads a key range in one direction. */
function arrayReader(
  rows: readonly Row[],
  plan: Pick<ListPlan<Row>, 'index' | 'direction'>
): RangeReader<Row> & {
  reads: number;
} {
  const keyOf = (row: Row, range: { prefix: readonly unknown[] }): IndexKey => [
    ...plan.index.slice(range.prefix.length).map((f) => row[f as keyof Row]),
    row.id
  ];
  const sign = plan.direction === 'asc' ? 1 : -1;
  const inRange = (range: { prefix: readonly unknown[] }) =>
    rows
      .filter((r) => range.prefix.every((v, k) => r[plan.index[k] as keyof Row] === v))
      .sort((a, b) => sign * compareKeys(keyOf(a, range), keyOf(b, range)));
  const reader = {
    reads: 0,
    keyOf,
    async read(range: { prefix: readonly (string | number)[] }, after: IndexKey | null, limit: number) {
      reader.reads++;
      const all = inRange(range);
      const from = after ? all.filter((r) => sign * compareKeys(keyOf(r, range), after) > 0) : all;
      return from.slice(0, limit);
    },
    async count(range: { prefix: readonly (string | number)[] }) {
      return inRange(range).length;
    }
  };
  return reader;
}

async function walk(plan: ListPlan<Row>, reader: RangeReader<Row>, pageSize: number): Promise<Row[][]> {
  const pages: Row[][] = [];
  let cursor = startCursor(plan);
  for (let guard = 0; !isDone(cursor) && guard < 1000; guard++) {
    const page = await nextPage(plan, reader, cursor, pageSize);
    if (page.rows.length) pages.push(page.rows);
    if (page.rows.length < pageSize) break;
    cursor = page.cursor;
  }
  return pages;
}

const STATUSES = ['new', 'assigned', 'waiting', 'resolved'];
const PRIORITIES = ['P1', 'P2', 'P3'];
const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const byUpdatedDesc = (a: Row, b: Row) => desc(a.updatedAt, b.updatedAt) || desc(a.id, b.id);

const rowArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
  status: fc.constantFrom(...STATUSES),
  priority: fc.constantFrom(...PRIORITIES),
  // Few distinct times, so ties on the sort field are common.
  updatedAt: fc.integer({ min: 0, max: 9 }).map((n) => `2026-11-0${n}`)
});
const rowsArb = fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 60 });

describe('keyset paging', () => {
  it('walks several merged ranges (status in a set, newest first) page by page into the sorted list', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb,
        fc.subarray(STATUSES, { minLength: 1 }),
        fc.integer({ min: 1, max: 13 }),
        async (rows, statuses, pageSize) => {
          const plan: ListPlan<Row> = {
            index: ['status', 'updatedAt'],
            ranges: statuses.map((s) => ({ prefix: [s] })),
            direction: 'desc',
            compare: byUpdatedDesc
          };
          const reader = arrayReader(rows, plan);
          const pages = await walk(plan, reader, pageSize);
          const expected = rows.filter((r) => statuses.includes(r.status)).sort(byUpdatedDesc);
          expect(pages.flat()).toEqual(expected);
          expect(pages.slice(0, -1).every((p) => p.length === pageSize)).toBe(true);
          expect(await countRanges(plan, reader)).toBe(expected.length);
        }
      )
    );
  });

  it('reads ordered ranges one after another (P1 before P2, newest first within each)', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 9 }), async (rows, pageSize) => {
        const compare = (a: Row, b: Row) => a.priority.localeCompare(b.priority) || byUpdatedDesc(a, b);
        const plan: ListPlan<Row> = {
          index: ['priority', 'updatedAt'],
          ranges: PRIORITIES.map((p) => ({ prefix: [p] })),
          direction: 'desc',
          compare,
          ordered: true
        };
        const pages = await walk(plan, arrayReader(rows, plan), pageSize);
        expect(pages.flat()).toEqual([...rows].sort(compare));
      })
    );
  });

  it('merges the statuses within each priority group, P1 first, newest first inside', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb,
        fc.subarray(STATUSES, { minLength: 1 }),
        fc.integer({ min: 1, max: 11 }),
        async (rows, statuses, pageSize) => {
          const compare = (a: Row, b: Row) => a.priority.localeCompare(b.priority) || byUpdatedDesc(a, b);
          const plan: ListPlan<Row> = {
            index: ['priority', 'status', 'updatedAt'],
            ranges: PRIORITIES.flatMap((p, group) => statuses.map((s) => ({ prefix: [p, s], group }))),
            direction: 'desc',
            compare
          };
          const pages = await walk(plan, arrayReader(rows, plan), pageSize);
          expect(pages.flat()).toEqual(rows.filter((r) => statuses.includes(r.status)).sort(compare));
        }
      )
    );
  });

  it('fills pages through a filter the index cannot express, without losing or repeating a row', async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.integer({ min: 1, max: 7 }), fc.boolean(), async (rows, pageSize, ordered) => {
        const where = (r: Row) => r.id.includes('a');
        const compare = ordered
          ? (a: Row, b: Row) => a.status.localeCompare(b.status) || byUpdatedDesc(a, b)
          : byUpdatedDesc;
        const plan: ListPlan<Row> = {
          index: ['status', 'updatedAt'],
          ranges: [...STATUSES].sort().map((s) => ({ prefix: [s] })),
          direction: 'desc',
          compare,
          ordered,
          where
        };
        const reader = arrayReader(rows, plan);
        const pages = await walk(plan, reader, pageSize);
        expect(pages.flat()).toEqual(rows.filter(where).sort(compare));
        expect(await countRanges(plan, reader)).toBe(rows.filter(where).length);
        expect(rows.every((r) => admits(plan, r) === where(r))).toBe(true);
      })
    );
  });

  it('walks one ascending range (oldest first) and stops at its end', async () => {
    const rows: Row[] = Array.from({ length: 25 }, (_, i) => ({
      id: `t${String(i).padStart(2, '0')}`,
      status: 'new',
      priority: 'P3',
      updatedAt: `2026-11-${String((i % 9) + 10)}`
    }));
    const plan: ListPlan<Row> = {
      index: ['updatedAt'],
      ranges: [{ prefix: [] }],
      direction: 'asc',
      compare: (a, b) => -byUpdatedDesc(a, b)
    };
    const reader = arrayReader(rows, plan);
    const pages = await walk(plan, reader, 10);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual([...rows].sort(plan.compare));
    // Three pages, one read each: no page reads the rows before it again.
    expect(reader.reads).toBe(3);
  });

  it('answers an empty list with an empty page', async () => {
    const plan: ListPlan<Row> = {
      index: ['status'],
      ranges: [{ prefix: ['new'] }],
      direction: 'desc',
      compare: byUpdatedDesc
    };
    const page = await nextPage(plan, arrayReader([], plan), startCursor(plan), 20);
    expect(page.rows).toEqual([]);
    expect(isDone(page.cursor)).toBe(true);
  });

  it('orders keys as IndexedDB does: numbers before strings, shorter prefix first', () => {
    expect(compareKeys([1, 'a'], ['a'])).toBeLessThan(0);
    expect(compareKeys(['a'], ['a', 'b'])).toBeLessThan(0);
    expect(compareKeys(['b', 'a'], ['a', 'z'])).toBeGreaterThan(0);
    expect(compareKeys(['x', 2], ['x', 2])).toBe(0);
  });
});
