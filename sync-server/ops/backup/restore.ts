/**
 * Restore: puts a backup file back into an empty store or into an organization whose
 * databases are empty (new, or just provisioned).
 *
 * Guarantees: the whole file is read and its checksum verified before anything is written
 * (a damaged or foreign file changes nothing); a database that already holds documents is
 * never written to (restore refuses, naming it); documents go in with `new_edits: false`,
 * so each keeps its revision ids and history, conflicts and deletions included, and a device
 * that synced before the loss finds nothing new and nothing in conflict. Design documents
 * already present (the server provisions them) are left alone; the others are written last,
 * so the data is not checked against rules that were not yet there when it was written.
 */
import type nano from 'nano';
import { readBackup, type DocRecord, type Header } from './format';
import { isStatus } from '../../couch-status';

const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_DOCS = 500;

export class RestoreRefused extends Error {}

export interface RestoreResult {
  header: Header;
  dbs: number;
  docs: number;
  skippedDesignDocs: number;
}

/** Reads the file through once: header, databases, counts; throws if it is damaged or foreign. */
export async function verifyBackup(file: string): Promise<{ header: Header; databases: string[]; docs: number }> {
  const reader = readBackup(file);
  let header: Header | undefined;
  const databases: string[] = [];
  for (;;) {
    const next = await reader.next();
    if (next.done) return { header: header!, databases, docs: next.value.docs };
    const r = next.value;
    if (r.type === 'header') header = r;
    else if (r.type === 'db') databases.push(r.name);
  }
}

async function documentCount(couch: nano.ServerScope, db: string): Promise<number | null> {
  try {
    const info = await couch.db.get(db);
    const design = (await couch.request({
      db,
      path: '_all_docs',
      qs: { startkey: '_design/', endkey: '_design0' }
    })) as { rows: unknown[] };
    // PouchDB Server reports no doc_del_count.
    return info.doc_count - design.rows.length + (info.doc_del_count ?? 0);
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

async function writeBatch(couch: nano.ServerScope, db: string, docs: DocRecord['doc'][]): Promise<void> {
  if (docs.length === 0) return;
  const rows = (await couch.request({ db, method: 'POST', path: '_bulk_docs', body: { docs, new_edits: false } })) as {
    id: string;
    error?: string;
    reason?: string;
  }[];
  const failed = rows.filter((r) => r.error);
  if (failed.length > 0)
    throw new Error(
      `restoring ${db} failed for ${failed.length} document(s), e.g. ${failed[0].id}: ${failed[0].error} ${failed[0].reason ?? ''}`
    );
}

export async function restoreStore(couch: nano.ServerScope, file: string): Promise<RestoreResult> {
  const { header, databases } = await verifyBackup(file);

  const notEmpty: string[] = [];
  for (const db of databases) {
    const n = await documentCount(couch, db);
    if (n) notEmpty.push(`${db} (${n})`);
  }
  if (notEmpty.length > 0) {
    throw new RestoreRefused(
      `restore writes only into empty databases, and ${notEmpty.length} already hold documents: ${notEmpty.slice(0, 5).join(', ')}${notEmpty.length > 5 ? ', …' : ''}. ` +
        'Restore into a new DATA_DIR (or an empty CouchDB), or into an organization whose databases are new.'
    );
  }

  let dbs = 0;
  let docs = 0;
  let skippedDesignDocs = 0;
  let current: string | null = null;
  let batch: DocRecord['doc'][] = [];
  let batchBytes = 0;
  let design: DocRecord['doc'][] = [];

  const flush = async () => {
    if (current) await writeBatch(couch, current, batch);
    batch = [];
    batchBytes = 0;
  };
  const finishDb = async () => {
    await flush();
    if (!current) return;
    for (const ddoc of design) {
      const present = await couch.request({ db: current, path: encodeURIComponent(ddoc._id).replace('%2F', '/') }).then(
        () => true,
        (err: unknown) => (isStatus(err, 404) ? false : Promise.reject(err))
      );
      if (present) skippedDesignDocs += 1;
      else await writeBatch(couch, current, [ddoc]);
    }
    design = [];
  };

  for await (const r of readBackup(file)) {
    if (r.type === 'db') {
      await finishDb();
      current = r.name;
      dbs += 1;
      await couch.db
        .create(r.name)
        .catch((err: unknown) =>
          isStatus(err, 412) && (err as { error?: string }).error === 'file_exists' ? undefined : Promise.reject(err)
        );
      await couch.request({ db: r.name, method: 'PUT', path: '_security', body: r.security });
    } else if (r.type === 'doc') {
      docs += 1;
      if (r.doc._id.startsWith('_design/')) {
        design.push(r.doc);
        continue;
      }
      const size = JSON.stringify(r.doc).length;
      if (batch.length >= BATCH_DOCS || (batch.length > 0 && batchBytes + size > BATCH_BYTES)) await flush();
      batch.push(r.doc);
      batchBytes += size;
    }
  }
  await finishDb();
  return { header, dbs, docs, skippedDesignDocs };
}
