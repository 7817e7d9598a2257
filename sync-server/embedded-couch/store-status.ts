/**
 * What the embedded store says about its open databases (`GET /_store_status` of the child),
 * turned into a problem for /api/health when a database could not be opened. Apache CouchDB
 * has no such endpoint; there the check is skipped.
 */
import type nano from 'nano';

export interface StoreStatus {
  openDbs: number;
  maxOpenDbs: number;
  closedDbs: number;
  fileLimit: number | null;
  openFiles: number | null;
  failures: { db: string; error: string; at: string }[];
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
