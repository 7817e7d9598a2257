/**
 * A bound on concurrent password hashes (and, keyed, on concurrent sign-ins per user name and
 * per client address: `KeyedSlots`). argon2id takes about 19 MB and tens of milliseconds
 * of a CPU per hash by design; without a bound, a flood of sign-ins queues thousands of them
 * on the thread pool and starves everything else (and every hash waits for all before it).
 *
 * At most `concurrency` run at once. The others wait in line, first come first served, as long
 * as the line holds at most `maxWaitMs` of work at the measured speed of a hash: a morning when
 * several hundred people sign in within a minute is served in order instead of by lottery
 * among retries. Anyone beyond is told at once (503) when to come back: Retry-After is the time
 * the line needs to drain, so retries spread over it instead of arriving together.
 */

/** Two hashes at a time keep at least part of a small server's CPUs for syncing. */
export const HASH_CONCURRENCY = 2;
/** Fifteen seconds in line is well within a browser's patience and the sign-in page's. */
export const HASH_MAX_WAIT_MS = 15_000;
/**
 * Sign-ins in flight from one client address. Attempts of one address that run at once all
 * read its failure count before any of them records a failure, so an address may pass its
 * limit (50 in 15 minutes) by at most this many minus one; a school behind one NAT still has
 * enough in flight to keep both hash slots busy while the store reads of the others run.
 */
export const SIGN_INS_PER_ADDRESS = 16;
/** Whatever the measured speed, a line this long is refused: it bounds what waiting requests hold. */
const HARD_QUEUE_LIMIT = 2_000;
/** Before any hash is measured: argon2id with the library's defaults on a slow core. */
const FIRST_ESTIMATE_MS = 100;
const RETRY_AFTER_MAX_S = 120;

export class Busy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many sign-ins are being checked right now');
  }
}

export class HashSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Moving average of one hash's duration, ms. */
  private hashMs: number;

  constructor(
    readonly concurrency = HASH_CONCURRENCY,
    readonly maxWaitMs = HASH_MAX_WAIT_MS,
    firstEstimateMs = FIRST_ESTIMATE_MS
  ) {
    this.hashMs = firstEstimateMs;
  }

  /** How long a request joining the line now would wait, ms. */
  private waitOf(ahead: number): number {
    return (ahead / this.concurrency) * this.hashMs;
  }

  /** Runs `work` in a slot; throws `Busy` without running it when the line is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      const ahead = this.waiting.length + 1;
      if (this.waitOf(ahead) > this.maxWaitMs || ahead > HARD_QUEUE_LIMIT) {
        const drain = Math.ceil(this.waitOf(this.waiting.length) / 1000);
        throw new Busy(Math.min(RETRY_AFTER_MAX_S, 1 + drain));
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.hashMs = 0.8 * this.hashMs + 0.2 * (performance.now() - started);
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get load(): { running: number; waiting: number; hashMs: number } {
    return { running: this.running, waiting: this.waiting.length, hashMs: Math.round(this.hashMs) };
  }

  /** Nothing running and nobody waiting. */
  get idle(): boolean {
    return this.running === 0 && this.waiting.length === 0;
  }
}

/**
 * One line of `HashSlots` per key (a user name, a client address), kept only while someone is
 * in it: memory follows the sign-ins in progress, not every name or address ever seen.
 * Each line learns how long its own work takes, so Retry-After is that line's drain time.
 */
export class KeyedSlots {
  private readonly lines = new Map<string, HashSlots>();

  constructor(
    readonly concurrency: number,
    readonly maxWaitMs: number,
    readonly firstEstimateMs = FIRST_ESTIMATE_MS
  ) {}

  /** Runs `work` in `key`'s line; throws `Busy` without running it when that line is full. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let line = this.lines.get(key);
    if (!line) this.lines.set(key, (line = new HashSlots(this.concurrency, this.maxWaitMs, this.firstEstimateMs)));
    try {
      return await line.run(work);
    } finally {
      if (line.idle && this.lines.get(key) === line) this.lines.delete(key);
    }
  }

  /** Keys with someone running or waiting. */
  get size(): number {
    return this.lines.size;
  }
}
