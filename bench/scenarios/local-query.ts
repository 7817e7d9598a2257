/**
 * 6. Local query and render with the whole organization on the device:
 * - the list query: the app's `findTickets` with the list's default view (open tickets,
 *   latest change first) on a fresh instance of the app's database (see query-probe.ts);
 * - the first render of the list page: the app freshly loaded on another page, then the
 *   navigation link to the list clicked; from the click to the first animation frame after
 *   the rows and the count are in the DOM.
 */
import { queryProbeBundle } from '../browser/bundles';
import { freshProfile, loginProfile } from '../lib/browser';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from '../lib/app';
import { json } from '../lib/couch';
import type { Stack } from '../lib/stack';

export interface LocalQueryResult {
  docs: number;
  listed: number;
  queryMs: number[];
  /** Every ticket read on a fresh instance (`tickets.find()`): the list page's own query. */
  allQueryMs: number[];
  renderMs: number[];
}

export async function benchLocalQuery(
  stack: Stack,
  opts: { org: string; user: string; runs: number }
): Promise<LocalQueryResult> {
  const expected = await visibleDocCount(stack.couch, `org_${opts.org}_tickets`);
  const cookie = await stack.login(opts.user);
  const me = await json<{ user: { id: string } }>({ base: `${stack.url}/`, headers: { cookie } }, 'api/me');
  const out: LocalQueryResult = { docs: expected, listed: 0, queryMs: [], allQueryMs: [], renderMs: [] };
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    const page = profile.page;
    await page.goto(`${stack.url}/tickets/new`, { waitUntil: 'commit' });
    await waitForLocalDocs(page, 'tickets', expected);
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

    // The query probe runs in its own page of the same origin, with the app closed, like a new tab.
    await page.goto(`${stack.url}/api/me`);
    await page.addScriptTag({ content: await queryProbeBundle() });
    for (let run = 0; run < opts.runs; run++) {
      type Probe = { benchListQuery(u: string, mode: 'open' | 'all'): Promise<{ ms: number; count: number }> };
      const r = await page.evaluate(
        (userId) => (globalThis as unknown as Probe).benchListQuery(userId, 'open'),
        me.user.id
      );
      out.queryMs.push(r.ms);
      out.listed = r.count;
      const all = await page.evaluate(
        (userId) => (globalThis as unknown as Probe).benchListQuery(userId, 'all'),
        me.user.id
      );
      out.allQueryMs.push(all.ms);
    }
  } finally {
    await profile.close();
  }
  return out;
}
