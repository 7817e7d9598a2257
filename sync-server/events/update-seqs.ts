/**
 * Every database's update sequence, read a hundred databases per request through CouchDB's
 * `POST /_dbs_info` (CouchDB 2.2 and later, and the embedded store) instead of one
 * `GET /<db>` each: the notifier reads all of them at every start and every two minutes, and
 * a region has ~850 databases (a gateway on a shared CouchDB, a hundred times that).
 *
 * Guarantees:
 * - the answer has the sequence of every listed database that exists, as `GET /<db>` gives
 *   it (`String(update_seq)`); a database deleted meanwhile is left out;
 * - a store that does not know `_dbs_info` (404, 405, or 400 to the request itself) is read one
 *   database at a time, as before, and not asked again;
 * - any other failure, of the request or of one database, rejects: the caller's catch-up is
 *   then retried as a whole, never taken as "nothing moved".
 */
import type nano from 'nano';
import { eachLimited } from '../each-limited.mjs';
import { statusOf } from '../couch-status';

/** CouchDB's default `max_db_number_for_dbs_info_req`. */
export const DBS_PER_REQUEST = 100;
const CONCURRENCY = 2;
const ONE_BY_ONE_CONCURRENCY = 8;

interface DbsInfoEntry {
  key: string;
  info?: { update_seq: string | number };
  error?: string;
  reason?: string;
}

export class UpdateSeqReader {
  /** False once the store answered that it has no `_dbs_info`. */
  private batched = true;

  constructor(private readonly couch: nano.ServerScope) {}

  async read(dbs: readonly string[]): Promise<Map<string, string>> {
    const seqs = new Map<string, string>();
    if (this.batched) {
      const chunks: string[][] = [];
      for (let i = 0; i < dbs.length; i += DBS_PER_REQUEST) chunks.push(dbs.slice(i, i + DBS_PER_REQUEST));
      try {
        await eachLimited(chunks, CONCURRENCY, async (keys) => {
          const entries = (await this.couch.request({
            method: 'POST',
            path: '_dbs_info',
            body: { keys }
          })) as DbsInfoEntry[];
          for (const entry of entries) {
            if (entry.info) seqs.set(entry.key, String(entry.info.update_seq));
            else if (entry.error !== 'not_found')
              throw new Error(`could not read ${entry.key}: ${entry.error}${entry.reason ? ` (${entry.reason})` : ''}`);
          }
        });
        return seqs;
      } catch (err) {
        const status = statusOf(err);
        if (status !== 404 && status !== 405 && status !== 400) throw err;
        this.batched = false;
        seqs.clear();
      }
    }
    await eachLimited(dbs, ONE_BY_ONE_CONCURRENCY, async (db) => {
      try {
        seqs.set(db, String((await this.couch.db.get(db)).update_seq));
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    });
    return seqs;
  }
}
