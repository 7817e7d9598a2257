/**
 * npm run backup [-- --org <orgId>] [--out <file>]
 * Writes the whole store, or one organization's databases, to one checksummed file.
 * The store: COUCHDB_URL, else the embedded store under DATA_DIR (see sync-server/ops/store-target.ts).
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ORG_ID_PATTERN } from '../src/lib/domain/databases';
import { backupStore } from '../sync-server/ops/backup/backup';
import { openStoreTarget } from '../sync-server/ops/store-target';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { org: { type: 'string' }, out: { type: 'string' } } });
  if (values.org !== undefined && !ORG_ID_PATTERN.test(values.org)) {
    console.error(`--org must be an organization id (lowercase letters, digits, dashes), got "${values.org}"`);
    return 2;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.resolve(values.out ?? path.join('backups', `backup-${values.org ?? 'all'}-${stamp}.ndjson.gz`));
  mkdirSync(path.dirname(file), { recursive: true });
  const started = Date.now();
  const target = await openStoreTarget();
  try {
    const result = await backupStore(target.couch, file, { org: values.org, source: target.mode });
    const bytes = statSync(file).size;
    console.log(
      `Backed up ${result.dbs} database(s), ${result.docs} document revision(s) from ${target.describe} to ${file} ` +
        `(${(bytes / 1024).toFixed(0)} KiB, sha256 ${result.sha256.slice(0, 16)}…) in ${((Date.now() - started) / 1000).toFixed(1)} s.`
    );
    return 0;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`Backup failed: ${err.message}`);
    process.exit(1);
  }
);
