/**
 * Database naming: one CouchDB database per organization per collection
 * (`org_<orgId>_<collection>`), region-wide reference data in `region_<collection>`,
 * and the private `auth` and `push` databases that the gateway never exposes.
 * Per-database security is CouchDB's unit of isolation, so every access decision
 * in the product starts from these names.
 */

export const ORG_ID_PATTERN = /^[a-z0-9-]{2,40}$/;

/** Collections every organization has, one database each. */
/**
 * `comments`: a ticket's comments and attachment references, one append-only document each,
 * readable by exactly the readers of the tickets database (see `tickets/comments.ts`).
 * `contracts` / `contractscans`: the contract archive and its scans, apart from the asset
 * register every employee reads (see `assets/contracts-db.ts`).
 */
export const ORG_COLLECTIONS = [
  'tickets',
  'tasks',
  'approvals',
  'assets',
  'dispatch',
  'media',
  'notes',
  'comments',
  'contracts',
  'contractscans'
] as const;
export type OrgCollection = (typeof ORG_COLLECTIONS)[number];

/** Databases of files (attachments, replicated by PouchDB on the device), not of records. */
export const MEDIA_COLLECTIONS: readonly OrgCollection[] = ['media', 'contractscans'];
export const isMediaCollection = (c: string): boolean => (MEDIA_COLLECTIONS as readonly string[]).includes(c);

/** Region-wide databases. */
export const REGION_COLLECTIONS = ['orgs', 'people', 'catalog', 'sections', 'alerts', 'izs'] as const;
export type RegionCollection = (typeof REGION_COLLECTIONS)[number];

/** Region databases every signed-in user reads. */
export const REFERENCE_COLLECTIONS: readonly RegionCollection[] = ['orgs', 'people', 'catalog', 'sections', 'alerts'];

/** Never reachable through the gateway. `audit` is the append-only record of administration and sign-ins. */
export const PRIVATE_DATABASES = ['auth', 'push', 'audit'] as const;

export type DbRef =
  | { kind: 'org'; orgId: string; collection: OrgCollection; name: string }
  | { kind: 'region'; collection: RegionCollection; name: string };

export function orgDb(orgId: string, collection: OrgCollection): string {
  if (!ORG_ID_PATTERN.test(orgId)) throw new Error(`invalid organization id: ${orgId}`);
  return `org_${orgId}_${collection}`;
}

export function regionDb(collection: RegionCollection): string {
  return `region_${collection}`;
}

/** Parses a database name; returns null for anything that is not an org or region database. */
export function parseDbName(name: string): DbRef | null {
  const region = /^region_([a-z]+)$/.exec(name);
  if (region) {
    const collection = region[1] as RegionCollection;
    return REGION_COLLECTIONS.includes(collection) ? { kind: 'region', collection, name } : null;
  }
  const org = /^org_([a-z0-9-]{2,40})_([a-z]+)$/.exec(name);
  if (org) {
    const collection = org[2] as OrgCollection;
    if (!ORG_COLLECTIONS.includes(collection)) return null;
    return { kind: 'org', orgId: org[1], collection, name };
  }
  return null;
}

/** The organizations whose `collection` database the person may write, from their databases (`/api/me`), sorted. */
export function writableOrgIds(
  databases: readonly { db: string; write: boolean }[],
  collection: OrgCollection
): string[] {
  return databases
    .flatMap((d) => {
      const ref = d.write ? parseDbName(d.db) : null;
      return ref?.kind === 'org' && ref.collection === collection ? [ref.orgId] : [];
    })
    .sort();
}

/** Every database the product provisions for a set of organizations. */
export function allDatabases(orgIds: readonly string[]): string[] {
  return [
    ...PRIVATE_DATABASES,
    ...REGION_COLLECTIONS.map(regionDb),
    ...orgIds.flatMap((org) => ORG_COLLECTIONS.map((c) => orgDb(org, c)))
  ];
}
