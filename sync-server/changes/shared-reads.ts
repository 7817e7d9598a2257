/**
 * Identical store reads in flight at the same time are made once. When a change is announced,
 * every user of the organization pulls the same database from nearly the same position; without
 * this, CouchDB answered the same `_changes` page dozens of times within milliseconds.
 *
 * Guarantees:
 * - only the store's raw answer for one database is shared, never a decision: callers check
 *   the user's authorization for the database before asking, and cut the shared answer into
 *   their own copy afterwards (the answer itself is never modified);
 * - a caller never gets an answer older than a change it was told about: when the notifier
 *   announces a change of a database (before any event stream hears of it), reads of that
 *   database already in flight take no more callers, so a pull that follows the announcement
 *   starts a read of its own;
 * - a caller that goes away stops waiting at once; the read itself is aborted only when every
 *   caller waiting for it has gone;
 * - nothing is kept once a read has finished: this is not a cache.
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
}

export class SharedReads<T> {
  /** database → read key → the read in flight. */
  private readonly flights = new Map<string, Map<string, Flight<T>>>();
  /** Reads started and callers that joined one already in flight (tests and profiling read them). */
  started = 0;
  joined = 0;

  /** A change of `db` was announced: reads of it in flight are not joined anymore. */
  changed(db: string): void {
    this.flights.delete(db);
  }

  /** Reads in flight now (over all databases). */
  get inFlight(): number {
    let n = 0;
    for (const m of this.flights.values()) n += m.size;
    return n;
  }

  /**
   * The answer of `read` for (`db`, `key`): shared with callers asking the same while it runs.
   * `read` gets a signal that fires only when every caller has gone.
   */
  read(
    db: string,
    key: string,
    signal: AbortSignal | undefined,
    read: (signal: AbortSignal) => Promise<T>
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    let perDb = this.flights.get(db);
    let flight = perDb?.get(key);
    if (flight) this.joined += 1;
    else {
      this.started += 1;
      const controller = new AbortController();
      const started: Flight<T> = { promise: read(controller.signal), controller, waiting: 0 };
      flight = started;
      if (!perDb) this.flights.set(db, (perDb = new Map()));
      perDb.set(key, started);
      const done = () => this.forget(db, key, started);
      started.promise.then(done, done);
    }
    const own = flight;
    own.waiting += 1;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        if (settled) return false;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        own.waiting -= 1;
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (own.waiting === 0) {
          this.forget(db, key, own);
          own.controller.abort();
        }
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      own.promise.then(
        (value) => leave() && resolve(value),
        (err: unknown) => leave() && reject(err as Error)
      );
    });
  }

  private forget(db: string, key: string, flight: Flight<T>): void {
    const perDb = this.flights.get(db);
    if (perDb?.get(key) !== flight) return;
    perDb.delete(key);
    if (perDb.size === 0) this.flights.delete(db);
  }
}
