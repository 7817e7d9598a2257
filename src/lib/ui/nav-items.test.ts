import { describe, expect, it } from 'vitest';
import type { Membership, SessionUser } from '$lib/domain/access';
import { DATA_COLLECTIONS } from '$lib/db/collections';
import {
  NAV_ITEMS,
  PHONE_BAR_SLOTS,
  collectionsFirst,
  currentItem,
  homeOf,
  homeWithoutWork,
  landsWithoutData,
  navFor,
  pageOutsideRoles,
  phoneBar,
  type NavItem
} from './nav-items';

const user = (...memberships: Membership[]): SessionUser => ({ id: 'u', name: 'U', memberships });
const ids = (items: NavItem[]) => items.map((i) => i.id);
const NOW = '2026-11-30T10:00:00Z';

describe('navigation per role', () => {
  it('shows a requester their work, tickets, the problem report and tasks, not the queue or the reports', () => {
    expect(ids(navFor(user({ role: 'requester', org: 'gym-kt' }), NOW))).toEqual([
      'inbox',
      'tickets',
      'report',
      'tasks',
      'assets-mine'
    ]);
  });

  it('shows the helpdesk the queue and the reports', () => {
    expect(ids(navFor(user({ role: 'agent', org: 'ku' }), NOW))).toEqual([
      'inbox',
      'tickets',
      'queue',
      'report',
      'reports',
      'assets',
      'assets-cost',
      'stocktake',
      'licences',
      'phones',
      'contracts'
    ]);
  });

  it('shows the approval roles their work and the approvals, landing them in their work while it has any', () => {
    for (const role of ['clerk', 'budget', 'accountant'] as const) {
      const u = user({ role, org: 'gym-kt' });
      expect(ids(navFor(u, NOW)), role).toEqual(
        role === 'clerk' ? ['inbox', 'approvals'] : ['inbox', 'approvals', 'contracts']
      );
      expect(homeOf(u, { now: NOW })?.href, role).toBe('/approvals');
      expect(homeOf(u, { now: NOW, work: new Set(['inbox']) })?.href, role).toBe('/inbox');
    }
  });

  it('shows a contractor the queue and the reports (their own payment rows) but no problem report', () => {
    expect(ids(navFor(user({ role: 'contractor', districts: ['KT'] }), NOW))).toEqual([
      'inbox',
      'tickets',
      'queue',
      'reports',
      'assets',
      'licences',
      'phones'
    ]);
  });

  it('shows a manager their work, approvals, tasks and the reports of their organization', () => {
    expect(ids(navFor(user({ role: 'manager', org: 'gym-kt' }), NOW))).toEqual([
      'inbox',
      'tickets',
      'report',
      'approvals',
      'tasks',
      'reports',
      'assets',
      'assets-cost',
      'stocktake',
      'licences',
      'phones',
      'contracts'
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
    expect(ids(navFor(expired, NOW))).toEqual(['inbox', 'tickets', 'report', 'tasks', 'assets-mine']);
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

describe('my work', () => {
  it('is the home of every role with work in it, and only while it has some', () => {
    const work = new Set(['inbox']);
    for (const role of [
      'requester',
      'manager',
      'clerk',
      'budget',
      'accountant',
      'founder',
      'agent',
      'contractor'
    ] as const) {
      const u = user({ role, org: 'gym-kt', department: 'skolstvi', districts: ['KT'] });
      expect(homeOf(u, { now: NOW, work })?.id, role).toBe('inbox');
      expect(homeOf(u, { now: NOW })?.id, role).not.toBe('inbox');
    }
  });

  it('leaves the administrator and the winter roles where their work is', () => {
    const work = new Set(['inbox']);
    expect(homeOf(user({ role: 'admin' }), { now: NOW, work })?.id).toBe('admin');
    for (const role of ['dispatcher', 'crew', 'izs'] as const) {
      const u = user({ role, org: 'sus' });
      expect(ids(navFor(u, NOW)), role).not.toContain('inbox');
      expect(homeOf(u, { now: NOW, work })?.id, role).not.toBe('inbox');
    }
  });

  it('counts the inbox in the badge and lands a department on its tasks when nothing waits', () => {
    expect(NAV_ITEMS.find((i) => i.id === 'inbox')?.badge).toBe('inbox');
    const dept = user({ role: 'founder', org: 'ku', department: 'skolstvi' });
    expect(ids(navFor(dept, NOW))).toEqual(['inbox', 'approvals', 'tasks']);
    expect(homeOf(dept, { now: NOW })?.href).toBe('/tasks');
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

describe('a home known without waiting for work', () => {
  it('is the administration, the winter desk, the crew report and the hand-offs for roles without an inbox home', () => {
    expect(homeWithoutWork(user({ role: 'admin' }), NOW)?.href).toBe('/admin');
    expect(homeWithoutWork(user({ role: 'dispatcher', districts: ['KT'] }), NOW)?.href).toBe('/dispatch');
    expect(homeWithoutWork(user({ role: 'crew', districts: ['KT'] }), NOW)?.href).toBe('/dispatch/report');
    expect(homeWithoutWork(user({ role: 'izs', districts: ['KT'] }), NOW)?.href).toBe('/dispatch/izs');
  });

  it('is unknown for every role whose home is the inbox while it holds something', () => {
    for (const role of ['requester', 'manager', 'clerk', 'budget', 'accountant', 'founder', 'agent'] as const)
      expect(homeWithoutWork(user({ role, org: 'gym-kt' }), NOW), role).toBeUndefined();
    expect(homeWithoutWork(user({ role: 'contractor', districts: ['KT'] }), NOW)).toBeUndefined();
  });

  it('is unknown for an administrator who is also a requester somewhere', () => {
    expect(homeWithoutWork(user({ role: 'admin' }, { role: 'requester', org: 'gym-kt' }), NOW)).toBeUndefined();
  });
});

describe('a page painted before the data layer', () => {
  it("is an administrator's administration, and home where the administration is their home", () => {
    const admin = user({ role: 'admin' });
    expect(landsWithoutData(admin, '/admin', NOW)).toBe(true);
    expect(landsWithoutData(admin, '/admin/people', NOW)).toBe(true);
    expect(landsWithoutData(admin, '/', NOW)).toBe(true);
    expect(landsWithoutData(admin, '/tickets', NOW)).toBe(false);
    expect(landsWithoutData(admin, '/administrator', NOW)).toBe(false);
  });

  it("is no one else's page, nor home of an administrator who is a requester too", () => {
    expect(landsWithoutData(user({ role: 'requester', org: 'gym-kt' }), '/', NOW)).toBe(false);
    expect(landsWithoutData(user({ role: 'requester', org: 'gym-kt' }), '/admin', NOW)).toBe(false);
    expect(landsWithoutData(user({ role: 'admin' }, { role: 'requester', org: 'gym-kt' }), '/', NOW)).toBe(false);
  });
});

describe('what a new device fills first', () => {
  const requester = user({ role: 'requester', org: 'gym-kt' });
  const dispatcher = user({ role: 'dispatcher', org: 'ssk' });

  it("fills the page's own collections and the region's names first", () => {
    expect(collectionsFirst(requester, '/tickets', NOW)).toEqual(['tickets', 'region']);
    expect(collectionsFirst(requester, '/tickets/t-1', NOW)).toEqual(['tickets', 'region']);
    expect(collectionsFirst(user({ role: 'clerk', org: 'ku' }), '/approvals', NOW)).toEqual(['approvals', 'region']);
    expect(collectionsFirst(dispatcher, '/dispatch/map', NOW)).toEqual(['dispatch', 'region']);
  });

  it("takes the person's home at the root, the inbox wherever it could be", () => {
    expect(collectionsFirst(requester, '/', NOW)).toEqual(['tickets', 'approvals', 'tasks', 'region']);
    expect(collectionsFirst(dispatcher, '/', NOW)).toEqual(['dispatch', 'region']);
    expect(collectionsFirst(user({ role: 'crew', org: 'ssk' }), '/', NOW)).toEqual(['dispatch', 'region']);
  });

  it('names nothing, so everything starts at once, where the page is not a list of its own', () => {
    expect(collectionsFirst(requester, '/account', NOW)).toEqual([]);
    expect(collectionsFirst(requester, '/tickets/report', NOW)).toEqual([]);
    expect(collectionsFirst(user({ role: 'admin', org: 'ku' }), '/', NOW)).toEqual([]);
    // A page of a row the person cannot see names nothing either.
    expect(collectionsFirst(requester, '/dispatch', NOW)).toEqual([]);
  });

  it('names only synced collections', () => {
    const named = NAV_ITEMS.flatMap((i) => i.shows ?? []);
    expect(named.length).toBeGreaterThan(0);
    for (const c of named) expect(DATA_COLLECTIONS).toContain(c);
  });
});

describe("a phone's bottom bar", () => {
  it('holds every row while they fit, and four rows and "more" beyond', () => {
    expect(phoneBar([1, 2, 3, 4, 5])).toEqual({ bar: [1, 2, 3, 4, 5], more: [] });
    expect(phoneBar([1, 2, 3, 4, 5, 6])).toEqual({ bar: [1, 2, 3, 4], more: [5, 6] });
    expect(phoneBar([])).toEqual({ bar: [], more: [] });
  });

  it("keeps every row of a director's navigation reachable, in the table's order", () => {
    const items = navFor(user({ role: 'manager', org: 'gym-kt' }), NOW);
    expect(items.length).toBeGreaterThan(PHONE_BAR_SLOTS);
    const { bar, more } = phoneBar(items);
    expect(bar.length + 1).toBe(PHONE_BAR_SLOTS);
    expect(ids([...bar, ...more])).toEqual(ids(items));
  });
});

describe('a page opened outside the roles it is for', () => {
  const teacher = user({ role: 'requester', org: 'gym-kt' });
  const crew = user({ role: 'crew', districts: ['KT'] });
  const izs = user({ role: 'izs' });
  const contractor = user({ role: 'contractor', districts: ['KT'] });
  const outside = (u: SessionUser, path: string) => pageOutsideRoles(u, path, NOW)?.id;

  it.each([
    ['a teacher at the winter desk', teacher, '/dispatch', 'winter-desk'],
    ['a teacher in the winter log', teacher, '/dispatch/denik', 'winter-desk'],
    ['a teacher at the queue', teacher, '/queue', 'queue'],
    ['a teacher in the approvals', teacher, '/approvals/apv-1', 'approvals'],
    ['a road crew in the winter log', crew, '/dispatch/denik', 'winter-desk'],
    ['IZS at the map', izs, '/dispatch/map', 'winter-map'],
    ['a contractor at the problem report', contractor, '/tickets/report', 'report'],
    [
      'a dispatcher from next year at the desk',
      user({ role: 'dispatcher', validFrom: '2027-01-01' }),
      '/dispatch',
      'winter-desk'
    ]
  ] as const)('%s is told whose page it is', (_, who, path, row) => {
    expect(outside(who, path)).toBe(row);
  });

  it.each([
    ['a teacher at a ticket', teacher, '/tickets/t-1'],
    ['a teacher at a task', teacher, '/tasks/task-1'],
    ['a teacher at an asset of their own equipment', teacher, '/assets/a-1'],
    ['a teacher at the whole register', teacher, '/assets'],
    ['a contractor at "my equipment"', contractor, '/assets/mine'],
    ["a dispatcher at the crews' report screen", user({ role: 'dispatcher' }), '/dispatch/report'],
    ['a road crew at the map', crew, '/dispatch/map'],
    ['a road crew at its report', crew, '/dispatch/report'],
    ['IZS at its hand-offs', izs, '/dispatch/izs'],
    ['a contractor at a ticket', contractor, '/tickets/t-1'],
    ['anyone at their account', izs, '/account'],
    ['anyone at the home page', crew, '/'],
    ['an administrator at the winter desk', user({ role: 'admin' }), '/dispatch']
  ] as const)('%s may use it', (_, who, path) => {
    expect(outside(who, path)).toBeUndefined();
  });
});
