/**
 * 10. The approvals and tasks lists with many documents on the device. The demo's documents
 * of the organization (gym-kt: orders, invoices, a příslib, decisions at every step; its task
 * with its steps) are copied under new ids into its databases until they hold the wanted
 * number of approval documents and of tasks, straight into CouchDB as an import would. The
 * organization's director (who decides approvals and holds tasks) syncs them, then, from
 * another page of the running app, clicks the navigation link to each list: from the click to
 * the first frame with its first row in the DOM. Both lists still read every document and
 * compute every row in memory (see the README), so this is the figure their paging would move.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { orgDb } from '../../src/lib/domain/databases';
import { freshProfile, loginProfile } from '../lib/browser';
import { visibleDocCount, waitForInboxLoaded, waitForLocalDocs, waitForSyncCalm, watchStoredDocs } from '../lib/app';
import { bulkInsert } from '../lib/couch';
import { pageSpeedMs } from '../lib/speed-probe';
import { copiesFor, demoPortalDocs, listedCount, type PortalDoc } from '../lib/portal-docs';
import type { Stack } from '../lib/stack';

export interface PortalListsResult {
  approvals: number;
  approvalDocs: number;
  tasks: number;
  taskDocs: number;
  approvalsMs: number[];
  tasksMs: number[];
  approvalRows: number;
  taskRows: number;
  /** From the last document stored on the device to the last row projected from them. */
  projectedAfterMs: number;
  /**
   * The speed probe in the page before each round of clicks (ms, lower is faster): a slow round
   * with a slow probe was a slow machine or renderer, not a slow list.
   */
  pageSpeedMs: number[];
  /** What each click fetched and how the server's event loop fared meanwhile (`clickCircumstances`). */
  clicks: ClickCircumstances[];
}

/**
 * The circumstances of one click, kept so that a slow run explains itself: the files of the
 * route (each from the service worker's precache by its static route, or not), any fetched for
 * a preload that was still running when the click came, and the longest pause of the event loop
 * of this process, which hosts the server.
 */
export interface ClickCircumstances {
  list: string;
  ms: number;
  files: number;
  /** Files not answered from the precache by the worker's static route. */
  notFromPrecache: number;
  /** Files whose fetch had started before the click (a preload in flight). */
  startedBefore: number;
  longestFileMs: number;
  serverLoopDelayMaxMs: number;
}

/** The resource entries of the click that took `ms` and just ended. */
async function fetchedDuring(
  page: Page,
  ms: number
): Promise<Omit<ClickCircumstances, 'list' | 'ms' | 'serverLoopDelayMaxMs'>> {
  return page.evaluate((ms) => {
    const clickAt = (globalThis as unknown as { benchClickAt: number }).benchClickAt;
    // A preload started up to a second before the click still competes with it.
    const entries = (
      performance.getEntriesByType('resource') as (PerformanceResourceTiming & { workerMatchedSourceType?: string })[]
    ).filter((e) => e.responseEnd >= clickAt && e.startTime >= clickAt - 1000 && e.startTime <= clickAt + ms);
    return {
      files: entries.length,
      notFromPrecache: entries.filter((e) => e.workerMatchedSourceType !== 'cache').length,
      startedBefore: entries.filter((e) => e.startTime < clickAt).length,
      longestFileMs: Math.round(Math.max(0, ...entries.map((e) => e.duration)) * 10) / 10
    };
  }, ms);
}

/** First frame with `row` in the DOM after the navigation link to `href` is clicked. */
export async function openFromNav(page: Page, href: string, row: string): Promise<number> {
  await page.locator(`nav a[href="${href}"]`).first().waitFor();
  return page.evaluate(
    async ({ href, row }) => {
      const link = document.querySelector<HTMLAnchorElement>(`nav a[href="${href}"]`)!;
      const start = performance.now();
      // For `fetchedDuring`: the click's own start, which the page's clock knows exactly.
      (globalThis as { benchClickAt?: number }).benchClickAt = start;
      const done = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector(row)) return;
          observer.disconnect();
          requestAnimationFrame(() => resolve(performance.now()));
        });
        observer.observe(document.body, { subtree: true, childList: true });
      });
      link.click();
      return (await done) - start;
    },
    { href, row }
  );
}

/** Copies the demo's approvals and tasks of `org` into its databases until each holds about `n` (see above). */
export async function seedPortalDocs(
  stack: Stack,
  org: string,
  n: { approvals: number; tasks: number }
): Promise<{ approvals: number; approvalDocs: number; tasks: number; taskDocs: number }> {
  const approvalBase = demoPortalDocs('approvals', org);
  const taskBase = demoPortalDocs('tasks', org);
  const approvalDb = orgDb(org, 'approvals');
  const taskDb = orgDb(org, 'tasks');
  const approvalCopies = copiesFor(approvalBase, n.approvals);
  const taskCopies = copiesFor(taskBase, n.tasks);
  const stored = ({ id, ...d }: PortalDoc) => ({ _id: id, ...d });
  await bulkInsert(stack.couch, approvalDb, approvalCopies.docs.map(stored));
  await bulkInsert(stack.couch, taskDb, taskCopies.docs.map(stored));
  return {
    // The copies and the demo's own documents.
    approvals: approvalCopies.listed + listedCount(approvalBase),
    approvalDocs: await visibleDocCount(stack.couch, approvalDb),
    tasks: taskCopies.listed + listedCount(taskBase),
    taskDocs: await visibleDocCount(stack.couch, taskDb)
  };
}

export async function benchPortalLists(
  stack: Stack,
  opts: { org: string; user: string; approvals: number; tasks: number; runs: number }
): Promise<PortalListsResult> {
  const seeded = await seedPortalDocs(stack, opts.org, opts);
  const { approvalDocs, taskDocs } = seeded;
  const out: PortalListsResult = {
    ...seeded,
    approvalsMs: [],
    tasksMs: [],
    approvalRows: 0,
    taskRows: 0,
    projectedAfterMs: 0,
    pageSpeedMs: [],
    clicks: []
  };
  // The server's event loop during each click; off again whatever happens, so that a failed
  // round leaves no 5 ms timer running under the scenarios after it.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    await watchStoredDocs(profile.page, ['approvals', 'tasks', 'portalrows']);
    const page = profile.page;
    await page.goto(`${stack.url}/account`, { waitUntil: 'commit' });
    const stored = Math.max(
      await waitForLocalDocs(page, 'approvals', approvalDocs),
      await waitForLocalDocs(page, 'tasks', taskDocs)
    );
    // The lists read the rows the device projects from those documents (`portal-rows.ts`):
    // measured once they are all there, as a person opening the lists later would find them.
    out.projectedAfterMs = (await waitForLocalDocs(page, 'portalrows', seeded.approvals + seeded.tasks)) - stored;
    await waitForSyncCalm(page);
    // Each click from a page whose own start-up reads are done (the inbox badge's sources,
    // `waitForInboxLoaded`): clicked before, it met them (330–530 cursor steps over the rows
    // waiting for the director, counted in the page), in some runs and not in others.
    const settled = async () => {
      await page.goto(`${stack.url}/account`);
      await waitForSyncCalm(page);
      await waitForInboxLoaded(page);
    };
    loop.enable();
    const click = async (list: string, row: string) => {
      loop.reset();
      const ms = await openFromNav(page, `/${list}`, row);
      const serverLoopDelayMaxMs = Math.round(loop.max / 1e5) / 10;
      out.clicks.push({ list, ms, ...(await fetchedDuring(page, ms)), serverLoopDelayMaxMs });
      return ms;
    };
    for (let run = 0; run < opts.runs; run++) {
      // Before the navigation that starts the round, so that the probe's garbage goes with the page.
      out.pageSpeedMs.push(await pageSpeedMs(page));
      await settled();
      out.approvalsMs.push(await click('approvals', '[data-testid="approval-row"]'));
      out.approvalRows = await page.locator('[data-testid="approval-row"]').count();
      await settled();
      out.tasksMs.push(await click('tasks', '[data-testid="task-row"]'));
      out.taskRows = await page.locator('[data-testid="task-row"]').count();
    }
  } finally {
    loop.disable();
    await profile.close();
  }
  return out;
}
