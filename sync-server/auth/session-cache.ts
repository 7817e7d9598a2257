/**
 * Session documents remembered for a few seconds, so a pull or a write does not read its
 * session from the store before every request (a third of the store reads of a steady pull).
 * The user's record is still read on every request: a deactivation or a change of memberships,
 * by any path, applies to the very next request.
 *
 * Guarantees:
 * - an entry is used only while the store's change feed is followed and nothing in `auth` is
 *   known to have changed since it was read: when the notifier announces a change of `auth`
 *   (before any event stream hears of it), no entry is used until the changed documents are
 *   known; then the entries of ended sessions are dropped and the rest serve again. If that
 *   cannot be learned, everything is dropped;
 * - this process's own endings (a logout, a user's sessions revoked) drop their entries before
 *   they are acknowledged, and an extended session is read again;
 * - an entry lives at most `TTL_MS`, and at most `MAX_ENTRIES` are kept (the oldest go first),
 *   so memory does not grow with the number of sessions ever seen;
 * - the session id itself is never kept, only its hash (the document id).
 */
import type { DatabaseSession } from 'lucia';

const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

interface Entry {
  /** The session as stored, without its id. */
  session: Omit<DatabaseSession, 'id'>;
  at: number;
}

/** What changed in `auth` since the last look (the event streams' `AuthWatch` answers it). */
export interface AuthChangeSource {
  changes(): Promise<{ endedSessions: Set<string> }>;
}

export class SessionCache {
  /** Keyed by session document id (the hash of the session id). */
  private readonly entries = new Map<string, Entry>();
  /** Announced changes of `auth` not yet applied; entries are not used while any is pending. */
  private epoch = 0;
  private applied = 0;
  private source: AuthChangeSource | null = null;
  private following: () => boolean = () => false;
  private applying: Promise<void> | null = null;
  hits = 0;
  misses = 0;

  /** Starts using entries: `source` tells what changed in `auth`, `following` whether the feed is followed now. */
  attach(source: AuthChangeSource, following: () => boolean): void {
    this.source = source;
    this.following = following;
    this.epoch += 1;
    void this.apply();
  }

  detach(): void {
    this.source = null;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  get(sessionDocId: string, now = Date.now()): Entry | undefined {
    if (!this.source || this.applied !== this.epoch || !this.following()) {
      this.misses += 1;
      return undefined;
    }
    const e = this.entries.get(sessionDocId);
    if (!e || now - e.at > TTL_MS) {
      if (e) this.entries.delete(sessionDocId);
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return e;
  }

  /** Remembers a validation made at `epochAtRead` (see `readEpoch`): kept only if nothing was announced since. */
  set(sessionDocId: string, entry: Omit<Entry, 'at'>, epochAtRead: number): void {
    if (!this.source || epochAtRead !== this.epoch) return;
    this.entries.delete(sessionDocId);
    this.entries.set(sessionDocId, { ...entry, at: Date.now() });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The epoch to hand to `set` for a validation about to read the store. */
  get readEpoch(): number {
    return this.epoch;
  }

  forgetSession(sessionDocId: string): void {
    this.entries.delete(sessionDocId);
  }

  /**
   * This process ended a session, or all of a user's: their entries go, and validations
   * already reading the store are not remembered (they may have read the ended session).
   */
  sessionEnded(sessionDocId: string): void {
    this.entries.delete(sessionDocId);
    this.authChanged();
  }

  sessionsOfUserEnded(userId: string): void {
    for (const [id, e] of this.entries) if (e.session.userId === userId) this.entries.delete(id);
    this.authChanged();
  }

  /** The notifier announced a change of `auth`. */
  authChanged(): void {
    this.epoch += 1;
    void this.apply();
  }

  private apply(): Promise<void> {
    this.applying ??= (async () => {
      try {
        while (this.source && this.applied !== this.epoch) {
          const target = this.epoch;
          try {
            for (const id of (await this.source.changes()).endedSessions) this.entries.delete(id);
          } catch {
            this.entries.clear();
          }
          this.applied = target;
        }
      } finally {
        this.applying = null;
      }
    })();
    return this.applying;
  }
}

const caches = new Map<string, SessionCache>();

/** The one cache of the store at `couch`'s address, shared by every session adapter of this process. */
export function sessionCacheFor(couch: { config: { url: string } }): SessionCache {
  let cache = caches.get(couch.config.url);
  if (!cache) caches.set(couch.config.url, (cache = new SessionCache()));
  return cache;
}
