/**
 * A list narrowed to search matches: walking its index by keys (many matches) and reading the
 * matches by id (few) both give the rows a filter and a sort of every row give, page by page,
 * on merged ranges, ordered groups and with a filter the index cannot express; the count too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKeys, isDone, startCursor, type IndexKey, type ListPlan, type ListRange } from './keyset';
import { allMatches, countMatches, matchesById, matchWalk, nextMatchPage, type KeyedReader } from './match-pages';

interface Row {
  id: string;
  status: string;
  priority: string;
  updatedAt: string;
}

/** An index held in an array, read the way IndexedDB reads a key range in one direction. */
function arrayReader(rows: readonly Row[], plan: Pick<ListPlan<Row>, 'index' | 'direction'>) {
  const keyOf = (row: Row, range: { prefix: readonly unknown[] }): IndexKey => [
    ...plan.index.slice(range.prefix.length).map((f) => row[f as keyof Row]),
    row.id
  ];
  const sign = plan.direction === 'asc' ? 1 : -1;
  const after = (range: ListRange, from: IndexKey | null) =>
    rows
      .filter((r) => range.prefix.every((v, k) => r[plan.index[k] as keyof Row] === v))
      .sort((a, b) => sign * compareKeys(keyOf(a, range), keyOf(b, range)))
      .filter((r) => !from || sign * compareKeys(keyOf(r, range), from) > 0);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const reader: KeyedReader<Row> & { rowsRead: number } = {
    rowsRead: 0,
    keyOf,
    async read(range, from, limit) {
      const got = after(range, from).slice(0, limit);
      reader.rowsRead += got.length;
      return got;
    },
    async count(range) {
      return after(range, null).length;
    },
    async readKeys(range, from, limit) {
      return after(range, from)
        .slice(0, limit)
        .map((r) => r.id);
    },
    async byIds(ids) {
      const got = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
      reader.rowsRead += got.length;
      return got;
    }
  };
  return reader;
}

const STATUSES = ['assigned', 'new', 'resolved', 'waiting'];
const PRIORITIES = ['P1', 'P2', 'P3'];
const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const byUpdatedDesc = (a: Row, b: Row) => desc(a.updatedAt, b.updatedAt) || desc(a.id, b.id);
const byPriority = (a: Row, b: Row) =>
  (a.priority < b.priority ? -1 : a.priority > b.priority ? 1 : 0) || byUpdatedDesc(a, b);

const rowArb = fc.record({
  id: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
  status: fc.constantFrom(...STATUSES),
  priority: fc.constantFrom(...PRIORITIES),
  updatedAt: fc.integer({ min: 0, max: 9 }).map((n) => `2026-11-0${n}`)
});

/** The list's views: merged statuses newest first, or P1 before P2 each merging its statuses. */
const planArb = fc.record({
  byPrio: fc.boolean(),
  statuses: fc.subarray(STATUSES, { minLength: 1 }),
  where: fc.boolean(),
  across: fc.boolean()
});
function planOf(p: { byPrio: boolean; statuses: string[]; where: boolean; across?: boolean }): ListPlan<Row> {
  const where = p.where ? { where: (r: Row) => r.id.includes('a') || r.id.includes('b') } : {};
  return p.byPrio
    ? {
        index: ['status', 'priority', 'updatedAt'],
        ranges: PRIORITIES.flatMap((pr, group) => p.statuses.map((s) => ({ prefix: [s, pr], group }))),
        direction: 'desc',
        compare: byPriority,
        ...where
      }
    : {
        index: ['status', 'updatedAt'],
        ranges: p.statuses.map((s) => ({ prefix: [s] })),
        direction: 'desc',
        compare: byUpdatedDesc,
        // Every status in one index, the same order: matches are walked there.
        ...(p.across ? { across: { index: ['updatedAt'], prefix: [] } } : {}),
        ...where
      };
}

async function walk(plan: ListPlan<Row>, reader: KeyedReader<Row>, only: ReadonlySet<string>, size: number) {
  const out: Row[] = [];
  let cursor = startCursor(plan);
  for (let guard = 0; guard < 1000; guard++) {
    const page = await nextMatchPage(plan, reader, only, cursor, size);
    expect(page.rows.length).toBeLessThanOrEqual(size);
    out.push(...page.rows);
    if (page.rows.length < size || isDone(page.cursor)) break;
    cursor = page.cursor;
  }
  return out;
}

describe('a list narrowed to search matches', () => {
  it('pages the matches in the list order, the same by keys and by id, and counts them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 80 }),
        planArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 9 }),
        async (rows, p, share, size) => {
          const plan = planOf(p);
          // Matches: a share of the rows, and ids of no row (deleted since the search).
          const matched = rows.filter((_, i) => (i * 7919) % 100 < share * 100).map((r) => r.id);
          const ids = [...matched, 'zz-gone'];
          const expected = rows
            .filter((r) => matched.includes(r.id) && p.statuses.includes(r.status) && (!plan.where || plan.where(r)))
            .sort(plan.compare);
          const reader = arrayReader(rows, plan);
          const w = matchWalk(plan, (index) => arrayReader(rows, { index, direction: plan.direction }));
          expect(await walk(w.plan, w.reader, new Set(ids), size)).toEqual(expected);
          expect(await matchesById(plan, reader, ids)).toEqual(expected);
          expect(await allMatches(plan, reader, w, ids)).toEqual(expected);
          expect(await countMatches(plan, reader, new Set(ids))).toBe(expected.length);
        }
      )
    );
  });

  it('reads only the rows of the page, however many rows match', async () => {
    const rows: Row[] = Array.from({ length: 4000 }, (_, i) => ({
      id: `t${String(i).padStart(5, '0')}`,
      status: STATUSES[i % 4],
      priority: PRIORITIES[i % 3],
      updatedAt: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
    }));
    const plan = planOf({ byPrio: false, statuses: ['new', 'assigned', 'waiting'], where: false });
    const expected = (only: Set<string>) =>
      rows.filter((r) => only.has(r.id) && r.status !== 'resolved').sort(plan.compare);
    // One walk across every status reads fewer keys than one per status.
    const across = { ...plan, across: { index: ['updatedAt'], prefix: [] } };
    for (const every of [2, 20]) {
      const only = new Set(rows.filter((_, i) => i % every === 0 || i % 7 === 0).map((r) => r.id));
      const w = matchWalk(across, (index) => arrayReader(rows, { index, direction: 'desc' }));
      const first = await nextMatchPage(w.plan, w.reader, only, startCursor(w.plan), 50);
      expect(first.rows).toEqual(expected(only).slice(0, 50));
      const second = await nextMatchPage(w.plan, w.reader, only, first.cursor, 50);
      expect(second.rows).toEqual(expected(only).slice(50, 100));
    }
    for (const every of [2, 20]) {
      const only = new Set(rows.filter((_, i) => i % every === 0 || i % 7 === 0).map((r) => r.id));
      const reader = arrayReader(rows, plan);
      const first = await nextMatchPage(plan, reader, only, startCursor(plan), 50);
      expect(first.rows).toEqual(expected(only).slice(0, 50));
      // Each of the three ranges gives at most a page of its matches, plus a row per extra scan
      // (the next scan sized by the share of matches seen: a few per range).
      expect(reader.rowsRead).toBeLessThanOrEqual(3 * 50 + 3 * 3);
      const second = await nextMatchPage(plan, reader, only, first.cursor, 50);
      expect(second.rows).toEqual(expected(only).slice(50, 100));
    }
  });
});
