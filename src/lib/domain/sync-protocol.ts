/**
 * What the app's sync and the server agree on beyond CouchDB's own protocol: the batched
 * changes feed (`POST /api/changes`) and the header that names whose store a request syncs.
 *
 * The batched feed answers the changes of many databases in one request, with the gateway's
 * authorization for each; a user of 140 organizations reads them in a few requests instead of
 * one per database. Sequences are opaque, exactly as each database's `_changes` gives them.
 */

/** The client's user id (URI-encoded), sent with every sync request; the server compares it with the session. */
export const SESSION_USER_HEADER = 'x-sync-user';
/** The server's error code when the session belongs to someone else than the header names. */
export const SESSION_MISMATCH = 'session_mismatch';

export type Seq = string | number;

/** Documents one answer holds at most, over all its databases (one page of the gateway's `_changes`). */
export const MAX_BATCH_DOCS = 1000;
/** Databases one request may name: an administrator of the whole region reads about 1,000. */
export const MAX_BATCH_DBS = 2000;

export interface BatchChangesRequest {
  /** Database → the sequence to read after (0 for its beginning). */
  since: Record<string, Seq>;
  /** Most documents in the answer, over all databases (default and maximum `MAX_BATCH_DOCS`). */
  limit?: number;
}

export interface BatchChange {
  id: string;
  seq: Seq;
  deleted?: boolean;
  doc?: Record<string, unknown> & { _id: string };
}

export interface BatchDbChanges {
  results: BatchChange[];
  /** Pass back as `since` for this database. */
  last_seq: Seq;
  /** More changes follow this page. */
  more: boolean;
  /** Documents in the database, given when it is read from its beginning and has more than this page. */
  doc_count?: number;
}

export interface BatchRefusal {
  status: number;
  error: string;
  reason: string;
}

export interface BatchChangesResponse {
  /** Databases read, in the order asked. */
  results: Record<string, BatchDbChanges>;
  /** Databases the user may not read (or that do not exist), with the gateway's answer for them. */
  refused: Record<string, BatchRefusal>;
  /** Databases not read because the answer was full: ask again. */
  unread: string[];
}
