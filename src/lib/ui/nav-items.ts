/**
 * The navigation and each person's home page, as one pure table. A module adds ONE row to
 * `NAV_ITEMS`; the navigation shows a row to whoever holds (today) one of its `roles`, and the
 * root route sends a person to the visible row with the lowest `home` rank among those whose
 * `homeFor` names one of their roles. A row with `homeNeedsWork` is a home only while the
 * caller says it has something in it (an inbox), so nobody lands on an empty list.
 *
 * Rows link only to routes that exist (`href` is checked against the app's routes), and a row's
 * roles should be those that can use it: the role table (`access.ts`) decides what a role can
 * replicate, so a row must not be shown to a role whose data it cannot read.
 */
import type { Pathname } from '$app/types';
import { activeMemberships, type Now, type Role, type SessionUser } from '../domain/access';
import { TICKET_ROLES } from '../domain/tickets/lifecycle';
import type { m } from '$lib/i18n';
import type { DataCollection } from '$lib/db/collections';

/** Keys of the messages that take no parameters: a row's label. */
export type NavLabel = { [K in keyof typeof m]: (typeof m)[K] extends () => string ? K : never }[keyof typeof m];

export interface NavItem {
  /** Stable key of the row (tests, `work` below). */
  id: string;
  href: Pathname;
  label: NavLabel;
  /** SVG path (24×24 view box, stroked). */
  icon: string;
  /** Who sees the row: anyone holding one of these roles today. */
  roles: readonly Role[];
  /**
   * Roles the app itself leads to the row's pages (a tab, a link in a list) though the row is not
   * in their navigation: their pages are theirs too (`pageOutsideRoles`).
   */
  reachedBy?: readonly Role[];
  /** Roles for whom this row is their home page; the lowest `home` rank among a person's rows wins. */
  homeFor?: readonly Role[];
  home?: number;
  /** A home only while the caller reports work in it (see `homeOf`). */
  homeNeedsWork?: boolean;
  /** Shows a count: ticket changes not yet seen, or the items of the "my work" inbox. */
  badge?: 'ticket-changes' | 'inbox';
  /** The synced collections the page shows: a new device opened here fills them first. */
  shows?: readonly DataCollection[];
}

/** People who report problems: the roles that may create a ticket in their organization. */
const REPORTERS = ['requester', 'manager', 'agent', 'admin'] as const satisfies readonly Role[];
/** Who sees figures in the reports (the scope narrows it further, see `report-scope.ts`). */
const REPORT_READERS = ['agent', 'admin', 'manager', 'contractor'] as const satisfies readonly Role[];
/** Who reads the approval documents of an organization (the role table's `approvals` readers). */
const APPROVERS = ['manager', 'clerk', 'budget', 'accountant', 'founder', 'admin'] as const satisfies readonly Role[];
const DESK = ['agent', 'admin', 'contractor'] as const satisfies readonly Role[];
/** Who can have work in the "my work" inbox (tickets, tasks, approval steps; see `portal/inbox-sources.ts`). */
const INBOX_ROLES = [
  'requester',
  'manager',
  'clerk',
  'budget',
  'accountant',
  'founder',
  'agent',
  'contractor'
] as const satisfies readonly Role[];
/** Who takes part in tasks: workers, directors, the issuing departments (agents read them but take no step). */
const TASK_ROLES = ['requester', 'manager', 'founder', 'admin'] as const satisfies readonly Role[];
/** Who reads an organization's whole asset register (the role table): agents and managers edit, contractors read. */
const ASSET_KEEPERS = ['agent', 'admin', 'manager', 'contractor'] as const satisfies readonly Role[];

export const NAV_ITEMS: readonly NavItem[] = [
  // "My work": the home of every role while something waits there (admins keep the administration).
  {
    id: 'inbox',
    href: '/inbox',
    label: 'nav_inbox',
    icon: 'M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5',
    roles: [...INBOX_ROLES, 'admin'],
    homeFor: INBOX_ROLES,
    home: 10,
    homeNeedsWork: true,
    badge: 'inbox',
    shows: ['tickets', 'approvals', 'tasks']
  },
  {
    id: 'tickets',
    href: '/tickets',
    label: 'nav_tickets',
    icon: 'M4 5h16v4a2 2 0 0 0 0 4v4H4v-4a2 2 0 0 0 0-4z',
    roles: TICKET_ROLES,
    homeFor: ['requester', 'manager'],
    home: 50,
    badge: 'ticket-changes',
    shows: ['tickets']
  },
  {
    id: 'queue',
    href: '/queue',
    label: 'nav_queue',
    icon: 'M4 6h16M4 12h16M4 18h10',
    roles: DESK,
    homeFor: DESK,
    home: 40,
    shows: ['tickets']
  },
  {
    id: 'report',
    href: '/tickets/report',
    label: 'nav_report',
    icon: 'M12 3v12M12 19v.5M4 20h16L12 3z',
    roles: REPORTERS
  },
  {
    id: 'approvals',
    href: '/approvals',
    label: 'nav_approvals',
    icon: 'M6 3h9l4 4v14H6zM9 13l2 2 4-4',
    roles: APPROVERS,
    homeFor: ['clerk', 'budget', 'accountant', 'founder'],
    home: 45,
    shows: ['approvals']
  },
  {
    id: 'tasks',
    href: '/tasks',
    label: 'nav_tasks',
    icon: 'M9 6h11M9 12h11M9 18h11M4 6l1 1 2-2M4 12l1 1 2-2M4 18l1 1 2-2',
    roles: TASK_ROLES,
    homeFor: ['founder'],
    home: 44,
    shows: ['tasks']
  },
  {
    id: 'reports',
    href: '/reports',
    label: 'nav_reports',
    icon: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
    roles: REPORT_READERS,
    shows: ['tickets']
  },
  // The asset register: its readers that work with it; an employee sees their own equipment.
  {
    id: 'assets',
    href: '/assets',
    label: 'nav_assets',
    icon: 'M3 5h18v11H3zM8 20h8M12 16v4',
    roles: ['agent', 'admin', 'manager', 'contractor'],
    // An employee's own equipment opens its asset page, and the register's tabs offer the whole list.
    reachedBy: ['requester'],
    shows: ['assets']
  },
  {
    id: 'assets-mine',
    href: '/assets/mine',
    label: 'nav_assets_mine',
    icon: 'M5 6h14v9H5zM3 18h18M12 9v3',
    roles: ['requester'],
    // The register's "my equipment" tab, for whoever reads the register.
    reachedBy: ['agent', 'admin', 'manager', 'contractor'],
    shows: ['assets']
  },
  {
    id: 'assets-cost',
    href: '/assets/cost',
    label: 'nav_assets_cost',
    icon: 'M12 3v18M17 7H9.5a3 3 0 0 0 0 6h5a3 3 0 0 1 0 6H6',
    roles: ['agent', 'admin', 'manager'],
    shows: ['assets']
  },
  {
    id: 'stocktake',
    href: '/stocktake',
    label: 'nav_stocktake',
    icon: 'M4 7V4h3M17 4h3v3M20 17v3h-3M7 20H4v-3M7 8v8M10 8v8M13 8v8M16 8v8',
    roles: ['agent', 'manager', 'admin'],
    shows: ['assets']
  },
  {
    id: 'admin',
    href: '/admin',
    label: 'nav_admin',
    icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2',
    roles: ['admin'],
    homeFor: ['admin'],
    home: 30
  },
  // Winter dispatch: the dispatcher lands on the desk, a road crew on its report screen, IZS on its hand-offs.
  {
    id: 'winter-desk',
    href: '/dispatch',
    label: 'nav_winter_desk',
    icon: 'M3 5h18v10H3z M8 19h8 M12 15v4',
    roles: ['dispatcher'],
    homeFor: ['dispatcher'],
    home: 20,
    shows: ['dispatch']
  },
  {
    id: 'winter-report',
    href: '/dispatch/report',
    label: 'nav_winter_report',
    icon: 'M12 2l3 7h7l-6 4 2 8-6-5-6 5 2-8-6-4h7z',
    roles: ['crew'],
    homeFor: ['crew'],
    home: 20,
    // The winter tabs offer the desk the crews' report screen (a report taken by phone).
    reachedBy: ['dispatcher'],
    shows: ['dispatch']
  },
  {
    id: 'winter-map',
    href: '/dispatch/map',
    label: 'nav_winter_map',
    icon: 'M3 6l6-2 6 2 6-2v14l-6 2-6-2-6 2z M9 4v14 M15 6v14',
    roles: ['dispatcher', 'crew'],
    shows: ['dispatch']
  },
  {
    id: 'winter-izs',
    href: '/dispatch/izs',
    label: 'nav_winter_izs',
    icon: 'M4 12h16 M14 6l6 6-6 6',
    roles: ['dispatcher', 'izs'],
    homeFor: ['izs'],
    home: 20,
    shows: ['dispatch']
  },
  {
    id: 'winter-alerts',
    href: '/dispatch/alerts',
    label: 'nav_winter_alerts',
    icon: 'M12 3a6 6 0 0 1 6 6v4l2 3H4l2-3V9a6 6 0 0 1 6-6z M10 19a2 2 0 0 0 4 0',
    roles: ['dispatcher', 'crew']
  },
  // Licences, phone numbers and the contract archive: whoever reads the asset register beyond their own equipment.
  {
    id: 'licences',
    href: '/licences',
    label: 'nav_licences',
    icon: 'M7 3h10v18H7z M10 7h4 M10 11h4 M10 15h2',
    roles: ASSET_KEEPERS,
    shows: ['assets']
  },
  {
    id: 'phones',
    href: '/phones',
    label: 'nav_phones',
    icon: 'M6 3h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 4 5a2 2 0 0 1 2-2z',
    roles: ASSET_KEEPERS,
    shows: ['assets']
  },
  {
    id: 'contracts',
    href: '/contracts',
    label: 'nav_contracts',
    icon: 'M6 3h9l4 4v14H6z M14 3v5h5 M9 13h7 M9 17h5',
    // The readers of the contract archive (`ORG_RIGHTS`): contractors read the register only.
    roles: ['agent', 'admin', 'manager', 'budget', 'accountant'],
    shows: ['assets']
  }
];

/** Every row that is a home only with work in it, as if each had some: the home a person could have. */
const WORK_EVERYWHERE: ReadonlySet<string> = new Set(NAV_ITEMS.filter((i) => i.homeNeedsWork).map((i) => i.id));

/** The roles a person holds today, in any organization. */
export function rolesOf(user: SessionUser, now: Now = Date.now()): Set<Role> {
  return new Set(activeMemberships(user, now).map((x) => x.role));
}

/** The rows a person sees, in table order. */
export function navFor(user: SessionUser, now: Now = Date.now(), items: readonly NavItem[] = NAV_ITEMS): NavItem[] {
  const roles = rolesOf(user, now);
  return items.filter((i) => i.roles.some((r) => roles.has(r)));
}

/**
 * Where a person lands: the visible row of lowest `home` rank that is a home for one of their
 * roles (rows that need work only when `work` names them). None: the person has nothing to
 * open here, and the root page says so instead of showing an empty list.
 */
export function homeOf(
  user: SessionUser,
  opts: { now?: Now; work?: ReadonlySet<string>; items?: readonly NavItem[] } = {}
): NavItem | undefined {
  const roles = rolesOf(user, opts.now ?? Date.now());
  const work = opts.work ?? new Set<string>();
  return navFor(user, opts.now, opts.items)
    .filter((i) => i.home !== undefined && i.homeFor?.some((r) => roles.has(r)))
    .filter((i) => !i.homeNeedsWork || work.has(i.id))
    .sort((a, b) => a.home! - b.home!)[0];
}

/**
 * The home that does not depend on work waiting anywhere, or undefined when it does: a person
 * whose home could be the inbox must wait to know whether it holds anything; a dispatcher, a
 * road crew or an administrator goes home at once, without waiting for a sync.
 */
export function homeWithoutWork(user: SessionUser, now: Now = Date.now()): NavItem | undefined {
  const idle = homeOf(user, { now });
  const busy = homeOf(user, { now, work: WORK_EVERYWHERE });
  return idle?.id === busy?.id ? idle : undefined;
}

/**
 * An administrator opening the administration, or home where it is theirs: its screens read the
 * server, so the page paints before the data layer loads (`session.svelte.ts`), and a new device
 * opens the person's database only after that paint, not from the client hooks (`early-open.ts`).
 */
export function landsWithoutData(user: SessionUser, pathname: string, now: Now = Date.now()): boolean {
  if (!rolesOf(user, now).has('admin')) return false;
  if (pathname === '/') return homeWithoutWork(user, now)?.id === 'admin';
  return pathname === '/admin' || pathname.startsWith('/admin/');
}

/** Rows a phone's bottom bar holds: more would squeeze their labels below a tap's width at 360 px. */
export const PHONE_BAR_SLOTS = 5;

/**
 * A phone's bottom bar: up to `slots` rows as they are; with more, the first `slots - 1` and a
 * "more" entry holding the rest, in the table's order (a row never moves between the two as the
 * person navigates, so it stays where they found it).
 */
export function phoneBar<T>(items: readonly T[], slots = PHONE_BAR_SLOTS): { bar: T[]; more: T[] } {
  if (items.length <= slots) return { bar: [...items], more: [] };
  return { bar: items.slice(0, slots - 1), more: items.slice(slots - 1) };
}

/**
 * The collections a new device fills first when opened at `pathname`: those its page shows (at
 * the root, the person's home, which is the inbox whenever it could be) and the region's
 * reference data, whose names and catalogue every page shows. None known: all at once.
 */
export function collectionsFirst(user: SessionUser, pathname: string, now: Now = Date.now()): DataCollection[] {
  const item =
    pathname === '/' ? homeOf(user, { now, work: WORK_EVERYWHERE }) : currentItem(navFor(user, now), pathname);
  return item?.shows ? [...item.shows, 'region'] : [];
}

/** The row the current page belongs to: the most specific prefix (`/tickets/report`, not `/tickets`). */
export function currentItem(items: readonly NavItem[], pathname: string): NavItem | undefined {
  return items
    .filter((i) => pathname === i.href || pathname.startsWith(i.href + '/'))
    .sort((a, b) => b.href.length - a.href.length)[0];
}

/**
 * The row of a page the person cannot use, or undefined: a page opened by its address (a
 * bookmark, a link passed on, a shared device) whose row, the most specific one of the whole
 * table, is for roles the person does not hold. Its screen would show empty lists or refuse
 * every action, so the frame says whose page it is instead. An administrator reads everything
 * (and acts as the winter desk), so no page is outside their roles; a page without a row
 * (the account, the home) is anyone's.
 */
export function pageOutsideRoles(user: SessionUser, pathname: string, now: Now = Date.now()): NavItem | undefined {
  const roles = rolesOf(user, now);
  if (roles.has('admin')) return undefined;
  const item = currentItem(NAV_ITEMS, pathname);
  return item && ![...item.roles, ...(item.reachedBy ?? [])].some((r) => roles.has(r)) ? item : undefined;
}
