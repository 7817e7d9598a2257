/**
 * The device's projection of the approvals and tasks lists' rows must show what computing
 * them from every document shows (`approvalRows`, `taskRows`), whatever the order and the
 * batches in which the documents arrive, after deletions, and after what every row depends
 * on changes (a new generation replaces every row). A real local database (memory storage).
 */
import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { removeRxDatabase, type RxCollection, type RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { approvalRows, type ApprovalRow } from '../domain/portal/approval-view';
import { filterRows } from '../../routes/(app)/approvals/approval-list';
import { approvalListPlan, myTasksPlan, type ApprovalFilter } from '../ui/portal/portal-lists';
import { indexReader } from '../ui/list/index-reader';
import { isDone, nextPage, startCursor, type ListPlan } from '../ui/list/keyset';
import { ORG, USER, approvalDocs, taskDocs } from '../domain/portal/portal-arbitraries';
import { RULES } from '../domain/portal/test-factories';
import { viewRowOf, type PortalRowDoc } from '../domain/portal/portal-row';
import { taskRows, type TaskRow } from '../domain/portal/task-view';
import { rxDatabaseName } from './local-names';
import { openCore, type CoreDb } from './open-core';
import { regionKey } from './region';

type Doc = Record<string, unknown>;
// Both storages: on RxDB's Dexie storage (over fake-indexeddb) new rows go straight into the
// table (`direct-insert.ts`); on the memory storage through RxDB's insert. The properties run
// their many cases on memory and fewer on fake-indexeddb, several times slower, where they
// check the storage's own write path rather than the projection's rules.
const STORAGES: [string, RxStorage<unknown, unknown>, number][] = [
  ['memory storage', getRxStorageMemory(), 1],
  ['Dexie storage', getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }), 0.4]
];
const NOW = '2026-11-15T00:00:00.000Z';

async function deviceOn(storage: RxStorage<unknown, unknown>): Promise<CoreDb> {
  const core = await openCore(
    { user: USER, databases: [] },
    { storage, emit: () => undefined, multiInstance: false, events: false }
  );
  await core.collections.region.bulkInsert([
    { ...ORG, key: regionKey('orgs', ORG.id), regionKind: 'orgs' },
    // The rule sets as the catalog carries them.
    ...RULES.map(({ id, name, effectiveFrom, ...approvalRules }) => ({
      id,
      name,
      effectiveFrom,
      kind: 'approval-rules',
      approvalRules,
      key: regionKey('catalog', id),
      regionKind: 'catalog'
    }))
  ]);
  return core;
}

async function discardOn(core: CoreDb, storage: RxStorage<unknown, unknown>) {
  await core.close();
  await removeRxDatabase(rxDatabaseName(USER.id), storage);
}

async function listed(core: CoreDb): Promise<PortalRowDoc[]> {
  await core.projector.idle();
  const rows = await core.portalRows.find().exec();
  return rows.map((r) => r.toJSON() as unknown as PortalRowDoc).filter((r) => r.kind !== 'waiting');
}

/** Writes documents in the given batches, the projector taking in each before the next. */
async function write(core: CoreDb, collection: RxCollection, docs: Doc[], cuts: number[]) {
  let at = 0;
  for (const cut of [...cuts, docs.length]) {
    const batch = docs.slice(at, Math.max(at, cut));
    at = Math.max(at, cut);
    if (batch.length) await collection.bulkInsert(batch.map((d) => ({ updatedAt: NOW, ...d })));
    await core.projector.idle();
  }
}

/** Every row of a list plan, read through the index a few at a time as the list pages. */
async function walk(core: CoreDb, plan: ListPlan<PortalRowDoc>): Promise<PortalRowDoc[]> {
  await core.projector.idle();
  const reader = indexReader<PortalRowDoc>(core.portalRows, plan.index, plan.direction);
  const out: PortalRowDoc[] = [];
  let cursor = startCursor(plan);
  while (!isDone(cursor)) {
    const page = await nextPage(plan, reader, cursor, 3);
    out.push(...page.rows);
    if (page.rows.length < 3) break;
    cursor = page.cursor;
  }
  return out;
}

/** `byUrgency` with ties by id: what waits for me, then by due day (none last), then newest. */
const urgencyOrder = (a: ApprovalRow, b: ApprovalRow) =>
  Number(!a.myStep) - Number(!b.myStep) ||
  (a.doc.dueDate || '9999').localeCompare(b.doc.dueDate || '9999') ||
  b.doc.createdAt.localeCompare(a.doc.createdAt) ||
  a.doc.id.localeCompare(b.doc.id);

/** Tasks of the organization with no steps, parents or sub-tasks. */
const plainTasks = (n: number): Doc[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    type: 'task',
    orgId: ORG.id,
    title: `T${i}`,
    createdBy: 'odbor',
    createdAt: NOW
  }));

const withoutClock = (r: TaskRow) => ({ ...r, overdue: undefined });
const byKey = <T>(rows: T[], key: (r: T) => string) => new Map(rows.map((r) => [key(r), r]));
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const cutsOf = fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }).map((c) => c.sort((a, b) => a - b));

describe.each(STORAGES)('the projection of the approvals and tasks lists (%s)', (_name, storage, share) => {
  const runs = (n: number) => Math.ceil(n * share);
  const device = () => deviceOn(storage);
  const discard = (core: CoreDb) => discardOn(core, storage);

  it('holds the rows computed from every document, whatever the order and the batches', async () => {
    await fc.assert(
      fc.asyncProperty(approvalDocs, taskDocs, cutsOf, async (approvals, tasks, cuts) => {
        const core = await device();
        try {
          await write(core, core.collections.approvals, approvals, cuts);
          await write(core, core.collections.tasks, tasks, cuts);
          const rows = await listed(core);
          // Stored compactly: no row holds its own documents twice.
          for (const r of rows) expect(JSON.stringify(r.row)).not.toContain(JSON.stringify(r.source));
          const unsent = new Set([...approvals, ...tasks].map((d) => String(d.id)));

          const stored = (await core.collections.approvals.find().exec()).map((d) => d.toJSON() as Doc);
          const expectedApprovals = approvalRows(stored, RULES, [ORG], USER, unsent);
          const gotApprovals = rows.filter((r) => r.kind === 'approval');
          expect(byKey(plain(gotApprovals.map((r) => viewRowOf<ApprovalRow>(r))), (r) => r.doc.id)).toEqual(
            byKey(plain(expectedApprovals), (r) => r.doc.id)
          );

          const storedTasks = (await core.collections.tasks.find().exec()).map((d) => d.toJSON() as Doc);
          const expectedTasks = taskRows(storedTasks, [ORG], USER, NOW, unsent).map(withoutClock);
          const gotTasks = rows.filter((r) => r.kind === 'task').map((r) => withoutClock(viewRowOf<TaskRow>(r)));
          expect(byKey(plain(gotTasks), (r) => r.task.id)).toEqual(byKey(plain(expectedTasks), (r) => r.task.id));
        } finally {
          await discard(core);
        }
      }),
      { numRuns: runs(30) }
    );
  }, 120_000);

  it('lists through the indexes what filtering every row gives, in urgency order', async () => {
    const filters = fc.record<ApprovalFilter>({
      view: fc.constantFrom('mine', 'all'),
      state: fc.constantFrom('', 'pending', 'approved', 'rejected'),
      text: fc.constantFrom('', 'f1', 'p'),
      minAmount: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: undefined })
    });
    const dated = approvalDocs.chain((docs) =>
      fc
        .tuple(
          fc.array(fc.integer({ min: 0, max: 5 }), { minLength: docs.length, maxLength: docs.length }),
          fc.array(fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), {
            minLength: docs.length,
            maxLength: docs.length
          })
        )
        .map(([created, due]) =>
          docs.map((d, i): Doc => ({
            ...d,
            createdAt: `2026-11-0${created[i] + 1}T08:00:00.000Z`,
            ...(due[i] && d.type !== 'decision' ? { dueDate: `2026-12-0${due[i]}` } : {})
          }))
        )
    );
    await fc.assert(
      fc.asyncProperty(dated, fc.array(filters, { minLength: 1, maxLength: 4 }), async (docs, fs) => {
        const core = await device();
        try {
          await core.collections.approvals.bulkInsert(docs);
          const all = approvalRows(docs, RULES, [ORG], USER, new Set(docs.map((d) => String(d.id))));
          for (const f of fs) {
            const got = (await walk(core, approvalListPlan(f))).map((r) => r.id);
            expect(got).toEqual(
              filterRows(all, f)
                .sort(urgencyOrder)
                .map((r) => r.doc.id)
            );
          }
          const tasks = (await walk(core, myTasksPlan(undefined))).map((r) => r.id);
          expect(tasks).toEqual([]);
        } finally {
          await discard(core);
        }
      }),
      { numRuns: runs(25) }
    );
  }, 120_000);

  it('follows deletions: a removed decision changes its document’s row, a removed document leaves the list', async () => {
    const core = await device();
    try {
      const base = { orgId: ORG.id, createdAt: NOW, updatedAt: NOW, currency: 'CZK', round: 1 };
      await core.collections.approvals.bulkInsert([
        { ...base, id: 'p1', type: 'prislib', number: 'P1', amount: 10_000, registeredOn: '2026-11-01' },
        {
          ...base,
          id: 'i1',
          type: 'invoice',
          number: 'F1',
          amount: 4_000,
          prislibId: 'p1',
          registeredOn: '2026-11-02'
        },
        {
          ...base,
          id: 'i1:dec:1',
          type: 'decision',
          parentId: 'i1',
          step: 'prikazce',
          verdict: 'reject',
          role: 'manager',
          createdBy: USER.id,
          decidedAt: NOW,
          comment: 'ne'
        }
      ]);
      const row = async (id: string) =>
        viewRowOf<ApprovalRow | undefined>((await listed(core)).find((r) => r.id === id) ?? { children: [] });
      expect((await row('i1'))?.status.state).toBe('rejected');
      expect((await row('p1'))?.remaining).toBe(10_000);

      await (await core.collections.approvals.findOne('i1:dec:1').exec())!.remove();
      expect((await row('i1'))?.status.state).toBe('pending');
      expect((await row('p1'))?.remaining).toBe(6_000);

      await (await core.collections.approvals.findOne('i1').exec())!.remove();
      expect(await row('i1')).toBeUndefined();
      expect((await row('p1'))?.remaining).toBe(10_000);
    } finally {
      await discard(core);
    }
  });

  it('says while it catches up with many documents, and stops saying it once the rows are in', async () => {
    const core = await device();
    try {
      const seen: boolean[] = [];
      const sub = core.projector.filling$.subscribe((f) => seen.push(f));
      // One bulk write of half again the projector's threshold (1,000 documents read in one pass).
      await write(core, core.collections.tasks, plainTasks(1_500), []);
      expect(await listed(core)).toHaveLength(1_500);
      sub.unsubscribe();
      expect(seen).toContain(true);
      expect(seen.at(-1)).toBe(false);
    } finally {
      await discard(core);
    }
    // 1,500 documents on fake-indexeddb take seconds alone, several times that beside the other test files.
  }, 120_000);

  it('computes every row again, in a new generation, when an organization changes', async () => {
    const core = await device();
    try {
      await write(core, core.collections.tasks, plainTasks(30), []);
      const before = await listed(core);
      expect(before).toHaveLength(30);
      const org = await core.collections.region.findOne(regionKey('orgs', ORG.id)).exec();
      await org!.incrementalPatch({ name: 'Gymnázium, nový název' });
      const after = await listed(core);
      expect(after).toHaveLength(30);
      expect(new Set(after.map((r) => r.gen))).toEqual(new Set([before[0].gen + 1]));
      // Nothing of the old generation is left, not even removed rows waiting in the list's indexes.
      // (Read, not counted: Dexie's storage counts only through an index.)
      expect(await core.portalRows.find({ selector: { gen: before[0].gen } }).exec()).toHaveLength(0);
    } finally {
      await discard(core);
    }
  });
});
