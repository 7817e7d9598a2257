/**
 * What the approvals and tasks lists compute in memory, at growing sizes:
 * - `approvalRows` (every document's state from its decisions under the rule set in force, and
 *   each příslib's remaining amount from its invoices) over all of the user's approval
 *   documents, then the default view's filter and urgency sort;
 * - `taskRows` (every task's state from its steps, its sub-tasks) over all tasks.
 * This is what the pages (and the inbox's sources) recompute on every change, after reading
 * every document from the device's store; that read and `toJSON` of each document come on top
 * and are not measured here.
 *
 *   tsx bench/diagnose-portal-views.ts [sizes, default 1000,5000,10000]
 *
 * The documents are the demo's (gym-kt's approvals: orders, invoices, a příslib, decisions at
 * every step; every school's tasks with their steps), copied under new ids until the wanted
 * number of approval documents, or of tasks, is reached.
 */
import { performance } from 'node:perf_hooks';
import { approvalRows, byUrgency, type OrgFinance } from '../src/lib/domain/portal/approval-view';
import { taskRows } from '../src/lib/domain/portal/task-view';
import { ruleSetFromCatalog, type RuleSet } from '../src/lib/domain/portal/rule-sets';
import { DEMO_RULE_SETS } from '../sync-server/demo/portal';
import { DEMO_ORGS, DEMO_USERS } from '../sync-server/demo/region';
import { copiesFor, demoPortalDocs, listedCount } from './lib/portal-docs';
import { percentile } from './lib/stats';

const base = demoPortalDocs('approvals', 'gym-kt');
const taskBase = demoPortalDocs('tasks');
const ruleSets = DEMO_RULE_SETS.map((r) => ruleSetFromCatalog({ ...r, kind: 'approval-rules' })).filter(
  (r): r is RuleSet => r !== null
);
const orgs = DEMO_ORGS as unknown as OrgFinance[];
const sessionUser = (username: string) => {
  const u = DEMO_USERS.find((x) => x.username === username)!;
  return { id: u.username, name: u.name, memberships: u.memberships };
};
const user = sessionUser('reditel.gymkt');
const issuer = sessionUser('odbor.skolstvi');

const sizes = (process.argv[2] ?? '1000,5000,10000').split(',').map(Number);
console.log(
  `${listedCount(base)} approval documents and ${base.length - listedCount(base)} decisions per copy of the demo`
);
for (const size of sizes) {
  const { docs } = copiesFor(base, size);
  const rowsMs: number[] = [];
  const viewMs: number[] = [];
  let rows = approvalRows(docs, ruleSets, orgs, user);
  let mine = 0;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    rows = approvalRows(docs, ruleSets, orgs, user);
    const t1 = performance.now();
    // The default view ("mine", no other filter) as the page's filterRows gives it.
    mine = rows.filter((r) => r.myStep !== null).sort(byUrgency).length;
    viewMs.push(performance.now() - t1);
    rowsMs.push(t1 - t0);
  }
  console.log(
    `${rows.length} approval documents (${docs.length} with decisions): approvalRows ${percentile(rowsMs, 50).toFixed(1)} ms, ` +
      `"mine" filtered and sorted ${percentile(viewMs, 50).toFixed(1)} ms (${mine} rows) — median of 5`
  );
}
for (const size of sizes) {
  const { docs } = copiesFor(taskBase, size);
  const ms: number[] = [];
  let rows = taskRows(docs, orgs, issuer, new Date().toISOString());
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    rows = taskRows(docs, orgs, issuer, new Date().toISOString());
    ms.push(performance.now() - t0);
  }
  console.log(
    `${rows.length} tasks (${docs.length} with steps): taskRows ${percentile(ms, 50).toFixed(1)} ms — median of 5`
  );
}
