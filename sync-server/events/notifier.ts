/**
 * The change notifier: tells subscribers which databases changed, in coalesced batches.
 *
 * Guarantees:
 * - one code path for the embedded store and Apache CouchDB: it follows CouchDB's
 *   `_db_updates?feed=continuous` (the embedded child implements it);
 * - nothing is missed for long: `_db_updates` may drop events and is down while CouchDB
 *   restarts, so on every (re)connection, and every few minutes, it compares each database's
 *   `update_seq` with the last one seen and announces those that moved;
 * - bursts are coalesced (one batch per `coalesceMs`), and every batch gets an id, kept in a
 *   short history so a reconnecting client can ask for what it missed (`since`).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { feedRequest, readLines } from './feed';

export interface ChangeBatch {
  id: string;
  dbs: string[];
}
export type ChangeListener = (batch: ChangeBatch) => void;

export interface NotifierOptions {
  coalesceMs?: number;
  catchUpEveryMs?: number;
  heartbeatMs?: number;
}

const HISTORY = 1000;
/** Marks a database whose change the feed announced; its new update_seq is learned quietly. */
const FEED_SEEN = '\u0000feed';
const CATCH_UP_CONCURRENCY = 8;

/** Databases that are not the product's: CouchDB and PouchDB Server internals. */
const isInternal = (db: string) => db.startsWith('_') || db.startsWith('pouch__');

export class ChangeNotifier {
  readonly boot = randomBytes(4).toString('hex');
  private counter = 0;
  private readonly history: { n: number; dbs: string[] }[] = [];
  private readonly listeners = new Set<ChangeListener>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly seqs = new Map<string, string>();
  private abort: AbortController | null = null;
  private stopped = false;
  private catchUpTimer: NodeJS.Timeout | null = null;
  private readonly opts: Required<NotifierOptions>;
  /** Number of times the feed was (re)connected; tests and health read it. */
  connections = 0;
  connected = false;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly couchUrl: string,
    private readonly log: FastifyBaseLogger,
    opts: NotifierOptions = {}
  ) {
    this.opts = { coalesceMs: 50, catchUpEveryMs: 120_000, heartbeatMs: 10_000, ...opts };
  }

  /** Records the current state of every database, then follows changes in the background. */
  async start(): Promise<void> {
    await this.catchUp('record');
    void this.follow();
    this.catchUpTimer = setInterval(() => {
      this.catchUp('periodic').catch((err: Error) => this.log.warn({ err: err.message }, 'periodic catch-up failed'));
    }, this.opts.catchUpEveryMs);
    this.catchUpTimer.unref();
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

  /** The id of the latest batch (what a client that is up to date has seen). */
  get lastId(): string {
    return `${this.boot}-${this.counter}`;
  }

  /** Databases changed after batch `id`; null when that id is unknown (other boot, too old). */
  since(id: string): string[] | null {
    const [boot, n] = id.split('-');
    const num = Number(n);
    if (boot !== this.boot || !Number.isInteger(num) || num > this.counter) return null;
    const oldest = this.history[0]?.n ?? this.counter + 1;
    if (num < oldest - 1) return null;
    return [...new Set(this.history.filter((b) => b.n > num).flatMap((b) => b.dbs))];
  }

  private flush(): void {
    this.flushTimer = null;
    if (this.pending.size === 0) return;
    const dbs = [...this.pending].sort();
    this.pending.clear();
    this.counter += 1;
    this.history.push({ n: this.counter, dbs });
    if (this.history.length > HISTORY) this.history.shift();
    const batch = { id: this.lastId, dbs };
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
    let next = 0;
    const worker = async () => {
      while (next < dbs.length) {
        const db = dbs[next++];
        try {
          const info = await this.couch.db.get(db);
          const seq = String(info.update_seq);
          const before = this.seqs.get(db);
          this.seqs.set(db, seq);
          const quiet = mode === 'record' || (mode === 'periodic' && before === FEED_SEEN);
          if (!quiet && before !== seq) this.notify(db);
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: CATCH_UP_CONCURRENCY }, worker));
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
