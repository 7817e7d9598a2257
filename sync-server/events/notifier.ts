/**
 * The change notifier: tells subscribers which databases changed, in coalesced batches.
 *
 * Guarantees:
 * - one code path for the embedded store and Apache CouchDB: it follows CouchDB's
 *   `_db_updates?feed=continuous` (the embedded child implements it);
 * - nothing is missed for long: `_db_updates` may drop events and is down while CouchDB
 *   restarts, so on every (re)connection, and every few minutes, it compares each database's
 *   `update_seq` with the last one seen and announces those that moved;
 * - bursts are coalesced (one batch per `coalesceMs`);
 * - resumable across restarts and server instances: a batch's id is the server time of the
 *   batch in milliseconds (strictly increasing), not a per-process counter, and the update
 *   sequence of every database is saved in CouchDB (`auth`, `notifier:seqs`) after each
 *   catch-up. A starting server compares the saved sequences with the current ones and
 *   records the databases that moved meanwhile as one batch, so it knows what changed since
 *   the save; another instance knows everything since it started. `since(id)` answers from
 *   that history, with `CLOCK_SKEW_MS` of margin for clocks of different servers, and says
 *   "unknown" (null) only for ids older than what this process can vouch for.
 */
import type { FastifyBaseLogger } from 'fastify';
import { createHash } from 'node:crypto';
import type nano from 'nano';
import { feedRequest, readLines } from './feed';
import { UpdateSeqReader } from './update-seqs';
import { isStatus } from '../couch-status';

export interface ChangeBatch {
  id: string;
  dbs: string[];
}
export type ChangeListener = (batch: ChangeBatch) => void;
/**
 * The server's own start-up work (copies it keeps in line): run after the baseline is recorded
 * and before the feed is followed, so its writes are never announced as they happen; given
 * each database's recorded update sequence, it returns the databases it wrote, which are
 * recorded again. Against a saved state they count as moved, like any write made while no
 * server watched (a device holding the old copies must fetch them); on a fresh store, nothing is.
 */
export type StartUpWork = (seqOf: (db: string) => string | undefined) => Promise<readonly string[]>;

export interface NotifierOptions {
  coalesceMs?: number;
  catchUpEveryMs?: number;
  heartbeatMs?: number;
  /** How often a saved state is also kept in the archive that answers old positions. */
  archiveEveryMs?: number;
  /** How long archived states are kept. */
  archiveKeepMs?: number;
}

const HISTORY = 5000;
/** Servers keep their clocks within a second by NTP; a margin of five returns a few batches twice at worst. */
export const CLOCK_SKEW_MS = 5_000;
const SNAPSHOT_DB = 'auth';
const SNAPSHOT_ID = 'notifier:seqs';

interface SeqSnapshot {
  _id: string;
  _rev?: string;
  type: 'notifier-seqs';
  /** Server time (ms) at which every database's update_seq was at most `seqs`. */
  at: number;
  seqs: Record<string, string>;
}
/**
 * Archived states (`notifier:seqs:<time>`, one an hour, two weeks): a position older than
 * anything this process remembers (a device reopened the next morning, after a restart in the
 * night) is answered with the databases whose sequence differs from the newest archived state
 * at or before it, a superset of what changed since, instead of a resync of everything. Only
 * a digest of each sequence is kept: equality is all the comparison needs.
 */
const ARCHIVE_PREFIX = `${SNAPSHOT_ID}:`;
const archiveId = (at: number) => `${ARCHIVE_PREFIX}${String(at).padStart(15, '0')}`;
const digest = (seq: string) => createHash('sha1').update(seq).digest('base64url').slice(0, 12);
interface ArchivedSeqs {
  _id: string;
  type: 'notifier-archive';
  at: number;
  seqs: Record<string, string>;
}

/** Marks a database whose change the feed announced; its new update_seq is learned quietly. */
const FEED_SEEN = '\u0000feed';

/** Databases that are not the product's: CouchDB and PouchDB Server internals. */
const isInternal = (db: string) => db.startsWith('_') || db.startsWith('pouch__');

export class ChangeNotifier {
  /** Time (ms) of the latest batch; ids are these times. */
  private last = 0;
  /** From this time (ms) on, every batch is in `history`. */
  private historyStart = Date.now();
  private readonly history: { t: number; dbs: string[] }[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly seqs = new Map<string, string>();
  private abort: AbortController | null = null;
  private stopped = false;
  private catchUpTimer: NodeJS.Timeout | null = null;
  private readonly opts: Required<NotifierOptions>;
  private readonly seqReader: UpdateSeqReader;
  /** Number of times the feed was (re)connected; tests and health read it. */
  connections = 0;
  connected = false;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly couchUrl: string,
    private readonly log: FastifyBaseLogger,
    opts: NotifierOptions = {}
  ) {
    this.opts = {
      coalesceMs: 50,
      catchUpEveryMs: 120_000,
      heartbeatMs: 10_000,
      archiveEveryMs: 3_600_000,
      archiveKeepMs: 14 * 86_400_000,
      ...opts
    };
    this.seqReader = new UpdateSeqReader(couch);
  }

  /** Records the current state of every database, then follows changes in the background. */
  async start(startUp?: StartUpWork): Promise<void> {
    const saved = await this.loadSnapshot();
    await this.catchUp('record');
    if (startUp) for (const db of await startUp((db) => this.seqs.get(db))) await this.record(db);
    if (saved) {
      // What moved while no server of ours was watching (or since the last save) is one batch.
      const moved = [...this.seqs].filter(([db, seq]) => saved.seqs[db] !== seq);
      this.historyStart = saved.at;
      if (moved.length > 0) {
        const t = this.nextTime();
        this.history.push({ t, dbs: moved.map(([db]) => db).sort() });
        this.last = t;
      }
    }
    await this.saveSnapshot(Date.now()).catch((err: Error) =>
      this.log.warn({ err: err.message }, 'could not save update sequences')
    );
    void this.follow();
    this.catchUpTimer = setInterval(() => {
      this.catchUp('periodic')
        .then(() => this.saveSnapshot(Date.now()))
        .catch((err: Error) => this.log.warn({ err: err.message }, 'periodic catch-up failed'));
    }, this.opts.catchUpEveryMs);
    this.catchUpTimer.unref();
  }

  /** Learns a database's sequence quietly; unknown (left out of the saved state, so it counts as moved later) if it cannot. */
  private async record(db: string): Promise<void> {
    try {
      this.seqs.set(db, String((await this.couch.db.get(db)).update_seq));
    } catch (err) {
      this.seqs.set(db, FEED_SEEN);
      this.log.warn({ db, err: (err as Error).message }, 'could not read the sequence of a database written at start');
    }
  }

  private async loadSnapshot(): Promise<SeqSnapshot | null> {
    try {
      return (await this.couch.use<SeqSnapshot>(SNAPSHOT_DB).get(SNAPSHOT_ID)) as SeqSnapshot;
    } catch (err) {
      if (isStatus(err, 404)) return null;
      this.log.warn({ err: (err as Error).message }, 'could not read saved update sequences');
      return null;
    }
  }

  /**
   * Saves the sequences as of `at` (called right after a catch-up, which read them all). A
   * database the feed announced since is saved with its announced state unknown, so it is
   * left out: a restart then cannot vouch for it and it counts as moved.
   */
  private async saveSnapshot(at: number): Promise<void> {
    const seqs: Record<string, string> = {};
    for (const [db, seq] of this.seqs) if (seq !== FEED_SEEN) seqs[db] = seq;
    const db = this.couch.use<SeqSnapshot>(SNAPSHOT_DB);
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.loadSnapshot();
      if (current && current.at > at) return; // another instance saved a later state
      try {
        await db.insert({
          _id: SNAPSHOT_ID,
          ...(current?._rev ? { _rev: current._rev } : {}),
          type: 'notifier-seqs',
          at,
          seqs
        });
        await this.archive(at, seqs);
        return;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
      }
    }
  }

  /** Keeps this state in the archive when the newest archived one is older than `archiveEveryMs`; drops expired ones. */
  private async archive(at: number, seqs: Record<string, string>): Promise<void> {
    const db = this.couch.use<ArchivedSeqs>(SNAPSHOT_DB);
    const newest = await db.list({
      startkey: `${ARCHIVE_PREFIX}\ufff0`,
      endkey: ARCHIVE_PREFIX,
      descending: true,
      limit: 1
    });
    const last = newest.rows[0] ? Number(newest.rows[0].id.slice(ARCHIVE_PREFIX.length)) : 0;
    if (at - last < this.opts.archiveEveryMs) return;
    const digests = Object.fromEntries(Object.entries(seqs).map(([name, seq]) => [name, digest(seq)]));
    await db.insert({ _id: archiveId(at), type: 'notifier-archive', at, seqs: digests }).catch((err: unknown) => {
      if (!isStatus(err, 409)) throw err; // another instance archived this instant
    });
    const expired = await db.list({ startkey: ARCHIVE_PREFIX, endkey: archiveId(at - this.opts.archiveKeepMs) });
    if (expired.rows.length)
      await db.bulk({ docs: expired.rows.map((r) => ({ _id: r.id, _rev: r.value.rev, _deleted: true }) as never) });
  }

  /**
   * `since`, and for a position older than this process remembers, the databases that moved
   * since the newest archived state at or before it; null only when no archived state is that
   * old (or the id is not one of ours).
   */
  async sinceArchived(id: string): Promise<string[] | null> {
    const known = this.since(id);
    if (known !== null || !/^\d{1,15}$/.test(id)) return known;
    const t = Number(id);
    if (t > Date.now() + CLOCK_SKEW_MS) return null;
    try {
      const res = await this.couch.use<ArchivedSeqs>(SNAPSHOT_DB).list({
        startkey: archiveId(t),
        endkey: ARCHIVE_PREFIX,
        descending: true,
        limit: 1,
        include_docs: true
      });
      const then = res.rows[0]?.doc;
      if (!then) return null;
      // A database the feed announced since the last catch-up has no known sequence: it moved.
      return [...this.seqs]
        .filter(([db, seq]) => seq === FEED_SEEN || then.seqs[db] !== digest(seq))
        .map(([db]) => db)
        .sort();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not read archived update sequences');
      return null;
    }
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    if (this.catchUpTimer) clearInterval(this.catchUpTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.listeners.clear();
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Announces a change right away (e.g. the gateway's own write), without waiting for the feed. */
  notify(db: string): void {
    if (isInternal(db)) return;
    this.pending.add(db);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), this.opts.coalesceMs);
  }

  /**
   * The id a client that received every batch so far has seen: one millisecond before now
   * (the next batch gets a later time), or the latest batch's if that is later.
   */
  get lastId(): string {
    return String(Math.max(this.last, Date.now() - 1));
  }

  /** Databases changed after `id`; null when this process cannot vouch for that (too old, not an id). */
  since(id: string): string[] | null {
    if (!/^\d{1,15}$/.test(id)) return null;
    const t = Number(id);
    if (t < this.historyStart || t > Date.now() + CLOCK_SKEW_MS) return null;
    const from = t - CLOCK_SKEW_MS;
    return [...new Set(this.history.filter((b) => b.t > from).flatMap((b) => b.dbs))];
  }

  /** A batch time later than every id handed out. */
  private nextTime(): number {
    return Math.max(Date.now(), this.last + 1);
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.pending.size === 0) return;
    const dbs = [...this.pending].sort();
    this.pending.clear();
    this.last = this.nextTime();
    this.history.push({ t: this.last, dbs });
    if (this.history.length > HISTORY) this.historyStart = this.history.shift()!.t;
    const batch = { id: String(this.last), dbs };
    for (const l of this.listeners) {
      try {
        l(batch);
      } catch (err) {
        this.log.error({ err: (err as Error).message }, 'change listener failed');
      }
    }
  }

  /**
   * Compares every database's update_seq with the last seen and announces those that moved.
   * `record` only remembers; `periodic` stays quiet about databases the feed already
   * announced (marked FEED_SEEN); `reconnect` announces everything that moved.
   */
  async catchUp(mode: 'record' | 'periodic' | 'reconnect'): Promise<void> {
    const dbs = (await this.couch.db.list()).filter((d) => !isInternal(d));
    for (const [db, seq] of await this.seqReader.read(dbs)) {
      const before = this.seqs.get(db);
      this.seqs.set(db, seq);
      const quiet = mode === 'record' || (mode === 'periodic' && before === FEED_SEEN);
      if (!quiet && before !== seq) this.notify(db);
    }
  }

  private async follow(): Promise<void> {
    let delay = 250;
    while (!this.stopped) {
      this.abort = new AbortController();
      try {
        const res = await feedRequest(
          this.couchUrl,
          `/_db_updates?feed=continuous&since=now&heartbeat=${this.opts.heartbeatMs}`,
          this.abort.signal
        );
        this.connected = true;
        this.connections += 1;
        // Whatever happened while we were not listening.
        if (this.connections > 1) await this.catchUp('reconnect');
        delay = 250;
        await readLines(res, this.opts.heartbeatMs * 3, this.abort, (line) => {
          const update = JSON.parse(line) as { db_name?: string; type?: string };
          if (update.db_name && update.type !== 'deleted') {
            this.seqs.set(update.db_name, FEED_SEEN);
            this.notify(update.db_name);
          }
        });
      } catch (err) {
        if (this.stopped) return;
        this.log.warn({ err: (err as Error).message }, 'CouchDB change feed interrupted; reconnecting');
      }
      this.connected = false;
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
