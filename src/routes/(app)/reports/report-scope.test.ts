import { describe, expect, it } from 'vitest';
import type { OrgInfo, SessionUser } from '../../../lib/domain/access';
import type { TicketEvent } from '../../../lib/domain/schemas';
import { inScope, mayViewReports, reportScope } from './report-scope';

const orgs: OrgInfo[] = [
  { id: 'gym-kt', district: 'KT' },
  { id: 'sos-do', district: 'DO' }
];
const user = (id: string, memberships: SessionUser['memberships']): SessionUser => ({ id, name: id, memberships });
const assigned = (userId: string): TicketEvent[] => [
  {
    id: 'e1',
    at: '2026-03-02T07:00:00.000Z',
    by: 'helpdesk',
    kind: 'assign',
    assignee: { queue: 'contractor', userId }
  }
];

describe('who sees which tickets in the reports', () => {
  it('the helpdesk sees every ticket', () => {
    const s = reportScope(user('helpdesk', [{ role: 'agent', org: 'ku' }]), orgs);
    expect(inScope(s, { orgId: 'sos-do', events: [] })).toBe(true);
  });

  it('a manager sees the tickets of their organization only', () => {
    const s = reportScope(user('reditel.gymkt', [{ role: 'manager', org: 'gym-kt' }]), orgs);
    expect(inScope(s, { orgId: 'gym-kt', events: [] })).toBe(true);
    expect(inScope(s, { orgId: 'sos-do', events: [] })).toBe(false);
  });

  it('a contractor sees the tickets assigned to them, not others in their districts', () => {
    const s = reportScope(user('technik.kt', [{ role: 'contractor', districts: ['KT', 'DO'] }]), orgs);
    expect(inScope(s, { orgId: 'gym-kt', events: assigned('technik.kt') })).toBe(true);
    expect(inScope(s, { orgId: 'gym-kt', events: assigned('jiny.technik') })).toBe(false);
    expect(inScope(s, { orgId: 'gym-kt', events: [] })).toBe(false);
  });

  it('a requester has no reports', () => {
    expect(mayViewReports(reportScope(user('ucitel.gymkt', [{ role: 'requester', org: 'gym-kt' }]), orgs))).toBe(false);
  });
});
