/**
 * Moves the contract archive out of the asset register, at every start (after provisioning and
 * the demo seed): contract records (and the history of their edits) from `org_<org>_assets` to
 * `org_<org>_contracts`, and the scans they name (`mediaId`) from `org_<org>_media` to
 * `org_<org>_contractscans`. Requesters replicate the register and the media database; they
 * must not read contracts (see `domain/assets/contracts-db.ts`).
 *
 * Each document is copied with its revision history (`new_edits: false`), so a device that
 * already holds it sees the same revision arrive from the new database and has nothing to
 * merge; then it is deleted where it was, and that database is compacted, so the old bodies
 * cannot be read back by `rev=`, `open_revs` or `_bulk_get`. A second run finds the copies in
 * place (writing them again changes nothing) and nothing left to delete.
 *
 * Done is recorded once for the region (`migration:contracts-db` in `auth`, the organizations
 * done), like the ticket migration: a start with everything done reads one document. An
 * organization is recorded only after its compactions finished. Writes go straight to CouchDB
 * as its admin: the move is the server's own act (the gateway refuses contracts in the register).
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { isContractsDbRecord } from '../../src/lib/domain/assets/contracts-db';
import { orgDb } from '../../src/lib/domain/databases';
import { compacted, migratePendingOrgs } from '../provision/migration-marker';
import { statusOf } from '../couch-status';

export const CONTRACTS_MARKER = { db: 'auth', id: 'migration:contracts-db' } as const;
const PAGE = 500;

type Doc = Record<string, unknown> & { _id: string; _rev: string };

export interface ContractsMoveReport {
  contracts: number;
  scans: number;
  orgs: string[];
}

/** Copies documents with their history (and files), then deletes them at the source. */
async function move(couch: nano.ServerScope, from: string, to: string, ids: readonly string[]): Promise<number> {
  const source = couch.use<Doc>(from);
  const target = couch.use<Doc>(to);
  let moved = 0;
  for (const id of ids) {
    let doc: Doc;
    try {
      doc = (await source.get(id, { revs: true, attachments: true })) as Doc;
    } catch (err) {
      if (statusOf(err) === 404) continue;
      throw err;
    }
    const rows = await target.bulk({ docs: [doc], new_edits: false } as never);
    const failed = (rows as { error?: string; reason?: string }[]).find((r) => r.error);
    if (failed) throw new Error(`copying ${id} to ${to} failed: ${failed.reason ?? failed.error}`);
    await source.destroy(id, doc._rev);
    moved++;
  }
  return moved;
}

/** Moves one organization's contracts and their scans; `done` false when a compaction has not finished. */
export async function moveOrgContracts(
  couch: nano.ServerScope,
  orgId: string,
  log?: FastifyBaseLogger
): Promise<ContractsMoveReport & { done: boolean }> {
  const assets = couch.use<Doc>(orgDb(orgId, 'assets'));
  const records: string[] = [];
  const scans = new Set<string>();
  let startkey: string | undefined;
  for (;;) {
    const page = await assets.list({ include_docs: true, limit: PAGE + 1, ...(startkey ? { startkey } : {}) });
    for (const row of page.rows.slice(0, PAGE)) {
      const doc = row.doc as Doc | undefined;
      if (!doc || row.id.startsWith('_design/') || !isContractsDbRecord(doc)) continue;
      records.push(row.id);
      const mediaId = (doc.data as { mediaId?: unknown } | undefined)?.mediaId;
      if (typeof mediaId === 'string' && mediaId) scans.add(mediaId);
    }
    if (page.rows.length <= PAGE) break;
    startkey = page.rows[PAGE].id;
  }
  // Scans of contracts already moved (an earlier run stopped before its marker) are found there.
  const archived = await couch.use<Doc>(orgDb(orgId, 'contracts')).list({ include_docs: true });
  for (const row of archived.rows) {
    const mediaId = ((row.doc as Doc | undefined)?.data as { mediaId?: unknown } | undefined)?.mediaId;
    if (typeof mediaId === 'string' && mediaId) scans.add(mediaId);
  }
  const report = { contracts: 0, scans: 0, orgs: [] as string[], done: true };
  report.contracts = await move(couch, orgDb(orgId, 'assets'), orgDb(orgId, 'contracts'), records);
  report.scans = await move(couch, orgDb(orgId, 'media'), orgDb(orgId, 'contractscans'), [...scans]);
  for (const [count, coll] of [
    [report.contracts, 'assets'],
    [report.scans, 'media']
  ] as const) {
    if (!count) continue;
    const name = orgDb(orgId, coll);
    if (!(await compacted(couch, name))) {
      log?.warn({ db: name }, 'compaction still running; the contracts move will be confirmed at the next start');
      report.done = false;
    }
  }
  return report;
}

/** Moves the contracts of every organization not done before; one read when all are. */
export async function moveContractsOut(
  couch: nano.ServerScope,
  orgIds: readonly string[],
  log?: FastifyBaseLogger
): Promise<ContractsMoveReport> {
  const total: ContractsMoveReport = { contracts: 0, scans: 0, orgs: [] };
  total.orgs = await migratePendingOrgs(couch, CONTRACTS_MARKER, orgIds, async (org) => {
    const r = await moveOrgContracts(couch, org, log);
    total.contracts += r.contracts;
    total.scans += r.scans;
    return r.done;
  });
  if (total.contracts || total.scans) log?.info(total, 'contracts and their scans moved out of the asset register');
  return total;
}
