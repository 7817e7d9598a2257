/**
 * How long the device takes to project the approvals and tasks lists' rows
 * (`src/lib/db/portal-rows.ts`) from documents already stored, and where the time goes:
 * RxDB in Node, on its memory storage (`--storage dexie`: Dexie over fake-indexeddb, whose
 * cursors cost more the larger the store, unlike a browser's). `--n 10000` documents of each
 * list. Profile with `node --cpu-prof --import tsx bench/diagnose-portal-projection.ts`.
 *
 *   npx tsx bench/diagnose-portal-projection.ts --n 10000
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { openCore } from '../src/lib/db/open-core';
import { copiesFor, demoPortalDocs } from './lib/portal-docs';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const n = Number(arg('n', '2000'));
// fake-indexeddb's cursors slow down with the store's size: `memory` shows the projection's own growth.
const storage =
  arg('storage', 'memory') === 'dexie'
    ? getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange })
    : getRxStorageMemory();
const org = 'gym-kt';
const user = {
  id: 'reditel.gymkt',
  name: 'Ředitel',
  memberships: [{ role: 'manager' as const, scope: { kind: 'org' as const, orgId: org } }]
};

const core = await openCore(
  { user: user as never, databases: [] },
  { storage, emit: () => undefined, multiInstance: false, events: false }
);
const now = new Date().toISOString();
const stamp = (d: Record<string, unknown>) => ({ createdAt: now, updatedAt: now, ...d });
const approvals = copiesFor(demoPortalDocs('approvals', org), n).docs.map(stamp);
const tasks = copiesFor(demoPortalDocs('tasks', org), n).docs.map(stamp);
await core.projector.idle();
let t = performance.now();
// As a sync writes them: batches of a pull.
for (let i = 0; i < approvals.length; i += 500)
  await core.collections.approvals.bulkInsert(approvals.slice(i, i + 500));
for (let i = 0; i < tasks.length; i += 500) await core.collections.tasks.bulkInsert(tasks.slice(i, i + 500));
const stored = performance.now() - t;
t = performance.now();
await core.projector.idle();
const projected = performance.now() - t;
const rows = await core.portalRows.count().exec();
console.log(
  `${approvals.length} approval and ${tasks.length} task documents stored in ${(stored / 1000).toFixed(1)} s; ` +
    `${rows} rows projected ${(projected / 1000).toFixed(1)} s after`
);
await core.close();
