/**
 * The list views find each document's own steps, sub-tasks and invoices through maps built
 * once (`taskRows`, `approvalRows`); they must answer exactly what searching every document
 * for each one answered, for any mix of documents in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrgInfo, SessionUser } from '../access';
import { TASK_ACTIONS } from '../schemas/tasks';
import { approvalRows, type OrgFinance } from './approval-view';
import { drawn, remaining, type Prislib } from './prislib';
import { taskState, type Task } from './task-flow';
import { taskRows } from './task-view';
import { RULES, decision, doc } from './test-factories';

const AUDIT = { createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z' };

const ORG: OrgInfo & OrgFinance = { id: 'gym-kt', district: 'KT', founder: 'skolstvi' } as OrgInfo & OrgFinance;
const USER: SessionUser = {
  id: 'reditel',
  name: 'Ředitel',
  memberships: [
    { role: 'manager', scope: { kind: 'org', orgId: 'gym-kt' } },
    { role: 'budget', scope: { kind: 'org', orgId: 'gym-kt' } }
  ]
} as unknown as SessionUser;

const time = fc.integer({ min: 0, max: 50 }).map((m) => new Date(Date.UTC(2026, 10, 1, 8, m)).toISOString());

const taskDocs = fc
  .integer({ min: 1, max: 12 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.option(fc.integer({ min: 0, max: n - 1 }), { nil: undefined }), { minLength: n, maxLength: n }),
      fc.array(
        fc.record({
          task: fc.integer({ min: 0, max: n + 1 }),
          action: fc.constantFrom(...TASK_ACTIONS),
          at: time,
          received: fc.option(time, { nil: undefined })
        }),
        { maxLength: 30 }
      )
    )
  )
  .chain(([parents, steps]) => {
    const docs: Record<string, unknown>[] = parents.map((p, i) => ({
      id: `t${i}`,
      type: 'task',
      orgId: 'gym-kt',
      title: `T${i}`,
      createdBy: 'odbor',
      createdAt: '2026-11-01T08:00:00.000Z',
      ...(p !== undefined && p !== i ? { parentId: `t${p}`, assignee: 'ucitel' } : {})
    }));
    steps.forEach((s, i) =>
      docs.push({
        id: `t${s.task}:step:${i}`,
        type: 'task-step',
        orgId: 'gym-kt',
        parentId: `t${s.task}`,
        action: s.action,
        createdBy: 'reditel',
        at: s.at,
        ...(s.received ? { receivedAt: s.received } : {}),
        ...(s.action === 'assign' ? { assignee: 'ucitel' } : {})
      })
    );
    return fc.shuffledSubarray(docs, { minLength: docs.length, maxLength: docs.length });
  });

describe('views that group documents once', () => {
  it('taskRows: each task has the sub-tasks, steps and state of a search through every document', () => {
    fc.assert(
      fc.property(taskDocs, (docs) => {
        const rows = taskRows(docs, [ORG], USER, '2026-11-15T00:00:00.000Z');
        const tasks = docs.filter((d) => d.type === 'task') as unknown as Task[];
        const steps = docs.filter((d) => d.type === 'task-step') as never[];
        expect(rows.map((r) => r.task.id)).toEqual(tasks.map((t) => t.id));
        for (const r of rows) {
          const subTasks = tasks.filter((t) => t.parentId === r.task.id);
          const subsDone = subTasks.every((s) => taskState(s, steps).state === 'confirmed');
          expect(r.subTasks).toEqual(subTasks);
          expect(r.subsDone).toBe(subsDone);
          expect(r.status).toEqual(taskState(r.task, steps, subsDone));
        }
      }),
      { numRuns: 300 }
    );
  });

  it('approvalRows: each příslib has drawn and left what a search through every invoice gives', () => {
    const docs = fc
      .tuple(
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.record({
            prislib: fc.integer({ min: 0, max: 4 }),
            amount: fc.integer({ min: 1, max: 40_000 }),
            rejected: fc.boolean()
          }),
          { maxLength: 20 }
        )
      )
      .map(([prislibs, invoices]) => {
        // As stored: the factories' documents with the fields every stored one has.
        const stored = (d: object) => ({ ...d, orgId: 'gym-kt', ...AUDIT });
        const out: Record<string, unknown>[] = prislibs.map((amount, i) =>
          stored({ ...doc({ id: `p${i}`, type: 'prislib', amount }), number: `P${i}` })
        );
        invoices.forEach((inv, i) => {
          out.push(
            stored({ ...doc({ id: `i${i}`, amount: inv.amount, prislibId: `p${inv.prislib}` }), number: `F${i}` })
          );
          if (inv.rejected)
            out.push(
              stored({
                ...decision({ id: `i${i}:dec:1`, parentId: `i${i}`, step: 'prikazce', createdBy: 'reditel' }),
                type: 'decision',
                verdict: 'reject',
                comment: 'ne'
              })
            );
        });
        return out;
      });
    fc.assert(
      fc.property(docs, (all) => {
        const rows = approvalRows(all, RULES, [ORG], USER);
        const invoices = rows
          .filter((r) => r.doc.type === 'invoice')
          .map((r) => ({ doc: r.doc, state: r.status.state }));
        expect(invoices.some((i) => i.state === 'rejected') || !all.some((d) => d.type === 'decision')).toBe(true);
        for (const r of rows.filter((x) => x.doc.type === 'prislib')) {
          const expected = drawn(r.doc.id, invoices);
          expect(r.drawn).toBe(expected);
          expect(r.remaining).toBe(remaining(r.doc as unknown as Prislib, expected));
        }
      }),
      { numRuns: 300 }
    );
  });
});
