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
import { statusOf } from './migration-marker';
import { DESIGN_DOC_ID, designDocFor, securityFor, type DesignDoc } from './design-docs';

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

/**
 * `created`: the database was created just now, so its design document is not there to read;
 * it is written at once (a concurrent run that wrote it first makes that a 409, and the
 * comparison below settles it). A new organization's provisioning asks a third fewer requests.
 */
async function ensureDesignDoc(
  couch: nano.ServerScope,
  db: string,
  report: ProvisionReport,
  created: boolean
): Promise<void> {
  const wanted = designDocFor(db);
  if (!wanted) return;
  const docs = couch.use<DesignDoc>(db);
  if (created) {
    try {
      await docs.insert({ ...wanted });
      report.updatedDesignDocs.push(db);
      return;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  // Read, compare, write; a 409 means another run (another gateway on the same store, or a
  // second provisioning of the same new organization) wrote it between the read and the write:
  // read again, and most likely find it as wanted.
  for (let attempt = 1; ; attempt++) {
    let current: DesignDoc | undefined;
    try {
      current = await docs.get(DESIGN_DOC_ID);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    const write: DesignDoc = { ...wanted };
    if (current) {
      const { _rev, ...stored } = current;
      if (isDeepStrictEqual(stored, wanted)) return;
      write._rev = _rev;
    }
    try {
      await docs.insert(write);
      report.updatedDesignDocs.push(db);
      return;
    } catch (err) {
      if (statusOf(err) !== 409 || attempt >= WRITE_ATTEMPTS) throw err;
    }
  }
}

/** Reads and writes of a design document or security object that other runs keep overtaking, before the run gives up. */
const WRITE_ATTEMPTS = 3;

/** `created`: a database created just now holds the store's default security; ours is written without reading it. */
async function ensureSecurity(
  couch: nano.ServerScope,
  db: string,
  report: ProvisionReport,
  created: boolean
): Promise<void> {
  const wanted = securityFor(db);
  for (let attempt = 1, read = !created; ; attempt++, read = true) {
    if (read) {
      const current: unknown = await couch.request({ db, path: '_security' });
      if (isDeepStrictEqual(current, wanted)) return;
    }
    try {
      await couch.request({ db, method: 'PUT', path: '_security', body: wanted });
      report.updatedSecurity.push(db);
      return;
    } catch (err) {
      // The embedded store keeps `_security` as a revisioned document: two runs writing it at
      // once make one a 409 (CouchDB itself takes both). Read it again: most likely as wanted.
      if (statusOf(err) !== 409 || attempt >= WRITE_ATTEMPTS) throw err;
    }
  }
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
