/**
 * Identical store reads asked for at the same time are made once. When a change is announced,
 * every user of the organization pulls the same database from nearly the same position; without
 * this, CouchDB answered the same `_changes` page dozens of times within milliseconds.
 *
 * Guarantees:
 * - only the store's raw answer for one database is shared, never a decision: callers check
 *   the user's authorization for the database before asking, and cut the shared answer into
 *   their own copy afterwards (the answer itself is never modified);
 * - a caller never gets an answer older than its own request: it joins only a read not yet sent
 *   (a read leaves at the end of the current turn of the event loop, as `auth/user-reads.ts`
 *   batches), never one in flight. The requests of one announcement arrive together (their
 *   user reads are answered in one batch), so they still share; and no announcement has to
 *   reach this server first (with several servers on one store, a client told of a change by
 *   another server pulls here before this server's notifier has heard of it);
 * - a caller that goes away stops waiting at once; the read itself is aborted (or never sent)
 *   only when every caller waiting for it has gone;
 * - nothing is kept once a read has left: this is not a cache.
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
}

export class SharedReads<T> {
  /** database → read key → the read not yet sent, which callers may still join. */
  private readonly gathering = new Map<string, Map<string, Flight<T>>>();
  /** Reads started and callers that joined one (tests and profiling read them). */
  started = 0;
  joined = 0;

  /** Reads that callers may still join (over all databases). */
  get inFlight(): number {
    let n = 0;
    for (const m of this.gathering.values()) n += m.size;
    return n;
  }

  /**
   * The answer of `read` for (`db`, `key`): shared with callers asking the same before it is sent.
   * `read` gets a signal that fires only when every caller has gone.
   */
  read(
    db: string,
    key: string,
    signal: AbortSignal | undefined,
    read: (signal: AbortSignal) => Promise<T>
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    let perDb = this.gathering.get(db);
    let flight = perDb?.get(key);
    if (flight) this.joined += 1;
    else {
      this.started += 1;
      const controller = new AbortController();
      // Sent at the end of this turn of the event loop; joinable until then.
      const started: Flight<T> = {
        promise: new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          this.forget(db, key, started);
          return controller.signal.aborted
            ? Promise.reject(controller.signal.reason as Error)
            : read(controller.signal);
        }),
        controller,
        waiting: 0
      };
      // Its callers hold their own promises; this one only must not be reported as unhandled.
      started.promise.catch(() => undefined);
      flight = started;
      if (!perDb) this.gathering.set(db, (perDb = new Map()));
      perDb.set(key, started);
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
          own.controller.abort(signal!.reason);
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
    const perDb = this.gathering.get(db);
    if (perDb?.get(key) !== flight) return;
    perDb.delete(key);
    if (perDb.size === 0) this.gathering.delete(db);
  }
}
