/**
 * Backup: every database of the store, or one organization's (`org_<org>_*`), into one file
 * (format.ts). Each database's leaf revisions are listed from `_changes?style=all_docs`
 * (deleted documents and conflicts included) and fetched with `_bulk_get?revs=true&attachments=true`,
 * so the file holds every document with its history and attachment bodies, design documents
 * and the security object. `_local` documents (replication checkpoints) are left out: a
 * client whose checkpoint is missing simply compares revisions again.
 */
import type nano from 'nano';
import { BackupWriter, FORMAT, VERSION, type DocRecord, type EndRecord } from './format';

const PAGE = 200;

export interface BackupOptions {
  org?: string;
  source: 'embedded' | 'external';
}

export interface BackupResult extends EndRecord {
  file: string;
  databases: string[];
}

/** The databases a backup of this scope holds: CouchDB's own `_…` databases never. */
export async function databasesInScope(couch: nano.ServerScope, org?: string): Promise<string[]> {
  const all = (await couch.db.list()).filter((db) => !db.startsWith('_')).sort();
  return org ? all.filter((db) => db.startsWith(`org_${org}_`)) : all;
}

interface ChangeRow {
  id: string;
  changes: { rev: string }[];
}

async function* leafRevisions(couch: nano.ServerScope, db: string): AsyncGenerator<{ id: string; rev: string }[]> {
  let since: string | number = 0;
  for (;;) {
    const page = (await couch.request({ db, path: '_changes', qs: { style: 'all_docs', since, limit: PAGE } })) as {
      results: ChangeRow[];
      last_seq: string | number;
    };
    if (page.results.length === 0) return;
    yield page.results
      .filter((r) => !r.id.startsWith('_local/'))
      .flatMap((r) => r.changes.map((c) => ({ id: r.id, rev: c.rev })));
    since = page.last_seq;
  }
}

interface BulkGetResult {
  results: { id: string; docs: ({ ok: DocRecord['doc'] } | { error: { error: string; reason: string } })[] }[];
}

export async function backupStore(couch: nano.ServerScope, file: string, opts: BackupOptions): Promise<BackupResult> {
  const databases = await databasesInScope(couch, opts.org);
  if (opts.org && databases.length === 0)
    throw new Error(`there is no organization "${opts.org}" in this store (no org_${opts.org}_* database)`);
  const out = new BackupWriter(file);
  await out.write({
    type: 'header',
    format: FORMAT,
    version: VERSION,
    createdAt: new Date().toISOString(),
    scope: opts.org ? { org: opts.org } : {},
    source: opts.source
  });
  for (const db of databases) {
    const security = (await couch.request({ db, path: '_security' })) as Record<string, unknown>;
    await out.write({ type: 'db', name: db, security });
    for await (const revs of leafRevisions(couch, db)) {
      if (revs.length === 0) continue;
      const got = (await couch.request({
        db,
        method: 'POST',
        path: '_bulk_get',
        qs: { revs: true, attachments: true },
        body: { docs: revs }
      })) as BulkGetResult;
      for (const result of got.results) {
        for (const entry of result.docs) {
          if ('error' in entry)
            throw new Error(`cannot read ${db}/${result.id}: ${entry.error.error} ${entry.error.reason}`);
          await out.write({ type: 'doc', db, doc: entry.ok });
        }
      }
    }
  }
  const end = await out.finish();
  return { ...end, file, databases };
}
