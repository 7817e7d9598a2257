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
import type { Page } from 'playwright-core';
import { orgDb } from '../../src/lib/domain/databases';
import { portalSamples } from '../../sync-server/demo/portal';
import { freshProfile, loginProfile } from '../lib/browser';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from '../lib/app';
import { bulkInsert } from '../lib/couch';
import type { Stack } from '../lib/stack';

type Doc = Record<string, unknown> & { id: string };

export interface PortalListsResult {
  approvals: number;
  approvalDocs: number;
  tasks: number;
  taskDocs: number;
  approvalsMs: number[];
  tasksMs: number[];
  approvalRows: number;
  taskRows: number;
}

const PARENT_TYPES = new Set(['order', 'invoice', 'prislib', 'task']);

/** `n` copies of `docs` with every id renamed (children keep their parent's id as prefix). */
function copies(docs: readonly Doc[], n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const parents = docs.filter((d) => PARENT_TYPES.has(String(d.type))).map((d) => d.id);
  for (let i = 0; i < n; i++) {
    const rename = (id: string) => {
      const parent = parents.find((p) => id === p || id.startsWith(`${p}:`));
      return parent ? `${parent}-b${i}${id.slice(parent.length)}` : `${id}-b${i}`;
    };
    for (const { id, ...d } of docs) {
      const c: Record<string, unknown> = { ...d, _id: rename(id) };
      if (typeof d.parentId === 'string') c.parentId = rename(d.parentId);
      if (typeof d.prislibId === 'string') c.prislibId = rename(d.prislibId);
      if (typeof d.number === 'string') c.number = `${d.number}/${i}`;
      if (typeof d.issueId === 'string') c.issueId = `${d.issueId}-b${i}`;
      out.push(c);
    }
  }
  return out;
}

/** First frame with `row` in the DOM after the navigation link to `href` is clicked. */
export async function openFromNav(page: Page, href: string, row: string): Promise<number> {
  await page.locator(`nav a[href="${href}"]`).first().waitFor();
  return page.evaluate(
    async ({ href, row }) => {
      const link = document.querySelector<HTMLAnchorElement>(`nav a[href="${href}"]`)!;
      const start = performance.now();
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
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const samples = portalSamples(at).get(org) ?? [];
  const of = (collection: string) => samples.filter((s) => s.collection === collection).flatMap((s) => s.docs);
  const approvalBase = of('approvals');
  const taskBase = of('tasks');
  const perCopy = (docs: Doc[], types: string[]) => docs.filter((d) => types.includes(String(d.type))).length;
  const approvalDb = orgDb(org, 'approvals');
  const taskDb = orgDb(org, 'tasks');
  const approvalsPerCopy = perCopy(approvalBase, ['order', 'invoice', 'prislib']);
  const tasksPerCopy = perCopy(taskBase, ['task']);
  const approvalCopies = Math.ceil(n.approvals / approvalsPerCopy);
  const taskCopies = Math.ceil(n.tasks / tasksPerCopy);
  await bulkInsert(stack.couch, approvalDb, copies(approvalBase, approvalCopies));
  await bulkInsert(stack.couch, taskDb, copies(taskBase, taskCopies));
  return {
    // The copies and the demo's own documents.
    approvals: (approvalCopies + 1) * approvalsPerCopy,
    approvalDocs: await visibleDocCount(stack.couch, approvalDb),
    tasks: (taskCopies + 1) * tasksPerCopy,
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
    taskRows: 0
  };
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    const page = profile.page;
    await page.goto(`${stack.url}/account`, { waitUntil: 'commit' });
    await waitForLocalDocs(page, 'approvals', approvalDocs);
    await waitForLocalDocs(page, 'tasks', taskDocs);
    await waitForSyncCalm(page);
    for (let run = 0; run < opts.runs; run++) {
      await page.goto(`${stack.url}/account`);
      await waitForSyncCalm(page);
      out.approvalsMs.push(await openFromNav(page, '/approvals', '[data-testid="approval-row"]'));
      out.approvalRows = await page.locator('[data-testid="approval-row"]').count();
      await page.goto(`${stack.url}/account`);
      await waitForSyncCalm(page);
      out.tasksMs.push(await openFromNav(page, '/tasks', '[data-testid="task-row"]'));
      out.taskRows = await page.locator('[data-testid="task-row"]').count();
    }
  } finally {
    await profile.close();
  }
  return out;
}
