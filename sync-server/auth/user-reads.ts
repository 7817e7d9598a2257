/**
 * The user records of requests that arrive together are read from the store in one request.
 * Every request reads its user's record (a deactivation or new memberships apply to the very
 * next request); when a change is announced, the dozens of people of an organization pull
 * within milliseconds, and each record was one store request of its own.
 *
 * Guarantees:
 * - a record is read after it was asked for: a caller joins only a batch not yet sent (the
 *   batch leaves at the end of the current turn of the event loop), never one in flight, so
 *   whatever the store held when the request arrived is seen;
 * - a batch reads at most `MAX_KEYS` records; a record asked for twice in one batch is read once;
 * - a failed batch fails each of its callers as their own read would have; nothing is kept
 *   once a batch is answered: this is not a cache.
 */

export type ReadMany<T> = (ids: string[]) => Promise<Map<string, T | null>>;
export type ReadOne<T> = (id: string) => Promise<T | null>;

const MAX_KEYS = 200;

interface Waiter<T> {
  resolve: (doc: T | null) => void;
  reject: (err: unknown) => void;
}

export class BatchedReads<T> {
  private pending: Map<string, Waiter<T>[]> | null = null;
  /** Batches sent and records asked for (tests and profiling read them). */
  batches = 0;
  asked = 0;

  /** `one` serves a batch of a single id (the store's plain document read), `many` the rest. */
  constructor(
    private readonly one: ReadOne<T>,
    private readonly many: ReadMany<T>
  ) {}

  get(id: string): Promise<T | null> {
    this.asked += 1;
    if (!this.pending || this.pending.size >= MAX_KEYS) {
      const batch = new Map<string, Waiter<T>[]>();
      this.pending = batch;
      setImmediate(() => this.send(batch));
    }
    const batch = this.pending;
    return new Promise<T | null>((resolve, reject) => {
      const waiters = batch.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else batch.set(id, [{ resolve, reject }]);
    });
  }

  private send(batch: Map<string, Waiter<T>[]>): void {
    if (this.pending === batch) this.pending = null;
    this.batches += 1;
    const ids = [...batch.keys()];
    const read: Promise<Map<string, T | null>> =
      ids.length === 1 ? this.one(ids[0]).then((doc) => new Map([[ids[0], doc]])) : this.many(ids);
    read.then(
      (docs) => {
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(docs.get(id) ?? null);
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      }
    );
  }
}
