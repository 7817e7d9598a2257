/**
 * 6 and 8. Local query and render with the whole organization on the device (10,000 and
 * 100,000 tickets):
 * - the first render of the list page: the app freshly loaded on another page, then the
 *   navigation link to the list clicked; from the click to the first animation frame after
 *   the rows and the count are in the DOM;
 * - the list's first page and its count through the index, as the page reads them, against
 *   the peers in the same run: `findTickets` (sorted in memory) and the read of every ticket
 *   the page did before (see query-probe.ts), each on a fresh instance of the app's database;
 * - full-text search: the local index built once in the search worker and saved on the device,
 *   then loaded as a later start loads it, then queries answered from it, against a scan of
 *   every ticket.
 */
import { queryProbeBundle, searchWorkerBundle } from '../browser/bundles';
import { freshProfile, loginProfile } from '../lib/browser';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from '../lib/app';
import { json } from '../lib/couch';
import type { Stack } from '../lib/stack';

export interface LocalQueryResult {
  docs: number;
  listed: number;
  /** The first page (50 rows) of the default view through the index. */
  pageMs: number[];
  /** The default view's count through the index. */
  countMs: number[];
  /** Peer: `findTickets` with the default view, sorted in memory. */
  queryMs: number[];
  /** Peer: every ticket read on a fresh instance (`tickets.find()`), the list page's query before. */
  allQueryMs: number[];
  renderMs: number[];
  /** Scrolling the list: intervals between animation frames while it scrolls by a screen a frame. */
  scroll: { frames: number; frameMs: number[]; /** The furthest row reached. */ rows: number } | null;
  search: SearchResult | null;
}

export interface SearchResult {
  /** The index built from every document (the first search on a device), in the search worker. */
  buildMs: number;
  /** Saving it on the device (serialize + IndexedDB write, in the worker). */
  saveMs: number;
  /** A later start: the saved index loaded and the change feed read since its checkpoint. */
  reloadMs: number;
  /** Of which: loading the saved index in the worker. */
  loadMs: number;
  restored: boolean;
  indexed: number;
  /** Each query as the list page answers it: every match, then the first rows of the default view. */
  searchMs: number[];
  /** Of which: the index's answer alone (the view's matches in its order, from the worker). */
  lookupMs?: number[];
  /**
   * The open tickets by creation, priority and title (no index of the device holds those
   * orders): the index's answer with no text and the first rows read by id, each a round.
   */
  orderMs?: number[];
  /** Peer: every match, then the view's first rows walked through its index by key (the way before). */
  walkMs?: number[];
  /** Matches found by the index (all of them, no cap). */
  hits: number[];
  /** Rows shown first (a page, or all of few matches). */
  shown: number[];
  /** Matches the default view admits (open tickets): the length of the ordered answer. */
  counted: number[];
  /** Peer: those counted by walking the view's index by key (the way before). */
  countMs: number[];
  /** Peer: every match read by id and sorted (the page's way with few matches). */
  byIdMs: number[];
  scanMs: number[];
}

/** Words people type: a common one, a rare one, two words, a prefix, no diacritics. */
export const SEARCH_QUERIES = ['tiskarna', 'certifikat schranku', 'toner', 'wi-fi ucebne', 'prihlas', 'skener'];

export async function benchLocalQuery(
  stack: Stack,
  opts: { org: string; user: string; runs: number; syncTimeoutMs?: number; stallMs?: number }
): Promise<LocalQueryResult> {
  const expected = await visibleDocCount(stack.couch, `org_${opts.org}_tickets`);
  const cookie = await stack.login(opts.user);
  const me = await json<{ user: { id: string } }>({ base: `${stack.url}/`, headers: { cookie } }, 'api/me');
  const out: LocalQueryResult = {
    docs: expected,
    listed: 0,
    pageMs: [],
    countMs: [],
    queryMs: [],
    allQueryMs: [],
    renderMs: [],
    scroll: null,
    search: null
  };
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    const page = profile.page;
    await page.goto(`${stack.url}/tickets/new`, { waitUntil: 'commit' });
    await waitForLocalDocs(page, 'tickets', expected, opts.syncTimeoutMs, 50, opts.stallMs);
    await waitForSyncCalm(page);

    for (let run = 0; run < opts.runs; run++) {
      await page.goto(`${stack.url}/tickets/new`);
      await waitForSyncCalm(page);
      const link = page.locator('nav a[href="/tickets"]').first();
      await link.waitFor();
      const ms = await page.evaluate(async () => {
        const link = document.querySelector<HTMLAnchorElement>('nav a[href="/tickets"]')!;
        const rendered = () =>
          document.querySelector('a.ticket') !== null &&
          document.querySelector('[data-testid="ticket-count"]') !== null;
        const start = performance.now();
        const done = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            if (!rendered()) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now()));
          });
          observer.observe(document.body, { subtree: true, childList: true });
        });
        link.click();
        return (await done) - start;
      });
      out.renderMs.push(ms);
    }

    // Scrolling: the list scrolled by half a screen every frame for 2 s (pages load on the way),
    // the gap between animation frames recorded; 60 fps is 16.7 ms a frame.
    await page.locator('a.ticket').first().waitFor();
    out.scroll = await page.evaluate(async () => {
      const viewport = document.querySelector<HTMLElement>('[role="region"] .spacer')?.parentElement;
      if (!viewport) return null;
      const frameMs: number[] = [];
      let last = await new Promise<number>((r) => requestAnimationFrame(r));
      const until = last + 2000;
      while (last < until) {
        viewport.scrollTop += viewport.clientHeight / 2;
        const now = await new Promise<number>((r) => requestAnimationFrame(r));
        frameMs.push(now - last);
        last = now;
      }
      // How far it got: the highest row position rendered.
      const rows = Math.max(
        0,
        ...[...viewport.querySelectorAll('[aria-posinset]')].map((li) => Number(li.getAttribute('aria-posinset')))
      );
      return { frames: frameMs.length, frameMs, rows };
    });

    // The query probe runs in its own page of the same origin, with the app closed, like a new tab.
    await page.goto(`${stack.url}/api/me`);
    await page.addScriptTag({ content: await queryProbeBundle() });
    type Probe = {
      benchListQuery(u: string, mode: 'open' | 'all' | 'page' | 'count'): Promise<{ ms: number; count: number }>;
      benchSearch(u: string, queries: string[], worker: string): Promise<SearchResult>;
    };
    const probe = (userId: string, mode: 'open' | 'all' | 'page' | 'count') =>
      page.evaluate(({ u, m }) => (globalThis as unknown as Probe).benchListQuery(u, m), { u: userId, m: mode });
    for (let run = 0; run < opts.runs; run++) {
      out.pageMs.push((await probe(me.user.id, 'page')).ms);
      const counted = await probe(me.user.id, 'count');
      out.countMs.push(counted.ms);
      out.listed = counted.count;
      out.queryMs.push((await probe(me.user.id, 'open')).ms);
      out.allQueryMs.push((await probe(me.user.id, 'all')).ms);
    }
    const worker = await searchWorkerBundle();
    out.search = await page.evaluate(({ u, q, w }) => (globalThis as unknown as Probe).benchSearch(u, q, w), {
      u: me.user.id,
      q: SEARCH_QUERIES,
      w: worker
    });
  } finally {
    await profile.close();
  }
  return out;
}
