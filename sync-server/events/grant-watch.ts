/**
 * Follows the private `auth` database for the event streams: which user documents and which
 * session documents changed since the last look, so a stream can recompute its databases from
 * the user's current record, and end when its session is revoked or its user deactivated.
 *
 * The change notifier reports that `auth` changed (it follows `_db_updates` like any other
 * database); this reads `auth`'s own `_changes` from the last sequence seen to learn which
 * documents, so a burst of sign-ins costs one small request, not a read per open stream.
 */
import type nano from 'nano';
import { AUTH_DB } from '../auth/users';

export interface AuthChanges {
  /** User names whose `user:<name>` document changed (or went away). */
  users: Set<string>;
  /** Session document ids that were deleted (logout, revocation, expiry sweep). */
  endedSessions: Set<string>;
}

export class AuthWatch {
  private since: string | number = 'now';
  private running: Promise<AuthChanges> | null = null;
  /** Read but not yet handed out: kept when a later page fails, and given back by `again`. */
  private pending: AuthChanges = { users: new Set(), endedSessions: new Set() };

  constructor(private readonly couch: nano.ServerScope) {}

  /** Starts from the current end of `auth`'s history. */
  async start(): Promise<void> {
    const info = await this.couch.db.get(AUTH_DB);
    this.since = info.update_seq as string | number;
  }

  /** What changed in `auth` since the last call; concurrent callers share one request. */
  changes(): Promise<AuthChanges> {
    this.running ??= this.read().finally(() => (this.running = null));
    return this.running;
  }

  /** Users whose change could not be applied: the next call names them again. */
  again(users: Iterable<string>): void {
    for (const u of users) this.pending.users.add(u);
  }

  private async read(): Promise<AuthChanges> {
    for (;;) {
      const page = await this.couch.use(AUTH_DB).changes({ since: String(this.since), limit: 1000 });
      for (const r of page.results) {
        if (r.id.startsWith('user:')) this.pending.users.add(r.id.slice('user:'.length));
        else if (r.id.startsWith('session:') && r.deleted) this.pending.endedSessions.add(r.id);
      }
      this.since = page.last_seq as string | number;
      if (page.results.length < 1000) break;
    }
    const out = this.pending;
    this.pending = { users: new Set(), endedSessions: new Set() };
    return out;
  }
}
