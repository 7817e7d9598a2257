/**
 * A list that reads only what is shown: the first page of a `ListPlan` through its index, more
 * pages as the person scrolls (`loadMore`), the count through the index, and, after any change
 * to the collection (a local edit, a sync), the rows already shown read again. With `matches`
 * (every id the full-text index found) the list shows those of them the plan admits, in the
 * plan's order: few are read by id and sorted, many are paged through the list's index with
 * the others skipped by key (`match-pages.ts`), and counted after the first rows are shown.
 * When the search index answered in the plan's order (`Found.view`), the rows shown are read
 * by id from its answer, page by page, and its length is the count. The same search answered
 * again (the index followed a change) keeps as many rows as are shown.
 *
 *   const list = pagedList(() => ({ collection: db.tickets, plan: ticketListPlan(filter) }));
 *   list.rows, list.total, list.loaded, list.done, list.loadMore()
 */
import type { RxCollection } from 'rxdb';
import { debounceTime } from 'rxjs';
import { untrack } from 'svelte';
import { afterPaint } from '../after-paint';
import { indexReader } from './index-reader';
import { countRanges, isDone, nextPage, startCursor, type Cursor, type ListPlan } from './keyset';
import {
  allMatches,
  countMatches,
  countOrdered,
  firstMatchPage,
  FEW_MATCHES,
  foundOf,
  matchWalk,
  nextMatchPage,
  orderedFor,
  orderedMatchPage,
  type Found
} from './match-pages';

export interface PagedSource<T> {
  collection: RxCollection;
  plan: ListPlan<T>;
  /**
   * What a search found: every id in any order, or (`Found.view`) the ids the plan's view
   * admits in its order; `null` or absent: no search.
   */
  matches?: readonly string[] | Found | null;
}

export interface PagedList<T> {
  readonly rows: readonly T[];
  /** Rows in the whole list; `null` until counted. */
  readonly total: number | null;
  /** The first page is in. */
  readonly loaded: boolean;
  /** Every row is in. */
  readonly done: boolean;
  /** Reads the next page (no-op while one is being read or when done). */
  loadMore(): Promise<void>;
}

export const PAGE_SIZE = 50;

/** Changes arriving in a burst (a sync batch) refresh the list once. */
const REFRESH_DEBOUNCE_MS = 80;
const RECOUNT_MS = 1000;

export function pagedList<T>(source: () => PagedSource<T> | null | undefined, pageSize = PAGE_SIZE): PagedList<T> {
  let rows = $state.raw<readonly T[]>([]);
  let total = $state<number | null>(null);
  let loaded = $state(false);
  let done = $state(false);
  let more: () => Promise<void> = async () => {};
  /** What the rows shown belong to: the same plan and search again keeps their number. */
  let shownFor: { collection: RxCollection; plan: ListPlan<T>; query: string | undefined } | null = null;

  $effect(() => {
    const src = source();
    if (!src) return;
    const { collection, plan } = src;
    const found = foundOf(src.matches);
    // Answered for another view (the sort or filter just changed): the right answer follows
    // at once, and these ids are neither every match nor this view's, so wait for it.
    if (found?.view && !orderedFor(plan, found)) return;
    // An order no index of the device holds comes only from the search index: wait for it.
    if (plan.bySearchIndex && !orderedFor(plan, found)) return;
    const ordered = found?.view ? found.ids : null;
    const matches = ordered ? null : (found?.ids ?? null);
    const few = matches !== null && matches.length <= FEW_MATCHES;
    // Never changed after it is made: a plain set, not reactive state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const only: ReadonlySet<string> | null = matches && !few ? new Set(matches) : null;
    const reader = indexReader<T>(collection, plan.index, plan.direction);
    const walk = matchWalk(plan, (index) => indexReader<T>(collection, index, plan.direction));
    const same =
      !!shownFor &&
      found?.query !== undefined &&
      shownFor.collection === collection &&
      shownFor.plan === plan &&
      shownFor.query === found.query;
    shownFor = { collection, plan, query: found?.query };
    /** Position in `ordered` to read on from. */
    let next = 0;
    let cursor: Cursor = startCursor(plan);
    let alive = true;
    let busy: Promise<void> | null = null;

    // Reads the first `n` rows again (a new view, or the shown rows after a change).
    const reload = async (n: number) => {
      if (ordered) {
        const page = await orderedMatchPage(plan, reader, ordered, 0, n);
        if (!alive) return;
        next = page.next;
        rows = page.rows;
        done = page.next >= ordered.length;
        loaded = true;
        if (!plan.where) total = ordered.length;
        else recount();
        return;
      }
      if (matches) {
        const page = await firstMatchPage(plan, reader, walk, matches, only, n);
        if (!alive) return;
        cursor = page.cursor;
        rows = page.rows;
        done = page.done;
        loaded = true;
        if (few) total = page.rows.length;
        else recount();
        return;
      }
      const page = await nextPage(plan, reader, startCursor(plan), n);
      if (!alive) return;
      cursor = page.cursor;
      rows = page.rows;
      done = page.rows.length < n || isDone(page.cursor);
      loaded = true;
      recount();
    };
    // The count walks the index: after the rows are painted, and during a burst of writes (a
    // first sync) at most once a second, the last one after the burst.
    let counting = false;
    let again = false;
    let lastCount = 0;
    const recount = () => {
      if (counting) {
        again = true;
        return;
      }
      counting = true;
      void (async () => {
        await afterPaint();
        const wait = lastCount + RECOUNT_MS - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (!alive) return;
        const count = ordered
          ? await countOrdered(plan, reader, ordered)
          : only
            ? await countMatches(plan, reader, only)
            : await countRanges(plan, reader);
        lastCount = Date.now();
        if (alive) total = count;
      })()
        .catch((e: unknown) => console.error('list count failed', e))
        .finally(() => {
          counting = false;
          if (again && alive) {
            again = false;
            recount();
          }
        });
    };
    const run = (job: () => Promise<void>) => {
      const next = (busy ?? Promise.resolve()).then(job).catch((e: unknown) => console.error('list read failed', e));
      busy = next;
      return next;
    };

    const shown = untrack(() => rows.length);
    if (!same)
      untrack(() => {
        total = null;
        done = false;
      });
    void run(() => reload(same ? Math.max(shown, pageSize) : pageSize));
    more = () => {
      if (untrack(() => done) || few) return Promise.resolve();
      return run(async () => {
        if (done) return;
        if (ordered) {
          const page = await orderedMatchPage(plan, reader, ordered, next, pageSize);
          if (!alive) return;
          next = page.next;
          rows = [...rows, ...page.rows];
          done = page.next >= ordered.length;
          return;
        }
        const page = only
          ? await nextMatchPage(walk.plan, walk.reader, only, cursor, pageSize)
          : await nextPage(plan, reader, cursor, pageSize);
        if (!alive) return;
        cursor = page.cursor;
        rows = [...rows, ...page.rows];
        done = page.rows.length < pageSize || isDone(page.cursor);
      });
    };
    const sub = collection.eventBulks$.pipe(debounceTime(REFRESH_DEBOUNCE_MS)).subscribe(
      () =>
        void run(() =>
          reload(
            Math.max(
              untrack(() => rows.length),
              pageSize
            )
          )
        )
    );
    return () => {
      alive = false;
      sub.unsubscribe();
    };
  });

  return {
    get rows() {
      return rows;
    },
    get total() {
      return total;
    },
    get loaded() {
      return loaded;
    },
    get done() {
      return done;
    },
    loadMore: () => more()
  };
}

/** Every row of the list (or of the search matches), for an export: read in large pages. */
export async function readAll<T>(
  collection: RxCollection,
  plan: ListPlan<T>,
  matches?: readonly string[] | Found | null
): Promise<T[]> {
  const reader = indexReader<T>(collection, plan.index, plan.direction);
  const found = foundOf(matches);
  if (found && orderedFor(plan, found))
    return (await orderedMatchPage(plan, reader, found.ids, 0, found.ids.length)).rows;
  if (plan.bySearchIndex) throw new Error('the list is still being put in order');
  if (found)
    return allMatches(
      plan,
      reader,
      matchWalk(plan, (index) => indexReader<T>(collection, index, plan.direction)),
      found.ids
    );
  const out: T[] = [];
  let cursor = startCursor(plan);
  for (;;) {
    const page = await nextPage(plan, reader, cursor, EXPORT_PAGE);
    out.push(...page.rows);
    if (page.rows.length < EXPORT_PAGE || isDone(page.cursor)) return out;
    cursor = page.cursor;
  }
}

const EXPORT_PAGE = 1000;
