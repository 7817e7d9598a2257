/**
 * The list views find each document's own steps, sub-tasks and invoices through maps built
 * once (`taskRows`, `approvalRows`); they must answer exactly what searching every document
 * for each one answered, for any mix of documents in any order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalRows } from './approval-view';
import { drawn, remaining, type Prislib } from './prislib';
import { taskState, type Task } from './task-flow';
import { taskRows } from './task-view';
import { RULES } from './test-factories';
import { ORG, USER, approvalDocs, taskDocs } from './portal-arbitraries';

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
    fc.assert(
      fc.property(approvalDocs, (all) => {
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
