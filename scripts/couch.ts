/**
 * npm run couch: the embedded store alone, for several sync servers on one machine (or on a
 * private network) to share through COUCHDB_URL. Prints that URL, credentials included.
 *
 *   COUCH_PORT      port (default 5984)
 *   COUCH_HOST      listen address (default 127.0.0.1; anything else only on a private network)
 *   COUCH_ADMIN_USER / COUCH_ADMIN_PASSWORD   credentials (default admin / random per start)
 *   DATA_DIR        data under DATA_DIR/couch (default ./data), the same layout the server uses
 *
 * Apache CouchDB is the production store (couch/cluster/); this is the single-machine stand-in.
 */
import path from 'node:path';
import pino from 'pino';
import { EmbeddedCouch } from '../sync-server/embedded-couch/supervisor';

const log = pino({ level: process.env.LOG_LEVEL || 'info' });

async function main(): Promise<void> {
  const port = Number(process.env.COUCH_PORT || 5984);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`COUCH_PORT must be a port number, got "${process.env.COUCH_PORT}"`);
  const dir = path.join(path.resolve(process.env.DATA_DIR || './data'), 'couch');
  const store = new EmbeddedCouch({
    dir,
    log,
    port,
    host: process.env.COUCH_HOST || '127.0.0.1',
    adminUser: process.env.COUCH_ADMIN_USER || undefined,
    adminPassword: process.env.COUCH_ADMIN_PASSWORD || undefined
  });
  await store.start();
  // The one line an operator copies; printed on stdout, not in the log, so it is never shipped with logs.
  console.log(`COUCHDB_URL=${store.url}`);
  log.info(
    { dir, port: store.port },
    'embedded store running alone; start sync servers with COUCHDB_URL (and DEMO=1 once for the demo)'
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping the embedded store');
    store.stop().then(
      () => process.exit(0),
      () => process.exit(1)
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`The embedded store did not start: ${err.message}`);
  process.exit(1);
});
