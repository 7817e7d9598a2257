/**
 * Documents of the approvals and tasks collections in any mix and order, for the property
 * tests of the views computed from them (`views-grouping`, the device's projection of the
 * lists' rows). Test-only.
 */
import fc from 'fast-check';
import type { OrgInfo, SessionUser } from '../access';
import { TASK_ACTIONS } from '../schemas/tasks';
import type { OrgFinance } from './approval-view';
import { decision, doc } from './test-factories';

const AUDIT = { createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z' };

export const ORG: OrgInfo & OrgFinance = { id: 'gym-kt', district: 'KT', founder: 'skolstvi' } as OrgInfo & OrgFinance;
export const USER: SessionUser = {
  id: 'reditel',
  name: 'Ředitel',
  memberships: [
    { role: 'manager', scope: { kind: 'org', orgId: 'gym-kt' } },
    { role: 'budget', scope: { kind: 'org', orgId: 'gym-kt' } }
  ]
} as unknown as SessionUser;

const time = fc.integer({ min: 0, max: 50 }).map((m) => new Date(Date.UTC(2026, 10, 1, 8, m)).toISOString());

export const taskDocs = fc
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

/** Příslibs with invoices drawing from them, some invoices rejected, in the order written. */
export const approvalDocs = fc
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
      out.push(stored({ ...doc({ id: `i${i}`, amount: inv.amount, prislibId: `p${inv.prislib}` }), number: `F${i}` }));
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
