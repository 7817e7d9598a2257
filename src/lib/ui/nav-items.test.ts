import { describe, expect, it } from 'vitest';
import type { Membership, SessionUser } from '$lib/domain/access';
import { NAV_ITEMS, currentItem, homeOf, navFor, type NavItem } from './nav-items';

const user = (...memberships: Membership[]): SessionUser => ({ id: 'u', name: 'U', memberships });
const ids = (items: NavItem[]) => items.map((i) => i.id);
const NOW = '2026-11-30T10:00:00Z';

describe('navigation per role', () => {
  it('shows a requester their tickets and the problem report, not the queue or the reports', () => {
    expect(ids(navFor(user({ role: 'requester', org: 'gym-kt' }), NOW))).toEqual(['tickets', 'report']);
  });

  it('shows the helpdesk the queue and the reports', () => {
    expect(ids(navFor(user({ role: 'agent', org: 'ku' }), NOW))).toEqual(['tickets', 'queue', 'report', 'reports']);
  });

  it('shows the approval roles the approvals and lands them there', () => {
    for (const role of ['clerk', 'budget', 'accountant'] as const) {
      const u = user({ role, org: 'gym-kt' });
      expect(ids(navFor(u, NOW)), role).toEqual(['approvals']);
      expect(homeOf(u, { now: NOW })?.href, role).toBe('/approvals');
    }
  });

  it('shows a contractor the queue and the reports (their own payment rows) but no problem report', () => {
    expect(ids(navFor(user({ role: 'contractor', districts: ['KT'] }), NOW))).toEqual(['tickets', 'queue', 'reports']);
  });

  it('shows a manager the reports of their organization', () => {
    expect(ids(navFor(user({ role: 'manager', org: 'gym-kt' }), NOW))).toEqual([
      'tickets',
      'report',
      'approvals',
      'reports'
    ]);
  });

  it('shows nothing of the ticket modules to roles without tickets', () => {
    for (const role of ['dispatcher', 'crew', 'izs', 'founder', 'budget', 'accountant', 'clerk'] as const) {
      const items = navFor(user({ role, org: 'sus', department: 'skolstvi' }), NOW);
      expect(
        ids(items).filter((id) => ['tickets', 'queue', 'report', 'reports'].includes(id)),
        role
      ).toEqual([]);
    }
  });

  it('counts only memberships valid today', () => {
    const expired = user({ role: 'agent', org: 'ku', validTo: '2026-01-31' }, { role: 'requester', org: 'ku' });
    expect(ids(navFor(expired, NOW))).toEqual(['tickets', 'report']);
  });

  it('every row of the table serves some role and links to an app path', () => {
    for (const item of NAV_ITEMS) {
      expect(item.roles.length, item.id).toBeGreaterThan(0);
      expect(item.href.startsWith('/'), item.id).toBe(true);
      if (item.home !== undefined) expect(item.homeFor?.length, item.id).toBeGreaterThan(0);
    }
    expect(new Set(NAV_ITEMS.map((i) => i.id)).size).toBe(NAV_ITEMS.length);
  });
});

describe('home page per role', () => {
  it('sends the helpdesk and contractors to the queue, requesters and managers to their tickets', () => {
    expect(homeOf(user({ role: 'agent', org: 'ku' }), { now: NOW })?.href).toBe('/queue');
    expect(homeOf(user({ role: 'contractor', districts: ['KT'] }), { now: NOW })?.href).toBe('/queue');
    expect(homeOf(user({ role: 'requester', org: 'gym-kt' }), { now: NOW })?.href).toBe('/tickets');
    expect(homeOf(user({ role: 'manager', org: 'gym-kt' }), { now: NOW })?.href).toBe('/tickets');
  });

  it('sends an administrator to the administration', () => {
    const admin = user({ role: 'admin' });
    expect(ids(navFor(admin, NOW))).toContain('admin');
    expect(homeOf(admin, { now: NOW })?.href).toBe('/admin');
    expect(ids(navFor(user({ role: 'agent', org: 'ku' }), NOW))).not.toContain('admin');
  });

  it('takes the strongest home when a person holds several roles', () => {
    const both = user({ role: 'requester', org: 'ku' }, { role: 'agent', org: 'ku' });
    expect(homeOf(both, { now: NOW })?.href).toBe('/queue');
  });

  it('never sends a role without tickets to the ticket list', () => {
    for (const role of ['dispatcher', 'crew', 'izs', 'founder', 'budget', 'accountant'] as const) {
      expect(homeOf(user({ role, org: 'sus', department: 'skolstvi' }), { now: NOW })?.id, role).not.toBe('tickets');
    }
  });

  it('makes an inbox row the home only while it has work in it', () => {
    const inbox: NavItem = {
      id: 'inbox',
      href: '/tickets',
      label: 'nav_tickets',
      icon: '',
      roles: ['requester', 'izs'],
      homeFor: ['requester', 'izs'],
      home: 0,
      homeNeedsWork: true
    };
    // IZS without its winter hand-off row: a role with no other home.
    const items = [...NAV_ITEMS.filter((i) => !i.id.startsWith('winter-')), inbox];
    const izs = user({ role: 'izs' });
    expect(homeOf(izs, { now: NOW, items })).toBeUndefined();
    expect(homeOf(izs, { now: NOW, items, work: new Set(['inbox']) })?.id).toBe('inbox');
    const requester = user({ role: 'requester', org: 'gym-kt' });
    expect(homeOf(requester, { now: NOW, items })?.id).toBe('tickets');
    expect(homeOf(requester, { now: NOW, items, work: new Set(['inbox']) })?.id).toBe('inbox');
  });
});

describe('current row', () => {
  it('is the most specific prefix of the path', () => {
    expect(currentItem(NAV_ITEMS, '/tickets/report')?.id).toBe('report');
    expect(currentItem(NAV_ITEMS, '/tickets/abc')?.id).toBe('tickets');
    expect(currentItem(NAV_ITEMS, '/reports/contractors')?.id).toBe('reports');
    expect(currentItem(NAV_ITEMS, '/ticketsx')).toBeUndefined();
  });
});
