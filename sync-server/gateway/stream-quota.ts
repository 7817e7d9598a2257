/**
 * Live streams per user: the change events (`/api/events`) and `_changes?feed=longpoll` hold
 * a socket, a CouchDB request and memory for as long as they are open. A user gets a few of
 * them together (a phone, a tablet, a PC, a replicator), not an unbounded number that one
 * script can open to exhaust the server.
 */

/**
 * The app opens one event stream per signed-in device (only the leader tab syncs) and no
 * longpoll; PouchDB replicating live holds one longpoll per database. Eight covers a person's
 * devices with room to spare.
 */
export const MAX_STREAMS_PER_USER = 8;

export class StreamQuota {
  private readonly counts = new Map<string, number>();

  /** `what`: how the refusal names what is counted. */
  constructor(
    readonly max = MAX_STREAMS_PER_USER,
    private readonly what = 'live connections'
  ) {}

  /** Counts a new stream; returns its release (call once, when it closes) or why it is refused. */
  open(userId: string): (() => void) | string {
    const n = this.counts.get(userId) ?? 0;
    if (n >= this.max)
      return `you already have ${n} ${this.what} open (at most ${this.max}); close other tabs or devices, or wait for them to end`;
    this.counts.set(userId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(userId) ?? 1) - 1;
      if (left <= 0) this.counts.delete(userId);
      else this.counts.set(userId, left);
    };
  }

  count(userId: string): number {
    return this.counts.get(userId) ?? 0;
  }
}

/**
 * Batched changes requests (`POST /api/changes`) one user may have in flight at once. Each
 * holds up to a page of documents read from the store while it is answered. A device asks
 * one per collection while it starts (about ten) and then one at a time; a person starting
 * three devices together stays well under this.
 */
export const MAX_CHANGES_PER_USER = 32;
