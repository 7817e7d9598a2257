/**
 * The integration tests against Apache CouchDB, the production store, instead of the embedded
 * one: each file runs alone, with `TEST_COUCHDB_URL` set (its test servers use that CouchDB,
 * `sync-server/testing/server.ts`) on a CouchDB emptied before it, as every file expects the
 * fresh demo region a test server starts with.
 *
 *   COUCHDB_URL=http://admin:secret@127.0.0.1:5984 npx tsx scripts/test-on-couchdb.ts <test files…>
 *
 * Emptying deletes every database but CouchDB's own, so it runs only on a scratch CouchDB:
 * one holding no database yet (it is then marked as scratch) or one marked so by an earlier run.
 * Files that kill or restart the embedded store, or give their server a data directory of
 * their own, test the embedded store and do not apply. The browser tests take
 * `E2E_COUCHDB_URL` (playwright.config.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import nano from 'nano';

const SCRATCH_MARK = 'ict_test_scratch';

/** Deletes every database but CouchDB's own and the scratch mark; refuses a CouchDB not marked scratch. */
async function empty(couch: nano.ServerScope): Promise<void> {
  const dbs = (await couch.db.list()).filter((d) => !d.startsWith('_'));
  if (!dbs.includes(SCRATCH_MARK)) {
    if (dbs.length > 0)
      throw new Error(
        `the CouchDB holds ${dbs.length} databases and is not marked as a scratch CouchDB (${SCRATCH_MARK}): ` +
          'these tests delete every database, so they run only on an empty CouchDB or one an earlier run marked'
      );
    await couch.db.create(SCRATCH_MARK);
  }
  for (const db of dbs) if (db !== SCRATCH_MARK) await couch.db.destroy(db);
}

function vitest(file: string, couchUrl: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve('node_modules', '.bin', 'vitest'), ['run', file], {
      env: { ...process.env, TEST_COUCHDB_URL: couchUrl },
      stdio: 'inherit'
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const couchUrl = process.env.COUCHDB_URL;
  const files = process.argv.slice(2);
  if (!couchUrl || files.length === 0) {
    console.error('usage: COUCHDB_URL=http://admin:…@host:5984 tsx scripts/test-on-couchdb.ts <test files…>');
    return 2;
  }
  const couch = nano(couchUrl);
  const failed: string[] = [];
  for (const file of files) {
    await empty(couch);
    if ((await vitest(file, couchUrl)) !== 0) failed.push(file);
  }
  console.log(
    failed.length ? `failed on CouchDB:\n  ${failed.join('\n  ')}` : `${files.length} files passed on CouchDB`
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  }
);
