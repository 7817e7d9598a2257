/**
 * One simulated person, speaking the app's own protocol through the gateway: sign in, read
 * `/api/me`, hold the one `/api/events` stream, pull each readable database's `_changes`
 * page by page (the app's CouchClient and page rule), and push new tickets the way the
 * app's push handler does (`_all_docs?keys` for the server's state, then `_bulk_docs`).
 * A change made by another user counts as visible when this user's pull returns it.
 */
import { CouchClient, type FetchLike } from '../../src/lib/db/couch-http';
import { SseParser } from '../../src/lib/db/change-events';
import type { CouchDoc } from '../../src/lib/db/couch-doc';
import { httpFetch, openStream } from './http-client';

const PAGE = 200;

export interface Shared {
  /** id → when its writer started pushing it (and when the push was answered), for change-to-visible. */
  written: Map<string, { at: number; by: string; ackAt?: number }>;
  /** One per delivery of another's change: when it was written, when this user's pull returned it. */
  visible: Delivery[];
  errors: Map<string, number>;
  /** When each pull request started and each event named a database (for pulls and events per delivery). */
  pullsAt: number[];
  eventsAt: number[];
  orgOf: Map<string, string>;
}

/**
 * Where one delivery's time went, all on this process's clock: the push (written → answered),
 * the event stream (written → this user's stream named the database in the event this pull
 * answered), this user waiting (named → its pull of the database started: a pull of another
 * database or the previous page ran first, and a busy load process answers events late) and the
 * pull itself (started → returned).
 */
export interface Delivery {
  writtenAt: number;
  ackAt: number;
  /** NaN when no event named the database between the write and the pull (a pull started for an earlier event returned it). */
  heardAt: number;
  requestAt: number;
  seenAt: number;
}

/** Times an event named a database, kept per database for the most recent few. */
const HEARD_KEPT = 64;

export function countError(shared: Shared, kind: string): void {
  shared.errors.set(kind, (shared.errors.get(kind) ?? 0) + 1);
}

export class SimUser {
  signInMs = NaN;
  /** Sign-ins the server asked to repeat later (503 while it hashed others' passwords). */
  signInRetries = 0;
  firstSyncMs = NaN;
  writes = 0;
  private cookie = '';
  private client!: CouchClient;
  private readable: string[] = [];
  private writable: string[] = [];
  private since = new Map<string, string | number>();
  private dirty = new Set<string>();
  private pulling: Promise<void> | null = null;
  private seen = new Set<string>();
  private abort = new AbortController();
  private synced = false;
  /** db → when the event stream named it, most recent last. */
  private readonly heard = new Map<string, number[]>();
  /** When the first sync finished (performance.now()); changes after it must reach this user. */
  syncedAt = Infinity;

  constructor(
    private readonly url: string,
    readonly username: string,
    private readonly org: string,
    private readonly shared: Shared
  ) {}

  private fetchFn: FetchLike = (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', this.cookie);
    headers.set('origin', this.url);
    return httpFetch(input, { ...init, headers }, this.abort.signal) as unknown as Promise<Response>;
  };

  async signIn(password: string): Promise<void> {
    const t0 = performance.now();
    let res: Response;
    for (let attempt = 0; ; attempt++) {
      res = await fetch(`${this.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: this.url },
        body: JSON.stringify({ username: this.username, password })
      });
      // A flood of sign-ins is told to come back (503, Retry-After: password hashing is bounded
      // by design); the person presses again then, as the sign-in page asks. Counted, not failed.
      if (res.status !== 503 || attempt >= 20) break;
      this.signInRetries += 1;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    }
    if (res.status !== 200) throw new Error(`sign-in HTTP ${res.status}`);
    this.cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    this.signInMs = performance.now() - t0;
    this.client = new CouchClient(this.fetchFn, `${this.url}/couch`);
  }

  /** `/api/me`, the event stream, then every readable database pulled to its end. */
  async firstSync(): Promise<void> {
    const t0 = performance.now();
    // Every database listed is readable; `write` says whether the user may also write it.
    const me = (await (await this.fetchFn(`${this.url}/api/me`)).json()) as {
      databases: { db: string; write: boolean }[];
    };
    this.readable = me.databases.map((d) => d.db);
    this.writable = me.databases.filter((d) => d.write).map((d) => d.db);
    await this.openEvents();
    for (const db of this.readable) this.dirty.add(db);
    await this.pull();
    this.firstSyncMs = performance.now() - t0;
    this.synced = true;
    this.syncedAt = performance.now();
  }

  private async openEvents(): Promise<void> {
    const parser = new SseParser();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (!this.abort.signal.aborted) countError(this.shared, 'event stream ended');
    };
    const status = await openStream(
      `${this.url}/api/events`,
      { cookie: this.cookie, origin: this.url, accept: 'text/event-stream' },
      this.abort.signal,
      (text) =>
        parser.feed(text, (ev) => {
          if (ev.type === 'changed') {
            const at = performance.now();
            for (const db of (JSON.parse(ev.data) as { dbs: string[] }).dbs) {
              this.dirty.add(db);
              this.shared.eventsAt.push(at);
              const times = this.heard.get(db) ?? [];
              times.push(at);
              if (times.length > HEARD_KEPT) times.shift();
              this.heard.set(db, times);
            }
          } else if (ev.type === 'resync') for (const db of this.readable) this.dirty.add(db);
          else return;
          if (this.synced) void this.pull();
        }),
      end
    );
    if (status !== 200) throw new Error(`/api/events HTTP ${status}`);
  }

  /** Pulls every dirty database; a pull asked for while one runs runs once more after it. */
  pull(): Promise<void> {
    if (this.pulling) return this.pulling;
    this.pulling = (async () => {
      try {
        while (this.dirty.size > 0) {
          const [db] = this.dirty;
          this.dirty.delete(db);
          await this.pullDb(db);
        }
      } finally {
        this.pulling = null;
      }
    })();
    return this.pulling;
  }

  private async pullDb(db: string): Promise<void> {
    for (;;) {
      const since = this.since.get(db) ?? 0;
      let page;
      const requestAt = performance.now();
      this.shared.pullsAt.push(requestAt);
      try {
        // The app's own pull: the batched feed, which says whether more follows.
        page = (await this.client.changesBatch({ [db]: since }, PAGE)).results[db];
        if (!page) return;
      } catch (err) {
        if (!this.abort.signal.aborted) countError(this.shared, `pull: ${(err as Error).message.slice(0, 60)}`);
        return;
      }
      const now = performance.now();
      for (const r of page.results) {
        const w = this.shared.written.get(r.id);
        if (w && w.by !== this.username && !this.seen.has(r.id)) {
          this.seen.add(r.id);
          // The event this pull answered: the latest one naming the database before the pull
          // started, if it came after the write began.
          const heardAt = [...(this.heard.get(db) ?? [])].reverse().find((t) => t <= requestAt && t >= w.at) ?? NaN;
          this.shared.visible.push({ writtenAt: w.at, ackAt: w.ackAt ?? NaN, heardAt, requestAt, seenAt: now });
        }
      }
      this.since.set(db, page.last_seq);
      if (!page.more) return;
    }
  }

  /** One new ticket in the user's organization, pushed as the app pushes. */
  async write(seq: number): Promise<void> {
    const db = `org_${this.org}_tickets`;
    if (!this.writable.includes(db)) return;
    const id = `load-${this.username}-${seq}`;
    const now = new Date().toISOString();
    const doc = {
      _id: id,
      orgId: this.org,
      title: `Zátěžový test ${seq}`,
      description: 'Simulated user',
      category: 'cat-hardware',
      priority: 'P3',
      requester: this.username,
      status: 'new',
      events: [],
      createdBy: this.username,
      createdAt: now,
      updatedBy: this.username,
      updatedAt: now
    } as unknown as CouchDoc;
    const written: { at: number; by: string; ackAt?: number } = { at: performance.now(), by: this.username };
    this.shared.written.set(id, written);
    try {
      await this.client.allDocs(db, [id]);
      const rows = await this.client.bulkDocs(db, [doc]);
      written.ackAt = performance.now();
      const row = rows[0] as { ok?: boolean; error?: string; reason?: string };
      if (row.error) countError(this.shared, `push refused: ${row.error} ${row.reason ?? ''}`.slice(0, 80));
      else this.writes += 1;
    } catch (err) {
      if (!this.abort.signal.aborted) countError(this.shared, `push: ${(err as Error).message.slice(0, 60)}`);
    }
  }

  /** Writes of others in this organization made after the first sync that never showed up. */
  missed(until: number): number {
    let n = 0;
    for (const [id, w] of this.shared.written) {
      if (w.by === this.username || w.at < this.syncedAt || w.at > until || !id.startsWith('load-')) continue;
      if (this.shared.orgOf.get(w.by) === this.org && !this.seen.has(id)) n += 1;
    }
    return n;
  }

  close(): void {
    this.abort.abort();
  }
}
