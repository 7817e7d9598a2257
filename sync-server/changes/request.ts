/**
 * The body of `POST /api/changes`, checked before anything is read: `{"since": {db: seq},
 * "limit"?: n}`. Every problem is answered with a sentence that names the field at fault.
 */
import { MAX_BATCH_DBS, MAX_BATCH_DOCS, type Seq } from '../../src/lib/domain/sync-protocol';

export interface BatchRequest {
  since: [db: string, seq: Seq][];
  limit: number;
}

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
/** The gateway's own rule for `since` (numbers on PouchDB Server, opaque strings on CouchDB 3). */
const SEQ = /^[0-9A-Za-z_-]{1,4000}$/;
const DB_NAME = /^[a-z][a-z0-9_-]{0,80}$/;

export function parseBatchRequest(body: unknown): BatchRequest | string {
  if (!isObject(body)) return 'send a JSON object {"since": {"<database>": <sequence>, …}, "limit": <count>}';
  for (const k of Object.keys(body))
    if (k !== 'since' && k !== 'limit') return `"${k}" is not a field of a changes request (only "since" and "limit")`;
  const { since, limit = MAX_BATCH_DOCS } = body;
  if (!isObject(since)) return '"since" must be an object mapping database names to sequences';
  const entries = Object.entries(since);
  if (entries.length === 0) return '"since" names no database';
  if (entries.length > MAX_BATCH_DBS) return `"since" may name at most ${MAX_BATCH_DBS} databases`;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH_DOCS)
    return `"limit" must be a whole number from 1 to ${MAX_BATCH_DOCS}`;
  const out: [string, Seq][] = [];
  for (const [db, seq] of entries) {
    if (!DB_NAME.test(db)) return `"${db.slice(0, 100)}" is not a database name`;
    if (typeof seq === 'number') {
      if (!Number.isSafeInteger(seq) || seq < 0) return `the sequence of ${db} must be a whole number 0 or more`;
    } else if (typeof seq !== 'string' || !SEQ.test(seq))
      return `the sequence of ${db} must be a sequence from its changes feed (a number or a sequence string)`;
    out.push([db, seq]);
  }
  return { since: out, limit };
}
