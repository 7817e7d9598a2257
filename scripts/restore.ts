/**
 * npm run restore -- <file>
 * Puts a backup back into an empty store or into an organization whose databases are empty.
 * Refuses a damaged or foreign file, and databases that already hold documents, writing nothing.
 * The store: COUCHDB_URL, else the embedded store under DATA_DIR (see sync-server/ops/store-target.ts).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BackupFileError } from '../sync-server/ops/backup/format';
import { restoreStore, RestoreRefused } from '../sync-server/ops/backup/restore';
import { openStoreTarget } from '../sync-server/ops/store-target';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { file: { type: 'string' } } });
  const file = values.file ?? positionals[0];
  if (!file) {
    console.error('Usage: npm run restore -- <backup file>');
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`There is no file ${file}.`);
    return 2;
  }
  const started = Date.now();
  const target = await openStoreTarget();
  try {
    const result = await restoreStore(target.couch, file);
    const scope = result.header.scope.org ? `organization ${result.header.scope.org}` : 'the whole store';
    console.log(
      `Restored ${scope} from ${file} (made ${result.header.createdAt}) into ${target.describe}: ` +
        `${result.dbs} database(s), ${result.docs} document revision(s), in ${((Date.now() - started) / 1000).toFixed(1)} s.` +
        (result.skippedDesignDocs
          ? ` ${result.skippedDesignDocs} design document(s) were already provisioned and kept.`
          : '')
    );
    return 0;
  } catch (err) {
    if (err instanceof BackupFileError || err instanceof RestoreRefused) {
      console.error(`Restore refused: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await target.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`Restore failed: ${err.message}`);
    process.exit(1);
  }
);
