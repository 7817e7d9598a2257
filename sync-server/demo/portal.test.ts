import { describe, expect, it } from 'vitest';
import { approvalStatus, type ApprovalDoc, type Decision } from '../../src/lib/domain/portal/approval';
import { checkShape } from '../../src/lib/domain/portal/approval-docs';
import { ruleSetFromCatalog, type RuleSet } from '../../src/lib/domain/portal/rule-sets';
import { taskState, type Task, type TaskStep } from '../../src/lib/domain/portal/task-flow';
import { demoDocuments } from './documents';

const dbs = demoDocuments(new Date('2026-11-30T09:00:00Z'));
const docsOf = (db: string) => dbs.find((d) => d.db === db)?.docs ?? [];
const ruleSets = docsOf('region_catalog').flatMap((d) => ruleSetFromCatalog(d) ?? []) as RuleSet[];
const orgs = new Map(docsOf('region_orgs').map((o) => [o.id, o]));

function states(orgId: string) {
  const docs = docsOf(`org_${orgId}_approvals`);
  const decisions = docs.filter((d) => d.type === 'decision') as unknown as Decision[];
  const org = orgs.get(orgId)!;
  const flags = {
    allowBudgetAccountantSamePerson: org.allowBudgetAccountantSamePerson === true,
    invoicesNeedBudget: org.invoicesNeedBudget === true
  };
  return docs
    .filter((d) => d.type !== 'decision')
    .map((d) => {
      const st = approvalStatus(d as unknown as ApprovalDoc, decisions, ruleSets, flags);
      return {
        doc: d,
        st,
        valid: decisions.filter((x) => x.parentId === d.id && x.round === d.round).length === st.current.length
      };
    });
}

describe('portal demo', () => {
  it('has both rule sets, 231/2025 from 2027-01-01', () => {
    expect(ruleSets.map((r) => [r.act, r.effectiveFrom])).toEqual([
      ['320/2001 Sb.', '2001-01-01'],
      ['231/2025 Sb.', '2027-01-01']
    ]);
  });

  it.each(['gym-kt', 'sus'])('%s: a dozen documents at every step, every decision valid under the rules', (orgId) => {
    const all = states(orgId);
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const d of docsOf(`org_${orgId}_approvals`)) expect(checkShape(d), d.id).toBeNull();
    for (const { doc, valid } of all) expect(valid, doc.id).toBe(true);
    const seen = new Set(all.map(({ st }) => (st.state === 'pending' ? `pending:${st.nextStep}` : st.state)));
    expect(seen).toEqual(new Set(['pending:prikazce', 'pending:spravce', 'pending:ucetni', 'approved', 'rejected']));
    expect(all.some(({ doc, st }) => doc.round === 2 && st.state !== 'rejected')).toBe(true);
  });

  it('a příslib is half drawn', () => {
    const all = states('gym-kt');
    const p = all.find(({ doc }) => doc.type === 'prislib')!;
    const drawn = all.filter(({ doc }) => doc.prislibId === p.doc.id).reduce((s, { doc }) => s + Number(doc.amount), 0);
    expect(drawn * 2).toBe(p.doc.amount);
  });

  it('the education department’s task: one accepted back, one returned, one overdue, one not yet passed down', () => {
    const byOrg = dbs
      .filter((d) => d.collection === 'tasks')
      .map((d) => {
        const task = d.docs.find((x) => x.type === 'task') as unknown as Task;
        const st = taskState(task, d.docs.filter((x) => x.type === 'task-step') as unknown as TaskStep[]);
        expect(st.steps.length, task.id).toBe(d.docs.length - 1);
        return { org: task.orgId, state: st.state, overdue: task.dueAt! < '2026-11-30T09:00:00Z' };
      });
    expect(byOrg.find((t) => t.org === 'gym-tc')?.state).toBe('closed');
    expect(byOrg.find((t) => t.org === 'sos-do')?.state).toBe('returned');
    expect(byOrg.find((t) => t.org === 'sps-ro')?.state).toBe('new');
    expect(byOrg.find((t) => t.org === 'gym-pj')?.overdue).toBe(true);
  });
});
