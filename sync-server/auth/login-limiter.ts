/**
 * Login throttling: at most `maxFailures` failed logins per username and address within
 * `windowMs`; then the pair is refused until the oldest failure leaves the window.
 * Kept in memory: it resets on restart and is per process, which is enough for one server
 * guarding against password guessing; several server processes would each keep their own.
 */
export interface LimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on tracked pairs, so a flood of made-up usernames cannot grow memory without limit. */
  maxKeys?: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly opts: LimiterOptions,
    private readonly now: () => number = Date.now
  ) {}

  private key(username: string, address: string) {
    return `${username.toLowerCase()}\u0000${address}`;
  }

  private recent(key: string): number[] {
    const since = this.now() - this.opts.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed now. */
  retryAfter(username: string, address: string): number {
    const list = this.recent(this.key(username, address));
    if (list.length < this.opts.maxFailures) return 0;
    const oldest = list[list.length - this.opts.maxFailures];
    return Math.max(1, Math.ceil((oldest + this.opts.windowMs - this.now()) / 1000));
  }

  fail(username: string, address: string): void {
    const key = this.key(username, address);
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
    if (this.failures.size > (this.opts.maxKeys ?? 100_000)) this.prune();
  }

  succeed(username: string, address: string): void {
    this.failures.delete(this.key(username, address));
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // Still too many: drop the oldest entries (Map keeps insertion order).
    const excess = this.failures.size - (this.opts.maxKeys ?? 100_000);
    if (excess > 0) [...this.failures.keys()].slice(0, excess).forEach((k) => this.failures.delete(k));
  }
}
