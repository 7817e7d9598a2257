/**
 * Login throttling, shared by every server instance: failed logins are counted per user name
 * AND per client address, in the private `auth` database (`throttle:user:<name>`,
 * `throttle:addr:<address>`). Either count at its limit within the window refuses further
 * attempts (429 with Retry-After) until its oldest failure leaves the window, even with the
 * right password. Changing the address (a forged X-Forwarded-For, a botnet) does not reset
 * the count of a user name; many user names from one address are stopped by the address's.
 *
 * A successful login clears the user name's count, not the address's: one valid account must
 * not buy an address more guesses at others. The price of a per-name count is that anyone can
 * hold a name off for one window by guessing wrong; the window is short for that reason.
 *
 * The decision is pure (`retryAfterSeconds`); the store only reads and appends failures.
 */
import type nano from 'nano';
import { KeyedQueue } from '../../src/lib/domain/keyed-queue';
import { isStatus } from '../couch-status';

export interface ThrottleLimits {
  windowMs: number;
  perUser: number;
  perAddress: number;
}

/**
 * Ten wrong passwords for one name in 15 minutes is far beyond typos, far below guessing.
 * An address is often shared (a school behind one NAT), so it gets more.
 */
export const LOGIN_LIMITS: ThrottleLimits = { windowMs: 15 * 60_000, perUser: 10, perAddress: 50 };

const AUTH_DB = 'auth';

interface ThrottleDoc {
  _id: string;
  _rev?: string;
  type: 'throttle';
  /** Failure times (ms), oldest first, within the window of the last write. */
  failures: number[];
}

/** Seconds until `failures` (times in ms) leave room for one more attempt, 0 when allowed now. */
export function retryAfterSeconds(failures: readonly number[], max: number, windowMs: number, now: number): number {
  const recent = failures.filter((t) => t > now - windowMs);
  if (recent.length < max) return 0;
  const oldest = recent[recent.length - max];
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

const userKey = (username: string) => `throttle:user:${username.toLowerCase()}`;
const addressKey = (address: string) => `throttle:addr:${address}`;

export class LoginThrottle {
  constructor(
    private readonly couch: nano.ServerScope,
    private readonly limits: ThrottleLimits = LOGIN_LIMITS,
    private readonly now: () => number = Date.now
  ) {}

  private get db() {
    return this.couch.use<ThrottleDoc>(AUTH_DB);
  }

  private async read(id: string): Promise<ThrottleDoc> {
    try {
      return (await this.db.get(id)) as ThrottleDoc;
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
      return { _id: id, type: 'throttle', failures: [] };
    }
  }

  /** Seconds to wait before trying again (the longer of name and address), or 0. */
  async retryAfter(username: string, address: string): Promise<number> {
    const [user, addr] = await Promise.all([this.read(userKey(username)), this.read(addressKey(address))]);
    const now = this.now();
    const { windowMs, perUser, perAddress } = this.limits;
    return Math.max(
      retryAfterSeconds(user.failures, perUser, windowMs, now),
      retryAfterSeconds(addr.failures, perAddress, windowMs, now)
    );
  }

  async fail(username: string, address: string): Promise<void> {
    await Promise.all([
      this.append(userKey(username), this.limits.perUser),
      this.append(addressKey(address), this.limits.perAddress)
    ]);
  }

  async succeed(username: string): Promise<void> {
    const doc = await this.read(userKey(username));
    if (!doc._rev) return;
    await this.db.destroy(doc._id, doc._rev).catch((err: unknown) => {
      if (!isStatus(err, 404) && !isStatus(err, 409)) throw err;
    });
  }

  /** Removes counts whose failures all left the window (run now and then). */
  async sweep(): Promise<number> {
    const res = await this.db.list({ startkey: 'throttle:', endkey: 'throttle:\ufff0', include_docs: true });
    const since = this.now() - this.limits.windowMs;
    const stale = res.rows.flatMap((r) =>
      r.doc && r.doc.failures.every((t) => t <= since) ? [{ _id: r.id, _rev: r.value.rev, _deleted: true }] : []
    );
    if (stale.length > 0) await this.db.bulk({ docs: stale as never[] });
    return stale.length;
  }

  /**
   * Appends of one count made by this process, one after the other: concurrent failures from
   * one address would otherwise conflict on its document and, after the retries, be lost.
   */
  private readonly appending = new KeyedQueue();

  private async append(id: string, max: number): Promise<void> {
    const release = await this.appending.acquire(id);
    try {
      await this.appendNow(id, max);
    } finally {
      release();
    }
  }

  /** Appends a failure; keeps at most `max` recent ones (enough for the decision). Retries on conflict (another instance). */
  private async appendNow(id: string, max: number): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const doc = await this.read(id);
      const since = this.now() - this.limits.windowMs;
      const failures = [...doc.failures.filter((t) => t > since), this.now()].slice(-max);
      try {
        await this.db.insert({ ...doc, failures });
        return;
      } catch (err) {
        if (!isStatus(err, 409)) throw err;
      }
    }
  }
}
