/** Which database a gateway request addresses and what the signed-in user may do with it. */
import {
  activeMemberships,
  databasesFor,
  rolesInOrg,
  type OrgInfo,
  type Role,
  type SessionUser
} from '../../src/lib/domain/access';
import { isMediaCollection, parseDbName, type DbRef } from '../../src/lib/domain/databases';
import type { Check } from './allow-list';

export interface DbGrant {
  ref: DbRef;
  org?: OrgInfo;
  write: boolean;
  /** Roles that count for per-document rules in this database. */
  roles: Role[];
}

export type Refusal = { status: number; error: string; reason: string };

export function resolveDb(user: SessionUser, name: string, orgs: readonly OrgInfo[]): DbGrant | Refusal {
  return dbResolver(user, orgs)(name);
}

/**
 * `resolveDb` for many names of one user: the user's databases are listed once. A batch of
 * 1,125 databases called `databasesFor` (which lists and sorts all of them) once per name.
 */
export function dbResolver(user: SessionUser, orgs: readonly OrgInfo[]): (name: string) => DbGrant | Refusal {
  let access: Map<string, boolean> | undefined;
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  return (name) => {
    const ref = parseDbName(name);
    const org = ref?.kind === 'org' ? orgById.get(ref.orgId) : undefined;
    // `auth`, `push` and anything not named like a product database look like nothing at all.
    if (!ref || (ref.kind === 'org' && !org)) return { status: 404, error: 'not_found', reason: `no database ${name}` };
    access ??= new Map(databasesFor(user, orgs).map((d) => [d.db, d.write]));
    const write = access.get(name);
    if (write === undefined) return { status: 403, error: 'forbidden', reason: `you have no access to ${name}` };
    // Only memberships in force: an expired or future role must not widen the per-document rules.
    const roles = org ? rolesInOrg(user, org) : activeMemberships(user).map((m) => m.role);
    return { ref, org, write, roles };
  };
}

/** null when the grant satisfies the allow-list check, else the refusal. */
export function checkGrant(grant: DbGrant, check: Check): Refusal | null {
  const media = grant.ref.kind === 'org' && isMediaCollection(grant.ref.collection);
  if ((check === 'media-read' || check === 'media-write') && !media) {
    return {
      status: 404,
      error: 'not_found',
      reason: 'attachments and single-document writes exist only in media databases'
    };
  }
  if ((check === 'write' || check === 'media-write') && !grant.write) {
    return { status: 403, error: 'forbidden', reason: `${grant.ref.name} is read-only for you` };
  }
  return null;
}

export const isRefusal = (x: DbGrant | Refusal): x is Refusal => 'status' in x;

/** A closed organization keeps its data for reading; any write gets this reason instead of a bare "read-only". */
export function closedOrgRefusal(grant: DbGrant, check: Check): Refusal | null {
  if (!grant.org?.closed || (check !== 'write' && check !== 'media-write')) return null;
  return {
    status: 403,
    error: 'forbidden',
    reason: `the organization ${grant.org.id} is closed: its data can be read but no longer changed`
  };
}
