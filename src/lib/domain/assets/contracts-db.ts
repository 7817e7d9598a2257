/**
 * Where a record of the asset module is stored on the server. Contracts (and the history of
 * their edits) live in `org_<org>_contracts`, apart from the register `org_<org>_assets` that
 * every member of the organization replicates: a contract's value, parties and scan are not an
 * employee's business, and what a role may not read must not sit in a database it replicates.
 * Their scans live in `org_<org>_contractscans` (a media database with the contracts' readers).
 * On the device both databases feed the one `assets` collection, so screens do not change.
 */
export type AssetsDbCollection = 'assets' | 'contracts';

/** Record types kept in the contracts database. */
export const CONTRACTS_DB_TYPES = ['contract'] as const;

type Doc = Record<string, unknown>;

/** Whether an id names a record of the contracts database (also for tombstones without content). */
export function isContractId(id: unknown): boolean {
  return typeof id === 'string' && id.startsWith('contract:');
}

/** Whether a record belongs in the contracts database: a contract, or the history of one. */
export function isContractsDbRecord(doc: Doc): boolean {
  if ((CONTRACTS_DB_TYPES as readonly unknown[]).includes(doc.type)) return true;
  return doc.type === 'asset_history' && isContractId(doc.refId);
}

/** The database collection a record of the asset module is stored in. */
export function assetsDbCollectionOf(doc: Doc): AssetsDbCollection {
  return isContractsDbRecord(doc) ? 'contracts' : 'assets';
}

/**
 * The gateway's placement rule, for any writer: each database takes only its own records, so a
 * contract written into the register (an older app, a hand-made request) is refused, not stored
 * where every employee would read it.
 */
export function checkRecordPlacement(collection: AssetsDbCollection, doc: Doc): string | null {
  const home = assetsDbCollectionOf(doc);
  if (home === collection) return null;
  return home === 'contracts'
    ? 'contracts are kept in the contracts database (org_<org>_contracts), not in the asset register'
    : `a ${String(doc.type)} record belongs in the asset register, not in the contracts database`;
}
