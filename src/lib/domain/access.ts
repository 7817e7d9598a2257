/**
 * The role table of the design as a pure function: which databases a user replicates and
 * whether they may write to each. The gateway enforces exactly this list (and, per document,
 * the collection rules in `write-rules.ts`); the client replicates exactly this list.
 * Keeping both sides on one function is what stops the UI and the boundary from drifting.
 */
import {
  ORG_COLLECTIONS,
  REFERENCE_COLLECTIONS,
  REGION_COLLECTIONS,
  orgDb,
  regionDb,
  type OrgCollection,
  type RegionCollection
} from './databases';

export const ROLES = [
  'requester',
  'manager',
  'clerk',
  'budget',
  'accountant',
  'agent',
  'contractor',
  'founder',
  'dispatcher',
  'crew',
  'izs',
  'admin'
] as const;
export type Role = (typeof ROLES)[number];

/**
 * One role a user holds. `org` scopes org-bound roles, `districts` scopes contractors,
 * `department` scopes founders (a department of the regional office founds organizations).
 */
export interface Membership {
  role: Role;
  org?: string;
  districts?: string[];
  department?: string;
  /** First day the membership counts (`YYYY-MM-DD`, Prague date), inclusive; none: from ever. */
  validFrom?: string;
  /** Last day the membership counts, inclusive; none: until removed. */
  validTo?: string;
}

export interface SessionUser {
  id: string;
  name: string;
  memberships: Membership[];
}

/** What the access rules need to know of an organization (from `region_orgs`). */
export interface OrgInfo {
  id: string;
  district: string;
  /** Department of the regional office that founded it, e.g. `skolstvi`. */
  founder?: string;
  kind?: string;
  /** A closed organization: its data stays readable for the admin, nobody writes to it. */
  closed?: boolean;
  /** Whether správce rozpočtu and hlavní účetní may be one person there. */
  allowBudgetAccountantSamePerson?: boolean;
}

export interface DbAccess {
  db: string;
  write: boolean;
}

type Rights = { read: readonly OrgCollection[]; write: readonly OrgCollection[] };

const ALL = ORG_COLLECTIONS;
/** Internal notes are the IT staff's working notes on tickets: the org's own roles never read them. */
const ALL_BUT_NOTES = ORG_COLLECTIONS.filter((c) => c !== 'notes');

/**
 * Per role: what it reads and writes in an organization within its scope. A ticket's comments
 * (`comments`) go wherever `tickets` goes: they are part of the ticket for whoever reads it.
 * Contracts and their scans (`contracts`, `contractscans`): central IT and the organization's
 * director keep them, its finance roles (budget, accountant) read them; requesters, clerks,
 * contractors and founders do not (the register `assets` stays theirs to read).
 */
export const ORG_RIGHTS: Record<Exclude<Role, 'izs'>, Rights> = {
  requester: {
    read: ['tickets', 'comments', 'tasks', 'assets', 'media'],
    write: ['tickets', 'comments', 'tasks', 'media']
  },
  manager: {
    read: ALL_BUT_NOTES,
    write: ['tickets', 'comments', 'tasks', 'approvals', 'assets', 'media', 'contracts', 'contractscans']
  },
  clerk: { read: ['approvals', 'media'], write: ['approvals', 'media'] },
  budget: {
    read: ['tickets', 'comments', 'approvals', 'media', 'contracts', 'contractscans'],
    write: ['approvals', 'media']
  },
  accountant: {
    read: ['tickets', 'comments', 'approvals', 'media', 'contracts', 'contractscans'],
    write: ['approvals', 'media']
  },
  agent: {
    read: ['tickets', 'comments', 'tasks', 'assets', 'media', 'notes', 'contracts', 'contractscans'],
    write: ['tickets', 'comments', 'assets', 'media', 'notes', 'contracts', 'contractscans']
  },
  contractor: {
    read: ['tickets', 'comments', 'assets', 'media', 'notes'],
    write: ['tickets', 'comments', 'media', 'notes']
  },
  // media: only the files of tasks its department issued (`portal/task-media.ts`, enforced per document by the gateway)
  founder: { read: ['tasks', 'approvals', 'media'], write: ['tasks', 'media'] },
  dispatcher: { read: ['dispatch', 'media'], write: ['dispatch', 'media'] },
  crew: { read: ['dispatch', 'media'], write: ['dispatch', 'media'] },
  admin: { read: ALL, write: ALL }
};

/** Region databases beyond the reference data, per role. */
const REGION_RIGHTS: Partial<Record<Role, { read: RegionCollection[]; write: RegionCollection[] }>> = {
  dispatcher: { read: ['izs'], write: ['alerts', 'izs', 'sections', 'catalog'] },
  izs: { read: ['izs'], write: ['izs'] },
  admin: { read: [...REGION_COLLECTIONS], write: [...REGION_COLLECTIONS] }
};

/** The road-maintenance organization the dispatch roles belong to. */
export const ROAD_MAINTENANCE_ORG = 'sus';

/** What `now` may be given as: the access rules only need its Prague calendar date. */
export type Now = Date | string | number;

const PRAGUE_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Prague',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit'
});

/**
 * The last minute formatted: every request checks memberships against today's date, and
 * formatting a date in a time zone costs more than the rest of the check. Prague's offset is
 * whole hours, so every instant of one minute has the same date.
 */
let lastMinute = NaN;
let lastDate = '';

/** `YYYY-MM-DD` of an instant in Prague: membership dates are the region's calendar days. */
export function pragueDate(now: Now): string {
  const ms = new Date(now).getTime();
  if (!Number.isFinite(ms)) return PRAGUE_DATE.format(ms); // throws as before: not a date
  const minute = Math.floor(ms / 60_000);
  if (minute !== lastMinute) {
    lastDate = PRAGUE_DATE.format(minute * 60_000);
    lastMinute = minute;
  }
  return lastDate;
}

/** Whether a membership counts on the Prague date `today` (both ends inclusive). */
export function membershipActive(m: Membership, today: string): boolean {
  return (m.validFrom === undefined || m.validFrom <= today) && (m.validTo === undefined || today <= m.validTo);
}

/**
 * Whether the person is on the helpdesk today (an agent's membership in force): the directory
 * marks them so, and tickets are assigned to such people by name (the gateway accepts no one else).
 */
export function onHelpdesk(memberships: readonly Membership[], now: Now = Date.now()): boolean {
  const today = pragueDate(now);
  return memberships.some((m) => m.role === 'agent' && membershipActive(m, today));
}

/** The memberships of a user that count at `now`. */
export function activeMemberships(user: SessionUser, now: Now = Date.now()): Membership[] {
  const today = pragueDate(now);
  return user.memberships.filter((m) => membershipActive(m, today));
}

/** Organizations within the scope of one membership. */
export function orgsInScope(m: Membership, orgs: readonly OrgInfo[]): OrgInfo[] {
  switch (m.role) {
    case 'agent':
    case 'admin':
      return [...orgs];
    case 'contractor':
      return orgs.filter((o) => (m.districts ?? []).includes(o.district));
    case 'founder':
      return orgs.filter((o) => m.department !== undefined && o.founder === m.department);
    case 'izs':
      return [];
    default:
      return orgs.filter((o) => o.id === m.org);
  }
}

/**
 * The databases a user may use, each with write permission, sorted by name.
 * Rights of several memberships add up; nothing ever subtracts.
 */
export function databasesFor(user: SessionUser, orgs: readonly OrgInfo[], now: Now = Date.now()): DbAccess[] {
  const rights = new Map<string, boolean>();
  const grant = (db: string, write: boolean) => rights.set(db, (rights.get(db) ?? false) || write);

  for (const c of REFERENCE_COLLECTIONS) grant(regionDb(c), false);
  for (const m of activeMemberships(user, now)) {
    const region = REGION_RIGHTS[m.role];
    if (region) {
      for (const c of region.read) grant(regionDb(c), false);
      for (const c of region.write) grant(regionDb(c), true);
    }
    if (m.role === 'izs') continue;
    const r = ORG_RIGHTS[m.role];
    for (const org of orgsInScope(m, orgs)) {
      // A closed organization is history: only the admin still reads it, and nobody writes.
      if (org.closed && m.role !== 'admin') continue;
      for (const c of r.read) grant(orgDb(org.id, c), !org.closed && r.write.includes(c));
    }
  }
  return [...rights.entries()].map(([db, write]) => ({ db, write })).sort((a, b) => a.db.localeCompare(b.db));
}

/** Roles a user holds in one organization (through any membership whose scope covers it). */
export function rolesInOrg(user: SessionUser, org: OrgInfo, now: Now = Date.now()): Role[] {
  return activeMemberships(user, now)
    .filter((m) => orgsInScope(m, [org]).length > 0)
    .map((m) => m.role);
}

export function hasRole(user: SessionUser, role: Role, now: Now = Date.now()): boolean {
  return activeMemberships(user, now).some((m) => m.role === role);
}
