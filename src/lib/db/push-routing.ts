/**
 * Pure decisions of the push: which database each document goes to, what to write given
 * the server's current state, and how to read CouchDB's per-document `_bulk_docs` answer.
 *
 * Guarantees: a document only goes to the database of its own organization (never to
 * another org's database, which would be refused); a document refused by the server is
 * classified as rejected, not as a conflict, so it is set aside instead of being retried
 * in a loop; an optimistic write only happens when the server still holds the state the
 * local edit was built on, otherwise the server's state comes back as a conflict to merge.
 */
import { assetsDbCollectionOf } from '../domain/assets/contracts-db';
import { orgDb, parseDbName } from '../domain/databases';
import { sameEdit, sameState, type CouchDoc, type DocState } from './couch-doc';
import { plainCodec, REGION_COLLECTION, regionDbOf, type DocCodec } from './region';

export interface DbAccess {
  db: string;
  write: boolean;
}

export interface PushRow {
  newDocumentState: DocState;
  assumedMasterState?: DocState;
}

export type RefusalCode = 'no-org' | 'no-access' | 'read-only' | 'forbidden' | 'invalid' | 'error';
export interface Refusal {
  id: string;
  code: RefusalCode;
  reason: string;
}

/** Database a document of a collection lives in, or null when it names no valid organization. */
export function dbForDoc(collection: string, doc: DocState): string | null {
  // Region reference data: the database the document was pulled from (or was made for).
  if (collection === REGION_COLLECTION) return regionDbOf(doc);
  const orgId = doc.orgId;
  if (typeof orgId !== 'string') return null;
  try {
    // The asset module's one collection is fed by the register and the contract archive.
    if (collection === 'assets') return orgDb(orgId, assetsDbCollectionOf(doc));
    return orgDb(orgId, collection as never);
  } catch {
    return null;
  }
}

export function routeForPush(
  collection: string,
  rows: readonly PushRow[],
  access: readonly DbAccess[],
  keyOf: (state: DocState) => string = (s) => s.id
): { byDb: Map<string, PushRow[]>; refused: Refusal[] } {
  const rights = new Map(access.map((a) => [a.db, a.write]));
  const byDb = new Map<string, PushRow[]>();
  const refused: Refusal[] = [];
  for (const row of rows) {
    // Refusals name the local key: two region documents may share an id across databases.
    const id = keyOf(row.newDocumentState);
    const db = dbForDoc(collection, row.newDocumentState);
    if (!db || !parseDbName(db)) {
      refused.push({ id, code: 'no-org', reason: 'The document names no valid organization.' });
    } else if (!rights.has(db)) {
      refused.push({ id, code: 'no-access', reason: `You have no access to ${db}.` });
    } else if (!rights.get(db)) {
      refused.push({ id, code: 'read-only', reason: `You may read ${db} but not change it.` });
    } else {
      const list = byDb.get(db) ?? [];
      list.push(row);
      byDb.set(db, list);
    }
  }
  return { byDb, refused };
}

/** What the server holds for an id, from `_all_docs?keys` with `include_docs`. */
export interface MasterInfo {
  rev?: string;
  deleted: boolean;
  doc: CouchDoc | null;
}

export interface AllDocsRow {
  key: string;
  id?: string;
  error?: string;
  value?: { rev: string; deleted?: boolean };
  doc?: CouchDoc | null;
}

export function mastersFromAllDocs(rows: readonly AllDocsRow[]): Map<string, MasterInfo> {
  const out = new Map<string, MasterInfo>();
  for (const r of rows) {
    if (r.error || !r.value) continue;
    out.set(r.key, { rev: r.value.rev, deleted: !!r.value.deleted, doc: r.doc ?? null });
  }
  return out;
}

export interface WritePlan {
  /** Documents for `_bulk_docs`, each with the rev it updates. */
  write: CouchDoc[];
  /** Server states that differ from what the local edit was built on. */
  conflicts: DocState[];
  /** Nothing to send (a local deletion of a document the server never had). */
  noop: string[];
}

/**
 * Rows RxDB read before the document changed on the device (the pull stored a newer server
 * version, or the person edited it again): RxDB's upstream takes a document's state when it
 * queues it and the assumed server state only when it pushes, so such a row pairs an old
 * version with a newer base. Written, it would pass the base check and put the old version
 * back over the newer one. It is not written: handed back as its own conflict, its merge is
 * itself, RxDB's write of it meets the newer local version and is dropped, and what the
 * device holds now (a pulled state is already the base; a new edit is queued) goes on.
 */
export function outdatedRows(
  rows: readonly PushRow[],
  current: ReadonlyMap<string, DocState>,
  keyOf: (s: DocState) => string
): Set<string> {
  const out = new Set<string>();
  for (const row of rows) {
    const key = keyOf(row.newDocumentState);
    const now = current.get(key);
    if (now && !sameState(now, row.newDocumentState)) out.add(key);
  }
  return out;
}

/**
 * `expected(row)` is the server state the local edit was built on: RxDB's assumed master,
 * or, for a document once refused, the server state recorded when it was set aside.
 */
export function planWrites(
  rows: readonly PushRow[],
  masters: ReadonlyMap<string, MasterInfo>,
  expected: (row: PushRow) => DocState | null,
  /** Rows of ONE database: `db` and `codec` turn its documents into local states and back. */
  db = '',
  codec: DocCodec = plainCodec,
  /**
   * Ids made from content (an asset's from its inventory number): a record created here that
   * meets another creation under the same id is a duplicate, not an edit to merge, so it is
   * sent as new and the server refuses it with its reason.
   */
  contentIds = false
): WritePlan {
  const plan: WritePlan = { write: [], conflicts: [], noop: [] };
  for (const row of rows) {
    const local = row.newDocumentState;
    const base = expected(row);
    const master = masters.get(local.id);
    const liveMaster = master && !master.deleted && master.doc ? codec.fromCouch(db, master.doc) : null;
    if (!liveMaster) {
      const baseLive = base && !base._deleted ? base : null;
      if (local._deleted) plan.noop.push(local.id);
      else if (baseLive) plan.conflicts.push(codec.fromCouch(db, { _id: local.id, _deleted: true }));
      else plan.write.push(codec.toCouch(local, master?.rev));
      continue;
    }
    if (contentIds && !base && (liveMaster.createdAt !== local.createdAt || liveMaster.createdBy !== local.createdBy)) {
      plan.write.push(codec.toCouch(local, undefined));
      continue;
    }
    // The server already holds exactly this version (a merge that took the server's version):
    // writing it again would only restamp it, and the gateway refuses a copy signed by someone
    // else. (A copy without the server's stamps is written as before, so the device gets them.)
    if (sameState(local, liveMaster)) {
      plan.noop.push(local.id);
      continue;
    }
    if (base && !base._deleted && sameEdit(base, liveMaster)) {
      const doc = codec.toCouch(local, master!.rev);
      if (doc.receivedAt === undefined && liveMaster.receivedAt !== undefined) doc.receivedAt = liveMaster.receivedAt;
      plan.write.push(doc);
    } else {
      plan.conflicts.push(liveMaster);
    }
  }
  return plan;
}

export interface BulkDocsRow {
  id?: string;
  ok?: boolean;
  rev?: string;
  error?: string;
  reason?: string;
}

export interface BulkOutcome {
  written: string[];
  conflicts: string[];
  rejected: Refusal[];
}

/** Reads CouchDB's per-document answer; a document with no answer is set aside like a refusal, for the user to retry. */
export function classifyBulkResult(sentIds: readonly string[], response: readonly BulkDocsRow[]): BulkOutcome {
  const out: BulkOutcome = { written: [], conflicts: [], rejected: [] };
  const byId = new Map(response.filter((r) => r.id).map((r) => [r.id as string, r]));
  for (const id of sentIds) {
    const r = byId.get(id);
    if (!r) out.rejected.push({ id, code: 'error', reason: 'The server did not answer for this document.' });
    else if (!r.error && (r.ok || r.rev)) out.written.push(id);
    else if (r.error === 'conflict') out.conflicts.push(id);
    else {
      const code: RefusalCode = r.error === 'forbidden' ? 'forbidden' : r.error === 'bad_request' ? 'invalid' : 'error';
      out.rejected.push({ id, code, reason: r.reason || r.error || 'refused' });
    }
  }
  return out;
}
