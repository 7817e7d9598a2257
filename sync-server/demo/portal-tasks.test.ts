import { describe, expect, it } from 'vitest';
import { demoDocuments } from './documents';
import type { OrgInfo } from '../../src/lib/domain/access';
import { rollups, taskRows } from '../../src/lib/domain/portal/task-view';

const now = new Date('2026-11-30T09:00:00Z');
const dbs = demoDocuments(now);
const orgs = dbs.find((d) => d.db === 'region_orgs')!.docs as unknown as OrgInfo[];
const tasks = dbs.filter((d) => d.collection === 'tasks').flatMap((d) => d.docs);
const odbor = {
  id: 'odbor.skolstvi',
  name: 'Odbor',
  memberships: [{ role: 'founder' as const, department: 'skolstvi' }]
};
const reditel = { id: 'reditel.gymkt', name: 'Ředitel', memberships: [{ role: 'manager' as const, org: 'gym-kt' }] };
const ucitel = { id: 'ucitel.gymkt', name: 'Učitel', memberships: [{ role: 'requester' as const, org: 'gym-kt' }] };

describe('task roll-up', () => {
  it('the demo issue: n of m done, overdue, who holds each', () => {
    const [issue] = rollups(taskRows(tasks, orgs, odbor, now.toISOString()));
    expect(issue.targets).toHaveLength(5);
    expect(issue.done).toBe(1);
    expect(issue.overdue).toBe(1);
    const byOrg = Object.fromEntries(issue.rows.map((r) => [r.task.orgId, r.holder]));
    expect(byOrg).toMatchObject({ 'gym-tc': 'nobody', 'sos-do': 'director', 'gym-kt': 'worker', 'sps-ro': 'director' });
  });

  it('offers each person only the steps that are theirs', () => {
    const at = now.toISOString();
    const gymkt = (u: typeof odbor | typeof reditel | typeof ucitel) =>
      taskRows(tasks, orgs, u, at).find((r) => r.task.orgId === 'gym-kt')!;
    expect(gymkt(ucitel).actions).toEqual(['done']);
    expect(gymkt(reditel).actions).toEqual(['assign']);
    expect(gymkt(odbor).actions).toEqual([]);
    const sosdo = taskRows(tasks, orgs, odbor, at).find((r) => r.task.orgId === 'sos-do')!;
    expect(sosdo.actions).toEqual([]);
  });
});
