/**
 * What the embedded store says about its open databases (`GET /_store_status` of the child),
 * turned into a problem for /api/health when a database could not be opened. Apache CouchDB
 * has no such endpoint; there the check is skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type nano from 'nano';

export interface StoreStatus {
  openDbs: number;
  maxOpenDbs: number;
  /** Open databases a request is using at the moment, which the bound never closes. */
  inUseDbs?: number;
  closedDbs: number;
  fileLimit: number | null;
  openFiles: number | null;
  failures: { db: string; error: string; at: string }[];
  /** Requests served since the store started, by method and kind (`GET _changes`, `GET doc`). */
  requests?: Record<string, number>;
}

export interface HealthProblem {
  code: string;
  message: string;
}

export async function embeddedStoreStatus(couch: nano.ServerScope): Promise<StoreStatus> {
  return (await couch.request({ path: '_store_status' })) as StoreStatus;
}

/** A person-readable problem when the store cannot open some database, else null. */
export function storeProblem(status: StoreStatus): HealthProblem | null {
  if (status.failures.length === 0) return null;
  const first = status.failures[status.failures.length - 1];
  const tooMany = status.failures.some((f) => /too many open files|EMFILE/i.test(f.error));
  const advice = tooMany
    ? `The process may open at most ${status.fileLimit ?? '?'} files. Raise the limit (ulimit -n 8192 before npm start, or LimitNOFILE=8192 in the systemd unit) or lower COUCH_MAX_OPEN_DBS (now ${status.maxOpenDbs}), then restart the server.`
    : 'Check the disk (free space, permissions of DATA_DIR/couch) and the server log, then restart the server.';
  return {
    code: tooMany ? 'store_file_limit' : 'store_open_failed',
    message: `The embedded store cannot open ${status.failures.length} database(s), for example ${first.db} (${first.error}). ${advice}`
  };
}

/**
 * Open files of the store's process against its limit (Linux /proc), read from outside: a
 * store that has run out of files may not even accept the connection that would ask it.
 */
export function processFiles(pid: number): { open: number; limit: number } | null {
  try {
    const open = readdirSync(`/proc/${pid}/fd`).length;
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? { open, limit: Number(m[1]) } : null;
  } catch {
    return null;
  }
}

/** A problem when the store's process is (nearly) out of files, else null. */
export function fileLimitProblem(files: { open: number; limit: number } | null): HealthProblem | null {
  if (!files || files.open < files.limit * 0.95) return null;
  return {
    code: 'store_file_limit',
    message: `The embedded store has ${files.open} of its ${files.limit} files open and cannot open more. Raise the limit (ulimit -n 8192 before npm start, or LimitNOFILE=8192 in the systemd unit) or lower COUCH_MAX_OPEN_DBS, then restart the server.`
  };
}
