/**
 * The embedded CouchDB-compatible server: express-pouchdb over pouchdb-node (LevelDB).
 *
 * Runs as a child process of the sync server so that a crash here (PouchDB Server has had
 * fatal requests) never takes the sync server down; the parent restarts it. Guarantees:
 * - listens on loopback (another address only when an operator runs the store alone and sets
 *   COUCH_HOST), and every request needs the admin credentials the parent
 *   passed in (Basic auth), so the gateway stays the only public path to the data;
 * - `GET /_db_updates` (missing from express-pouchdb) behaves like CouchDB's, so the change
 *   notifier has one code path for the embedded store and Apache CouchDB. Updates are taken
 *   from the HTTP layer: every write to this store arrives over HTTP, so a finished write
 *   request on `/<db>/…` is exactly a database update;
 * - at most a bounded number of databases are open at once (open-dbs.mjs), so the region's
 *   ~850 databases fit a 1,024 open-file limit; `GET /_store_status` tells how many are open,
 *   the file limit, and the databases that could not be opened (for /api/health);
 * - `POST /_dbs_info` (also missing from express-pouchdb) answers as CouchDB's does (dbs-info.mjs);
 * - reports readiness (`{type:'ready', port}`) over IPC and exits when the parent goes away.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import './pouchdb-validation-fix.mjs';
import { EventEmitter } from 'node:events';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-node';
import { memoizeAllDbs } from './all-dbs-memo.mjs';
import { changesFilters } from './changes-filters.mjs';
import { dbsInfo } from './dbs-info.mjs';
import { securityMemo } from './security-memo.mjs';
import { createOpenDbLimiter, fileLimit, maxOpenFor } from './open-dbs.mjs';

const dir = process.env.COUCH_DIR;
const port = Number(process.env.COUCH_PORT || 0);
const adminUser = process.env.COUCH_ADMIN_USER || 'admin';
const adminPassword = process.env.COUCH_ADMIN_PASSWORD;
if (!dir || !adminPassword) {
  console.error('COUCH_DIR and COUCH_ADMIN_PASSWORD are required');
  process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });

// Every concurrent _changes request on a database adds a listener to it; hundreds of users of one
// organization are expected, not a leak (Node warns past 10).
EventEmitter.defaultMaxListeners = 1000;

const Pouch = PouchDB.defaults({ prefix: dir + path.sep });
const limit = fileLimit();
const openDbs = createOpenDbLimiter(Pouch, { maxOpen: maxOpenFor(limit, process.env.COUCH_MAX_OPEN_DBS), limit });
const expected = Buffer.from('Basic ' + Buffer.from(`${adminUser}:${adminPassword}`).toString('base64'));

function isAdmin(req) {
  const got = Buffer.from(req.headers.authorization || '');
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

/* ---------- _db_updates: a ring of recent updates with a per-boot sequence ---------- */
const BOOT = crypto.randomBytes(4).toString('hex');
const RING_SIZE = 2000;
const ring = [];
let seq = 0;
const listeners = new Set();

function recordUpdate(dbName, type) {
  seq += 1;
  const entry = { db_name: dbName, type, seq: `${seq}-${BOOT}` };
  ring.push(entry);
  if (ring.length > RING_SIZE) ring.shift();
  for (const l of listeners) l(entry);
}

/** Entries after `since`; null when `since` is from another boot or fell off the ring. */
function entriesSince(since) {
  if (since === undefined || since === '' || since === '0') return ring.slice();
  if (since === 'now') return [];
  const [n, boot] = String(since).split('-');
  const num = Number(n);
  if (boot !== BOOT || !Number.isInteger(num)) return null;
  const oldest = ring.length ? Number(ring[0].seq.split('-')[0]) : seq + 1;
  if (num < oldest - 1) return null;
  return ring.filter((e) => Number(e.seq.split('-')[0]) > num);
}

function dbUpdates(req, res) {
  const feed = req.query.feed || 'normal';
  const heartbeat = Math.max(1000, Number(req.query.heartbeat) || 60000);
  const timeout = Math.max(1000, Number(req.query.timeout) || 60000);
  const lastSeq = () => `${seq}-${BOOT}`;
  // A stale `since` (other boot) yields everything we still hold; the caller catches up by update_seq.
  const backlog = entriesSince(req.query.since) ?? ring.slice();

  if (feed === 'normal' || (feed === 'longpoll' && backlog.length > 0)) {
    return res.json({ results: backlog, last_seq: lastSeq() });
  }
  if (feed === 'longpoll') {
    const done = (entry) => {
      cleanup();
      res.json({ results: entry ? [entry] : [], last_seq: lastSeq() });
    };
    const timer = setTimeout(() => done(null), timeout);
    const cleanup = () => {
      clearTimeout(timer);
      listeners.delete(done);
    };
    listeners.add(done);
    req.on('close', cleanup);
    return;
  }
  if (feed === 'continuous') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    for (const e of backlog) res.write(JSON.stringify(e) + '\n');
    const send = (e) => res.write(JSON.stringify(e) + '\n');
    const beat = setInterval(() => res.write('\n'), heartbeat);
    listeners.add(send);
    req.on('close', () => {
      clearInterval(beat);
      listeners.delete(send);
    });
    return;
  }
  res.status(400).json({ error: 'bad_request', reason: `unsupported feed: ${feed}` });
}

/* ---------- the HTTP server ---------- */
const app = express();
app.disable('x-powered-by');

app.use((req, res, next) => {
  if (isAdmin(req)) return next();
  res.status(401).json({ error: 'unauthorized', reason: 'Name or password is incorrect.' });
});

/*
 * Requests served since start, by method and kind (`GET _changes`, `GET doc`, `POST _bulk_docs`),
 * so an operator or the load test can tell what the gateway asks of the store per change.
 * A fixed set of keys: database and document names are never kept.
 */
const served = new Map();
function kindOf(req) {
  const [, first, second] = req.path.split('/');
  if (!first) return 'root';
  if (first.startsWith('_')) return first;
  if (!second) return 'db';
  if (second.startsWith('_')) return second === '_local' || second === '_design' ? 'doc' : second;
  return 'doc';
}
app.use((req, _res, next) => {
  const key = `${req.method} ${kindOf(req)}`;
  served.set(key, (served.get(key) ?? 0) + 1);
  next();
});

// The memo of the database list (all-dbs-memo.mjs), for express-pouchdb and `_dbs_info` alike.
app.use((req, res, next) => {
  memoizeAllDbs(Pouch);
  next();
});
app.get('/_db_updates', dbUpdates);
app.post('/_dbs_info', express.json({ limit: '1mb' }), dbsInfo(Pouch, openDbs), (err, _req, res, _next) => {
  res.status(err.status ?? 400).json({ error: 'bad_request', reason: `invalid JSON body: ${err.message}` });
});
app.get('/_store_status', (_req, res) => {
  openDbs.retryFailed().then(
    () => res.json({ ...openDbs.status(), requests: Object.fromEntries(served) }),
    (err) => res.status(500).json({ error: 'store_status', reason: String(err?.message ?? err) })
  );
});

const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE', 'COPY']);
// POST endpoints that only read: replication calls them constantly, they must not look like writes.
const READ_ONLY_POSTS = new Set([
  '_bulk_get',
  '_revs_diff',
  '_all_docs',
  '_find',
  '_explain',
  '_changes',
  '_ensure_full_commit',
  '_view_cleanup',
  '_compact'
]);
app.use((req, res, next) => {
  if (!WRITE_METHODS.has(req.method)) return next();
  const [, first, second] = req.path.split('/');
  if (!first || first.startsWith('_')) return next();
  if (req.method === 'POST' && (READ_ONLY_POSTS.has(second) || req.path.includes('/_view/'))) return next();
  // Like CouchDB, a `_local` document (a replication checkpoint) is not a change of the database.
  if (second === '_local') return next();
  const dbName = decodeURIComponent(first);
  const isDbItself = req.path.replace(/\/+$/, '') === '/' + first;
  res.on('close', () => {
    if (res.statusCode >= 400) return;
    if (isDbItself && req.method === 'PUT') recordUpdate(dbName, 'created');
    else if (isDbItself && req.method === 'DELETE') recordUpdate(dbName, 'deleted');
    else recordUpdate(dbName, 'updated');
  });
  next();
});

const pouchApp = expressPouchDB(Pouch, {
  mode: 'custom',
  overrideMode: {
    include: [
      'routes/404',
      'routes/all-dbs',
      'routes/all-docs',
      'routes/attachments',
      'routes/bulk-docs',
      'routes/bulk-get',
      'routes/changes',
      'routes/compact',
      'routes/db',
      'routes/documents',
      'routes/revs-diff',
      'routes/root',
      'routes/security',
      'routes/view-cleanup',
      'routes/views',
      'routes/ddoc-info',
      'routes/find',
      'validation'
    ]
  }
});
pouchApp.dbWrapper.registerWrapper(securityMemo);
app.use(changesFilters);
app.use(openDbs.middleware);
app.use(pouchApp);

const server = app.listen(port, process.env.COUCH_HOST || '127.0.0.1', () => {
  const actual = server.address().port;
  if (process.send) process.send({ type: 'ready', port: actual });
  else console.log(`embedded CouchDB on http://127.0.0.1:${actual}`);
});
// Idle keep-alive sockets must be closed by the client (undici closes them after ~4 s), never by
// this server: when the server closes one just as the sync server reuses it, that request fails
// with "other side closed" / ECONNRESET. Under load (a slow event loop) Node's 5 s default lost
// that race; sockets on loopback are cheap, so the server waits much longer.
server.keepAliveTimeout = 75_000;
server.headersTimeout = 76_000;
server.on('error', (err) => {
  console.error('embedded CouchDB cannot listen:', err.message);
  process.exit(3);
});

// express-pouchdb leaves some failed PouchDB calls' promises unhandled after it has answered the
// request (a filter naming a missing design document did): Node would end the process, and
// every user's sync with it. A request's own failure (a PouchDB error with a 4xx status) is
// logged and the store goes on; anything else still ends it, and the supervisor restarts it.
process.on('unhandledRejection', (err) => {
  const status = err && typeof err === 'object' ? err.status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    console.error(`a request failed after its answer (${status} ${err.name ?? ''}: ${err.message ?? ''})`);
    return;
  }
  console.error('unhandled failure in the embedded store:', err);
  process.exit(1);
});

// The parent going away (even by SIGKILL) closes the IPC channel: never outlive it.
process.on('disconnect', () => process.exit(0));
// The parent stops its own requests first; open feeds (_db_updates, longpolls) must not hold us.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 500).unref();
});
