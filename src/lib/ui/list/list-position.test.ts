import { describe, expect, it } from 'vitest';
import {
  listSnapshot,
  MAX_RESTORED_ROWS,
  restorePosition,
  snapshotOf,
  type ListPosition,
  type RestorableList,
  type Scroller
} from './list-position';

/** A list of `total` rows read `page` at a time, as `pagedList` reads its index; its first page comes after `firstAfter` frames. */
function list(total: number, page = 50, firstAfter = 0) {
  let frames = 0;
  const state = {
    rows: [] as number[],
    reads: 0,
    get loaded() {
      return frames >= firstAfter && state.rows.length > 0;
    },
    get done() {
      return state.rows.length >= total;
    },
    async loadMore() {
      state.reads++;
      const from = state.rows.length;
      state.rows.push(...Array.from({ length: Math.min(page, total - from) }, (_, i) => from + i));
    },
    tick() {
      frames++;
      if (frames === firstAfter || (firstAfter === 0 && state.rows.length === 0)) void state.loadMore();
    }
  };
  if (firstAfter === 0) void state.loadMore();
  return state;
}

function scroller(start = 0): Scroller & { top: number; sets: number[] } {
  const s = {
    top: start,
    sets: [] as number[],
    get: () => s.top,
    set: (top: number) => {
      s.sets.push(top);
      s.top = top;
    }
  };
  return s;
}

/** Frames that tick the list (its first page may come later) and a clock that moves with them. */
function clock(l?: { tick(): void }) {
  let t = 0;
  return {
    frame: async () => {
      t += 16;
      l?.tick();
    },
    now: () => t
  };
}

describe('a list found where it was left', () => {
  it('keeps how far it was scrolled and how many rows it had read', async () => {
    const l = list(500);
    await l.loadMore();
    const s = scroller(3200);
    expect(listSnapshot(l, () => s).capture()).toEqual({ top: 3200, rows: 100 });
  });

  it("keeps the page's own state beside it and puts it back before the rows are read", async () => {
    const l = list(1000);
    const s = scroller(1200);
    let filter = 'closed';
    const seen: string[] = [];
    const page = listSnapshot(l, () => s, {
      page: { capture: () => filter, restore: (f) => (filter = f) },
      ...clock(l)
    });
    await l.loadMore();
    const saved = page.capture();
    expect(saved).toEqual({ top: 1200, rows: 100, state: 'closed' });
    // Back on the page: its state as new, the list at its first page, the window at the top.
    filter = '';
    l.rows.length = 50;
    s.top = 0;
    const reading = l.loadMore;
    l.loadMore = async () => {
      seen.push(filter);
      await reading();
    };
    page.restore(saved);
    expect(filter).toBe('closed');
    await expect.poll(() => s.sets).toEqual([1200]);
    expect(seen).toEqual(['closed']);
  });

  it('reads its pages again up to the saved rows, then scrolls back', async () => {
    const l = list(10_000);
    const s = scroller(0);
    expect(await restorePosition(l, () => s, { top: 14_000, rows: 200 }, clock(l))).toBe(true);
    expect(l.rows.length).toBe(200);
    expect(l.reads).toBe(4);
    expect(s.sets).toEqual([14_000]);
  });

  it('waits for the first page and for the list to be on the page', async () => {
    const l = list(1000, 50, 5);
    const s = scroller(0);
    let shown = false;
    const c = clock({
      tick: () => {
        l.tick();
        shown = l.loaded;
      }
    });
    expect(await restorePosition(l, () => (shown ? s : null), { top: 900, rows: 50 }, c)).toBe(true);
    expect(s.top).toBe(900);
  });

  it('reads at most a bounded number of rows', async () => {
    const l = list(100_000, 50);
    const s = scroller(0);
    await restorePosition(l, () => s, { top: 500_000, rows: 20_000 }, clock(l));
    expect(l.rows.length).toBe(MAX_RESTORED_ROWS);
    expect(s.top).toBe(500_000);
  });

  it('scrolls as far as the list now goes when it holds fewer rows than before', async () => {
    const l = list(120);
    const s = scroller(0);
    expect(await restorePosition(l, () => s, { top: 9000, rows: 300 }, clock(l))).toBe(true);
    expect(l.rows.length).toBe(120);
    expect(s.sets).toEqual([9000]);
  });

  it('leaves a person who scrolled meanwhile where they are', async () => {
    const l = list(1000);
    const s = scroller(0);
    const slow: RestorableList = {
      get rows() {
        return l.rows;
      },
      get loaded() {
        return l.loaded;
      },
      get done() {
        return l.done;
      },
      async loadMore() {
        s.top += 300;
        await l.loadMore();
      }
    };
    expect(await restorePosition(slow, () => s, { top: 5000, rows: 150 }, clock(l))).toBe(false);
    expect(s.sets).toEqual([]);
  });

  it('does nothing at the top, without a snapshot, or when the list never comes', async () => {
    const s = scroller(0);
    expect(await restorePosition(list(100), () => s, { top: 0, rows: 50 }, clock())).toBe(false);
    expect(await restorePosition(list(100), () => s, undefined, clock())).toBe(false);
    const never = list(100, 50, Number.POSITIVE_INFINITY);
    expect(await restorePosition(never, () => s, { top: 800, rows: 50 }, clock(never))).toBe(false);
    expect(s.sets).toEqual([]);
  });

  it('stops reading when a page brings nothing new', async () => {
    const l = list(1000);
    const stuck: RestorableList = {
      rows: l.rows,
      loaded: true,
      done: false,
      loadMore: async () => undefined
    };
    const s = scroller(0);
    expect(await restorePosition(stuck, () => s, { top: 4000, rows: 500 }, clock())).toBe(true);
    expect(s.top).toBe(4000);
  });
});

describe("a page's snapshot handed on to its list component", () => {
  it('captures and restores through the component once it is there, and nothing before', () => {
    const restored: ListPosition[] = [];
    const shown: { component?: { snapshot: { capture: () => ListPosition; restore: (p: ListPosition) => void } } } = {};
    const page = snapshotOf(() => shown.component);
    expect(page.capture()).toBeUndefined();
    page.restore({ top: 400, rows: 50 });
    shown.component = { snapshot: { capture: () => ({ top: 640, rows: 100 }), restore: (p) => void restored.push(p) } };
    expect(page.capture()).toEqual({ top: 640, rows: 100 });
    page.restore(undefined);
    page.restore({ top: 640, rows: 100 });
    expect(restored).toEqual([{ top: 640, rows: 100 }]);
  });
});
