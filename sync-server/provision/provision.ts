/**
 * Provisioning: makes CouchDB hold every database the product needs, each with its design
 * document and security object. Idempotent by construction: it reads what is there and
 * writes only what differs, so a second run changes no revision. Runs at every start and
 * whenever a new organization appears; concurrent runs for the same database are harmless
 * (a lost race is a 409/412 that the next comparison settles).
 */
import { isDeepStrictEqual } from 'node:util';
import type nano from 'nano';
import { allDatabases, ORG_COLLECTIONS, orgDb } from '../../src/lib/domain/databases';
import { eachLimited } from '../each-limited.mjs';
import { DESIGN_DOC_ID, designDocFor, securityFor, type DesignDoc } from './design-docs';
import { statusOf } from '../couch-status';

export interface ProvisionReport {
  createdDbs: string[];
  updatedDesignDocs: string[];
  updatedSecurity: string[];
}

const CONCURRENCY = 8;

/** Creates the database unless it exists; true when this call created it (it holds nothing yet). */
async function ensureDb(
  couch: nano.ServerScope,
  db: string,
  existing: Set<string>,
  report: ProvisionReport
): Promise<boolean> {
  if (existing.has(db)) return false;
  try {
    await couch.db.create(db);
    report.createdDbs.push(db);
    return true;
  } catch (err) {
    // 412 is also how PouchDB Server answers a database it could not open: only file_exists means "there".
    if (statusOf(err) !== 412 || (err as { error?: string }).error !== 'file_exists') throw err;
    return false;
  }
}

/** Reads and writes of a design document or security object that other runs keep overtaking, before the run gives up. */
const WRITE_ATTEMPTS = 3;

/**
 * Runs `step` (read unless told not to, compare, write) until it is not overtaken: a 409 means
 * another run (another gateway on the same store, or a second provisioning of the same new
 * organization) wrote between the read and the write, so the next try reads, and most likely
 * finds it as wanted. The first try skips the read when the database was created just now: it
 * holds no design document and the store's default security, so a new organization's
 * provisioning asks a third fewer requests.
 */
async function untilNotOvertaken(created: boolean, step: (read: boolean) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(!created || attempt > 1);
    } catch (err) {
      if (statusOf(err) !== 409 || attempt >= WRITE_ATTEMPTS) throw err;
    }
  }
}

async function ensureDesignDoc(
  couch: nano.ServerScope,
  db: string,
  report: ProvisionReport,
  created: boolean
): Promise<void> {
  const wanted = designDocFor(db);
  if (!wanted) return;
  const docs = couch.use<DesignDoc>(db);
  await untilNotOvertaken(created, async (read) => {
    const current = read
      ? await docs.get(DESIGN_DOC_ID).catch((err: unknown) => {
          if (statusOf(err) !== 404) throw err;
          return undefined;
        })
      : undefined;
    const write: DesignDoc = { ...wanted };
    if (current) {
      const { _rev, ...stored } = current;
      if (isDeepStrictEqual(stored, wanted)) return;
      write._rev = _rev;
    }
    await docs.insert(write);
    report.updatedDesignDocs.push(db);
  });
}

/** The embedded store keeps `_security` as a revisioned document: two runs writing it at once make one a 409 (CouchDB itself takes both). */
async function ensureSecurity(
  couch: nano.ServerScope,
  db: string,
  report: ProvisionReport,
  created: boolean
): Promise<void> {
  const wanted = securityFor(db);
  await untilNotOvertaken(created, async (read) => {
    if (read && isDeepStrictEqual(await couch.request({ db, path: '_security' }), wanted)) return;
    await couch.request({ db, method: 'PUT', path: '_security', body: wanted });
    report.updatedSecurity.push(db);
  });
}

/** Provisions the given databases. */
export async function provisionDatabases(couch: nano.ServerScope, dbs: string[]): Promise<ProvisionReport> {
  const report: ProvisionReport = { createdDbs: [], updatedDesignDocs: [], updatedSecurity: [] };
  const existing = new Set(await couch.db.list());
  await eachLimited(dbs, CONCURRENCY, async (db) => {
    const created = await ensureDb(couch, db, existing, report);
    await ensureDesignDoc(couch, db, report, created);
    await ensureSecurity(couch, db, report, created);
  });
  return report;
}

/** Everything: private, region and every organization's databases. */
export function provisionAll(couch: nano.ServerScope, orgIds: readonly string[]): Promise<ProvisionReport> {
  return provisionDatabases(couch, allDatabases(orgIds));
}

/** One organization's databases (a new organization appeared). */
export function provisionOrg(couch: nano.ServerScope, orgId: string): Promise<ProvisionReport> {
  return provisionDatabases(
    couch,
    ORG_COLLECTIONS.map((c) => orgDb(orgId, c))
  );
}
