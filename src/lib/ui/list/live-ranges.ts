/**
 * The first rows of a few ranges of one index, read again when the collection changes: what
 * the inbox's sources show (a person's open tickets per state, the rows waiting for them).
 *
 * An RxDB query on the app's storage walks its index with one IndexedDB cursor step, and one
 * task, per document, and its live form repeats that for every query at every page load: with
 * hundreds of rows waiting for a person, that start-up work met whatever the person clicked
 * first. Here each range is one `getAll` on the index (`index-reader.ts`), and a burst of
 * changes (a sync batch) is read once, at most every `REREAD_MS`, never two reads at a time.
 * While the device takes its first copy (`catchingUp`), a sync's pages are read at most every
 * `CATCH_UP_REREAD_MS`: a first sync writes a page of 1,000 tickets every half second, and
 * reading up to `limit` documents again after each (the inbox's 500 waiting tickets, ten times
 * in a first sync of 10,000) took the page's thread from the store's writes.
 *
 *   liveRanges<Ticket>(db.tickets, ['inbox.assignee', 'status'], [[me, 'new'], [me, 'assigned']], 500)
 *     → Observable of one list per range, in the index's order
 */
import type { RxCollection } from 'rxdb';
import { Observable, audit, filter, interval, take, timer } from 'rxjs';
import { indexReader } from './index-reader';

/** A burst of writes (a sync batch, an edit's several documents) is read once. */
const REREAD_MS = 100;
/** While a first sync writes page after page: the list still fills as the pages land, in steps. */
export const CATCH_UP_REREAD_MS = 2000;
/** A write of this many documents or more is a sync's page; fewer, a person's edit or a live change. */
export const PAGE_WRITE = 100;

/**
 * How long a burst's read waits: `REREAD_MS`, or `CATCH_UP_REREAD_MS` for a first sync's page
 * when the last read found rows (an empty range is cheap to read again, and a list still empty
 * should show its first rows as soon as they land: the landing page decides from the inbox).
 * The long pause ends as soon as the catching up does, so what the first sync wrote last is read
 * within `REREAD_MS`: the landing page decides half a second after the sync.
 */
const pause = (catchingUp: () => boolean, long: boolean) =>
  long && catchingUp()
    ? interval(REREAD_MS).pipe(
        filter((i) => !catchingUp() || (i + 1) * REREAD_MS >= CATCH_UP_REREAD_MS),
        take(1)
      )
    : timer(REREAD_MS);

type Revised = { _rev?: unknown; [key: string]: unknown };

/** The same documents at the same revisions, in the same order: nothing to tell. */
function sameRows(a: readonly (readonly Revised[])[], b: readonly (readonly Revised[])[], primary: string): boolean {
  return (
    a.length === b.length &&
    a.every(
      (list, k) =>
        list.length === b[k].length && list.every((d, i) => d[primary] === b[k][i][primary] && d._rev === b[k][i]._rev)
    )
  );
}

export function liveRanges<T>(
  collection: RxCollection,
  index: readonly string[],
  prefixes: readonly (readonly (string | number)[])[],
  limit: number,
  catchingUp: () => boolean = () => false
): Observable<T[][]> {
  const reader = indexReader<T>(collection, index, 'asc');
  const primary = collection.schema.primaryPath as string;
  return new Observable<T[][]>((subscriber) => {
    let alive = true;
    let reading = false;
    let again = false;
    let last: T[][] | null = null;
    const read = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const lists = await Promise.all(prefixes.map((prefix) => reader.read({ prefix }, null, limit)));
          if (!alive) return;
          if (last && sameRows(last as Revised[][], lists as Revised[][], primary)) continue;
          last = lists;
          subscriber.next(lists);
        } while (again && alive);
      } catch (err) {
        if (alive) subscriber.error(err);
      } finally {
        reading = false;
      }
    };
    const foundRows = () => !!last && last.some((list) => list.length > 0);
    const changes = collection.eventBulks$
      .pipe(audit((bulk) => pause(catchingUp, bulk.events.length >= PAGE_WRITE && foundRows())))
      .subscribe(() => void read());
    void read();
    return () => {
      alive = false;
      changes.unsubscribe();
    };
  });
}
