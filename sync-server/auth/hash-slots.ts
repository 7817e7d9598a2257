/**
 * A bound on concurrent password hashes. argon2id takes about 19 MB and tens of milliseconds
 * of a CPU per hash by design; without a bound, a flood of sign-ins queues thousands of them
 * on the thread pool and starves everything else (and every hash waits for all before it).
 * At most `concurrency` run at once, at most `queue` wait; anyone beyond is told to come back
 * (503 with Retry-After) at once, holding nothing.
 */

/** Two hashes at a time keep at least part of a small server's CPUs for syncing. */
export const HASH_CONCURRENCY = 2;
/** Sixteen waiting is a few hundred milliseconds of work: longer waits would time out anyway. */
export const HASH_QUEUE = 16;

export class Busy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many sign-ins are being checked right now');
  }
}

export class HashSlots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency = HASH_CONCURRENCY,
    readonly queue = HASH_QUEUE
  ) {}

  /** Runs `work` in a slot; throws `Busy` without running it when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new Busy(1 + Math.ceil(this.waiting.length / this.concurrency / 4));
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
