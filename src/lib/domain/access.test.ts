import { describe, expect, it } from 'vitest';
import {
  databasesFor,
  membershipActive,
  onHelpdesk,
  pragueDate,
  rolesInOrg,
  type OrgInfo,
  type SessionUser
} from './access';

const orgs: OrgInfo[] = [
  { id: 'gym-kt', district: 'KT', founder: 'skolstvi' },
  { id: 'sos-do', district: 'DO', founder: 'skolstvi' },
  { id: 'old-school', district: 'KT', founder: 'skolstvi', closed: true }
];

const user = (memberships: SessionUser['memberships']): SessionUser => ({ id: 'u', name: 'U', memberships });
const dbs = (u: SessionUser, now: string) => databasesFor(u, orgs, now).filter((d) => d.db.startsWith('org_'));

describe('membership dates', () => {
  it('uses the Prague calendar day', () => {
    expect(pragueDate('2026-11-30T23:30:00Z')).toBe('2026-12-01');
    expect(pragueDate('2026-07-31T21:59:00Z')).toBe('2026-07-31');
  });

  it('gives each instant its own day when asked again within a minute, across midnight, and refuses a non-date', () => {
    expect(pragueDate('2026-11-30T22:59:00.000Z')).toBe('2026-11-30');
    expect(pragueDate('2026-11-30T22:59:59.999Z')).toBe('2026-11-30');
    expect(pragueDate('2026-11-30T23:00:00.000Z')).toBe('2026-12-01');
    expect(pragueDate(Date.parse('2026-11-30T22:59:30Z'))).toBe('2026-11-30');
    expect(pragueDate(new Date('2026-03-29T00:59:59Z'))).toBe('2026-03-29');
    expect(() => pragueDate('not a date')).toThrow(RangeError);
  });

  it.each([
    [{}, '2026-01-01', true],
    [{ validFrom: '2026-02-01' }, '2026-01-31', false],
    [{ validFrom: '2026-02-01' }, '2026-02-01', true],
    [{ validTo: '2026-02-01' }, '2026-02-01', true],
    [{ validTo: '2026-02-01' }, '2026-02-02', false]
  ])('%j on %s → %s', (dates, today, active) => {
    expect(membershipActive({ role: 'requester', org: 'gym-kt', ...dates }, today)).toBe(active);
  });

  it('grants a dated membership only within its days', () => {
    const teacher = user([
      { role: 'requester', org: 'gym-kt', validTo: '2026-08-31' },
      { role: 'requester', org: 'sos-do', validFrom: '2026-09-01' }
    ]);
    expect(dbs(teacher, '2026-08-31T12:00:00Z').map((d) => d.db)).toContain('org_gym-kt_tickets');
    expect(dbs(teacher, '2026-08-31T12:00:00Z').map((d) => d.db)).not.toContain('org_sos-do_tickets');
    expect(dbs(teacher, '2026-09-01T12:00:00Z').map((d) => d.db)).toContain('org_sos-do_tickets');
    expect(dbs(teacher, '2026-09-01T12:00:00Z').map((d) => d.db)).not.toContain('org_gym-kt_tickets');
    expect(rolesInOrg(teacher, orgs[0], '2026-09-01T12:00:00Z')).toEqual([]);
    expect(rolesInOrg(teacher, orgs[1], '2026-09-01T12:00:00Z')).toEqual(['requester']);
  });
});

describe('closed organizations', () => {
  it('are readable by the admin only, and writable by nobody', () => {
    const admin = dbs(user([{ role: 'admin' }]), '2026-01-01T00:00:00Z').filter((d) =>
      d.db.startsWith('org_old-school_')
    );
    expect(admin.length).toBeGreaterThan(0);
    expect(admin.every((d) => !d.write)).toBe(true);
    const contractor = dbs(user([{ role: 'contractor', districts: ['KT'] }]), '2026-01-01T00:00:00Z');
    expect(contractor.some((d) => d.db.startsWith('org_old-school_'))).toBe(false);
    expect(contractor.some((d) => d.db === 'org_gym-kt_tickets' && d.write)).toBe(true);
  });
});

describe('the helpdesk mark of the directory', () => {
  it('is an agent membership in force today', () => {
    const at = '2026-12-05T10:00:00Z';
    expect(onHelpdesk([{ role: 'agent', org: 'ku' }], at)).toBe(true);
    expect(onHelpdesk([{ role: 'agent', org: 'ku', validTo: '2026-12-05' }], at)).toBe(true);
    expect(onHelpdesk([{ role: 'agent', org: 'ku', validFrom: '2027-01-01' }], at)).toBe(false);
    expect(onHelpdesk([{ role: 'agent', org: 'ku', validTo: '2026-12-04' }], at)).toBe(false);
    expect(onHelpdesk([{ role: 'admin' }, { role: 'founder', department: 'skolstvi' }], at)).toBe(false);
  });
});
