/**
 * Bounds the databases (and so the files) the embedded store holds open.
 *
 * express-pouchdb opens a PouchDB (a LevelDB directory: LOCK, LOG, MANIFEST, journal and
 * table files, about four descriptors when small) on the first request for a database and
 * keeps it in `PouchDB.__dbCacheMap` for ever. The region's 846 databases then hold ~3,400
 * files, past the common limit of 1,024, and opens start failing with EMFILE.
 *
 * Guarantees:
 * - at most `maxOpen` databases stay open; the least recently used ones that no request is
 *   using are closed, and reopened on demand by express-pouchdb's own cache path;
 * - a database is never closed under a request: every request on `/<db>/…` counts as a use
 *   from before express-pouchdb sees it until its response is finished (long-polls and
 *   continuous feeds included), and a request for a database being closed waits for the close,
 *   so LevelDB's lock is free when it reopens;
 * - on Linux, when the process's descriptors pass 85 % of its limit anyway (large databases
 *   have many table files), idle databases are closed down further;
 * - a database that fails to open is dropped from the cache (so the next request retries
 *   instead of inheriting the failure), and the failure is kept in `status()` until that
 *   database opens (or, if its creation failed, is created) again; `retryFailed()` tries
 *   the existing ones again.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const expressPouchDir = require.resolve('express-pouchdb').replace(/index\.js$/, '');
const { getOrCreateDB } = require(expressPouchDir + 'create-or-delete-dbs.js');
const cleanFilename = require(expressPouchDir + 'clean-filename.js');

/** Files one small database costs, with room for a few table files and a view index. */
const FILES_PER_DB = 8;
/** Descriptors kept for sockets, the all-dbs database, node itself. */
const RESERVED_FILES = 128;
const PRESSURE = 0.85;
const MAX_FAILURES_KEPT = 50;

/** The process's soft open-file limit (Linux /proc, else the shell's `ulimit -n`), or null. */
export function fileLimit() {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    if (m) return m[1] === 'unlimited' ? null : Number(m[1]);
  } catch {
    // not Linux
  }
  try {
    const n = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

function openFileCount() {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

/** How many databases may stay open: `COUCH_MAX_OPEN_DBS`, else derived from the file limit. */
export function maxOpenFor(limit, configured) {
  if (configured) return Math.max(4, Number(configured));
  if (!limit) return 1000;
  return Math.min(2000, Math.max(16, Math.floor((limit - RESERVED_FILES) / FILES_PER_DB)));
}

export function createOpenDbLimiter(Pouch, { maxOpen, limit }) {
  const cache = (Pouch.__dbCacheMap ??= new Map());
  const inUse = new Map();
  /** Least recently used first (Map keeps insertion order; a use re-inserts). */
  const recent = new Map();
  const closing = new Map();
  const failures = new Map();
  let closedCount = 0;
  let lastFdCheck = 0;
  let fdCount = null;

  const touch = (name) => {
    recent.delete(name);
    recent.set(name, true);
  };

  function overPressure() {
    if (!limit) return false;
    const now = Date.now();
    if (now - lastFdCheck > 1000) {
      lastFdCheck = now;
      fdCount = openFileCount();
    }
    return fdCount !== null && fdCount > limit * PRESSURE;
  }

  function close(name) {
    const db = cache.get(name);
    cache.delete(name);
    recent.delete(name);
    if (!db || db.taskqueue?.failed) return;
    closedCount += 1;
    const done = db
      .close()
      .catch(() => {})
      .finally(() => closing.delete(name));
    closing.set(name, done);
  }

  function evict() {
    let target = maxOpen;
    if (cache.size > 16 && overPressure()) target = Math.floor(cache.size * 0.7);
    if (cache.size <= target) return;
    for (const name of recent.keys()) {
      if (cache.size <= target) break;
      if (!inUse.get(name) && cache.has(name)) close(name);
    }
    if (target < maxOpen) lastFdCheck = 0;
  }

  /** After a request: forget a failed open (and remember why), register what PUT /db opened. */
  function settle(name, req, res) {
    const db = cache.get(name);
    if (db?.taskqueue?.failed) {
      cache.delete(name);
      recordFailure(name, db.taskqueue.failed);
    } else if (db?.taskqueue?.isReady) {
      failures.delete(name);
    }
    const isDbItself = req.path.replace(/\/+$/, '').split('/').length === 2;
    if (isDbItself && req.method === 'PUT' && res.statusCode === 201 && !cache.has(name)) {
      // PUT /<db> opens the database outside the cache; take it in so it can be closed.
      inUse.set(name, (inUse.get(name) ?? 0) + 1);
      getOrCreateDB(Pouch, name)
        .then(() => failures.delete(name))
        .catch((err) => recordFailure(name, err))
        .finally(() => release(name));
    }
  }

  /** PUT /<db> answers a failed open as 412 like "exists": read the answer to tell them apart. */
  function watchCreate(name, res) {
    const end = res.end;
    res.end = function (chunk, ...rest) {
      if (res.statusCode >= 400 && chunk) {
        try {
          const body = JSON.parse(String(chunk));
          if (body.error !== 'file_exists') recordFailure(name, new Error(`${body.error}: ${body.reason}`));
        } catch {
          recordFailure(name, new Error(`could not create the database (HTTP ${res.statusCode})`));
        }
      }
      return end.call(this, chunk, ...rest);
    };
  }

  function recordFailure(name, err) {
    failures.delete(name);
    failures.set(name, { db: name, error: String(err?.message ?? err), at: new Date().toISOString() });
    if (failures.size > MAX_FAILURES_KEPT) failures.delete(failures.keys().next().value);
  }

  function release(name) {
    const n = (inUse.get(name) ?? 1) - 1;
    if (n > 0) inUse.set(name, n);
    else inUse.delete(name);
    touch(name);
    evict();
  }

  /** Express middleware; mount before express-pouchdb. */
  function middleware(req, res, next) {
    const first = req.path.split('/')[1];
    if (!first || first.startsWith('_')) return next();
    let name;
    try {
      name = cleanFilename(decodeURIComponent(first));
    } catch {
      return next();
    }
    inUse.set(name, (inUse.get(name) ?? 0) + 1);
    touch(name);
    if (req.method === 'PUT' && req.path.replace(/\/+$/, '') === '/' + first) watchCreate(name, res);
    let released = false;
    res.on('close', () => {
      if (released) return;
      released = true;
      settle(name, req, res);
      release(name);
    });
    const pending = closing.get(name);
    if (pending) pending.then(() => next(), next);
    else next();
  }

  /** Opens the databases that failed before; those that open now are no longer failures. */
  async function retryFailed() {
    // Only databases that exist: one whose creation failed stays a failure until it is created.
    const existing = new Set(await Pouch.allDbs());
    for (const name of [...failures.keys()].filter((n) => existing.has(n)).slice(0, 10)) {
      await use(name, (db) => db.info()).catch((err) => recordFailure(name, err));
    }
  }

  /**
   * Runs `fn` with the open database `name`, held as a request holds it (never closed under
   * it, after a pending close of it): for the store's own routes that read several databases.
   */
  async function use(name, fn) {
    inUse.set(name, (inUse.get(name) ?? 0) + 1);
    touch(name);
    try {
      await closing.get(name);
      const db = await getOrCreateDB(Pouch, name);
      const result = await fn(db);
      if (!db.taskqueue?.failed) failures.delete(name);
      return result;
    } catch (err) {
      if (cache.get(name)?.taskqueue?.failed) {
        cache.delete(name);
        recordFailure(name, err);
      }
      throw err;
    } finally {
      release(name);
    }
  }

  function status() {
    return {
      openDbs: cache.size,
      maxOpenDbs: maxOpen,
      // Databases a request is using are never closed, so open may pass the bound by these.
      inUseDbs: inUse.size,
      closedDbs: closedCount,
      fileLimit: limit,
      openFiles: openFileCount(),
      failures: [...failures.values()]
    };
  }

  return { middleware, status, retryFailed, use };
}
