/**
 * Back to a list, the person finds the rows they left. SvelteKit keeps a snapshot per history
 * entry (a page's `export const snapshot`); a list's holds how far it was scrolled and how many
 * rows it had read. SvelteKit restores the window's scroll by itself, but at once, while the
 * list has read nothing yet: the page is a screen high then, so the browser puts it back at the
 * top; and a virtual list scrolls inside its own box, which SvelteKit does not know. So the rows
 * are read again up to the saved count (the list's own pages, as scrolling read them) and the
 * position is set once they are shown, unless the person scrolled meanwhile.
 */
import type { Snapshot } from '@sveltejs/kit';
import { afterPaint } from '../after-paint';

export interface ListPosition<S = unknown> {
  top: number;
  rows: number;
  /** The page's own state beside the list (`ListSnapshotOptions.page`). */
  state?: S;
}

/** Where a list scrolls: the window (card lists) or its own box (virtual lists). */
export interface Scroller {
  get(): number;
  set(top: number): void;
}

export interface RestorableList {
  readonly rows: readonly unknown[];
  readonly loaded: boolean;
  readonly done: boolean;
  loadMore(): Promise<void>;
}

export interface RestoreOptions {
  /** Resolves at the next frame (the rows read so far are then in the page). */
  frame?: () => Promise<void>;
  now?: () => number;
}

export interface ListSnapshotOptions<S> extends RestoreOptions {
  /**
   * What the page keeps of itself and not in its address (filters, a row limit): captured with
   * the list's place and restored before the rows are read again, so they are the filtered ones.
   */
  page?: { capture(): S; restore(state: S): void };
}

/** How long a restore waits for the list's first page (a reload opening the store). */
const WAIT_MS = 10_000;
/** Rows read again at most: 40 pages of the ticket list, a few hundred milliseconds. */
export const MAX_RESTORED_ROWS = 2000;
/** A person's own scroll moves further than the browser's rounding. */
const MOVED_PX = 4;

export const windowScroller: Scroller = {
  get: () => window.scrollY,
  set: (top) => window.scrollTo({ top })
};

/** A virtual list's own box; none while it is not on the page. */
export const boxScroller = (box: HTMLElement | undefined): Scroller | null =>
  box
    ? {
        get: () => box.scrollTop,
        set: (top) => {
          box.scrollTop = top;
        }
      }
    : null;

/** The list's snapshot for its page (`export const snapshot = listSnapshot(list, …)`). */
export function listSnapshot<S = never>(
  list: RestorableList,
  scroller: () => Scroller | null | undefined,
  { page, ...opts }: ListSnapshotOptions<S> = {}
): Snapshot<ListPosition<S>> {
  return {
    capture: () => ({
      top: Math.round(scroller()?.get() ?? 0),
      rows: list.rows.length,
      ...(page ? { state: page.capture() } : {})
    }),
    restore: (position) => {
      if (page && position?.state !== undefined) page.restore(position.state);
      void restorePosition(list, scroller, position, opts);
    }
  };
}

/** Reads the list on to the saved rows and scrolls back; false when it could not (or need not). */
export async function restorePosition(
  list: RestorableList,
  scroller: () => Scroller | null | undefined,
  position: ListPosition | undefined,
  { frame = afterPaint, now = Date.now }: RestoreOptions = {}
): Promise<boolean> {
  if (!position || !(position.top > 0)) return false;
  const deadline = now() + WAIT_MS;
  while (!list.loaded || !scroller()) {
    if (now() > deadline) return false;
    await frame();
  }
  // Where the browser left it (SvelteKit's own restore, clamped to the short page): a person
  // scrolling from here while the rows are read keeps their own place.
  const from = scroller()!.get();
  const wanted = Math.min(position.rows, MAX_RESTORED_ROWS);
  while (list.rows.length < wanted && !list.done) {
    const before = list.rows.length;
    await list.loadMore();
    if (list.rows.length === before) break;
  }
  await frame();
  const box = scroller();
  if (!box || Math.abs(box.get() - from) > MOVED_PX) return false;
  box.set(position.top);
  return true;
}

/** A page's snapshot handed on to the list component it shows (bound with `bind:this`). */
export function snapshotOf<S>(
  component: () => { snapshot: Snapshot<ListPosition<S>> } | undefined
): Snapshot<ListPosition<S> | undefined> {
  return {
    capture: () => component()?.snapshot.capture(),
    restore: (position) => position && component()?.snapshot.restore(position)
  };
}
