/**
 * The few CouchDB calls the replication makes through the gateway (`<base>/couch/<db>/…`),
 * and the batched changes feed beside it (`/api/changes`), with the session cookie. Errors
 * are typed so the sync status can tell "offline" (no answer) from "the server said no"
 * (HTTP status and the server's reason).
 *
 * Every request names the store's user (`x-sync-user`): the server refuses it, before any
 * data moves, when the browser's session now belongs to someone else (another tab signed in),
 * which surfaces here as `SessionMismatchError`. That costs no request of its own.
 */
import { SESSION_MISMATCH, SESSION_USER_HEADER, type BatchChangesResponse, type Seq } from '../domain/sync-protocol';
import type { CouchDoc } from './couch-doc';
import type { AllDocsRow, BulkDocsRow } from './push-routing';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class SyncHttpError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    readonly reason?: string
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

/** The server's refusal of a request, or of one database of a batched one: `HTTP 403: <reason>`. */
export const httpError = (status: number, reason?: string): SyncHttpError =>
  new SyncHttpError(`HTTP ${status}${reason ? `: ${reason}` : ''}`, status, reason);

/** The session belongs to another user than this store's: nothing was read or written. */
export class SessionMismatchError extends SyncHttpError {
  constructor(
    /** Who the session belongs to now, as far as the server said. */
    readonly actual: string,
    reason?: string
  ) {
    super(
      `The session now belongs to ${actual || 'another user'}; this window's data belongs to another user.`,
      409,
      reason
    );
    this.name = 'SessionMismatchError';
  }
}

export interface ChangesPage {
  results: { id: string; seq: string | number; deleted?: boolean; doc?: CouchDoc }[];
  last_seq: string | number;
}

export interface DbInfo {
  db_name: string;
  doc_count: number;
  update_seq: string | number;
}

/** Times a request the server is too busy for is asked again before its 429 is reported. */
const BUSY_RETRIES = 3;

/** The wait a `Retry-After` of seconds names, within 0.5–10 s, spread a little so that devices do not return together. */
export function retryAfterMs(header: string | null): number {
  const seconds = header?.trim() ? Number(header) : NaN;
  const base = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 2000;
  return Math.min(10_000, Math.max(500, base)) * (1 + Math.random() * 0.25);
}

/** Waits `ms`; false at once if `stop` is aborted before. */
function waitUnlessStopped(ms: number, stop?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop?.removeEventListener('abort', stopped);
      resolve(true);
    };
    const stopped = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(done, ms);
    stop?.addEventListener('abort', stopped, { once: true });
  });
}

export class CouchClient {
  private readonly userHeader: Record<string, string>;

  constructor(
    private readonly fetchFn: FetchLike,
    /** Origin plus `/couch`, e.g. `http://localhost:3000/couch` or just `/couch`. */
    private readonly base: string,
    /** The store's user, named in every request so another user's session is refused. */
    userId?: string
  ) {
    this.userHeader = userId ? { [SESSION_USER_HEADER]: encodeURIComponent(userId) } : {};
  }

  url(db: string, path = '', query?: Record<string, string | number | boolean>): string {
    const qs = query ? '?' + new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString() : '';
    return `${this.base}/${encodeURIComponent(db)}${path ? '/' + path : ''}${qs}`;
  }

  async json<T>(url: string, init?: RequestInit): Promise<T> {
    return this.read<T>(await this.send(url, init));
  }

  /** The server's answer, its body not read yet. */
  async send(url: string, init?: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(url, {
        credentials: 'same-origin',
        ...init,
        headers: { accept: 'application/json', ...this.userHeader, ...init?.headers }
      });
    } catch (err) {
      throw new SyncHttpError(`No answer from the server (${(err as Error).message})`, 0);
    }
  }

  /** An answer's JSON body, or the error it stands for. */
  async read<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: a proxy error page, or the service worker's offline answer.
    }
    if (!res.ok) {
      const b = (body ?? {}) as { error?: string; reason?: string; message?: string; user?: string };
      const reason = b.reason ?? b.message ?? b.error;
      if (res.status === 409 && b.error === SESSION_MISMATCH) throw new SessionMismatchError(b.user ?? '', reason);
      throw httpError(res.status, reason);
    }
    if (body === undefined) throw new SyncHttpError('The server answered with something that is not JSON', res.status);
    return body as T;
  }

  info(db: string): Promise<DbInfo> {
    return this.json<DbInfo>(this.url(db));
  }

  changes(db: string, since: string | number, limit: number): Promise<ChangesPage> {
    return this.json<ChangesPage>(this.url(db, '_changes', { include_docs: true, since, limit, style: 'main_only' }));
  }

  /**
   * The changes of many databases in one request (`POST /api/changes`), at most `limit` documents.
   * The server caps each person's requests in flight (several devices of one shared account
   * starting together may meet it): a 429 is asked again after the wait it names, a few times,
   * before it is an error the person sees. A sync stopped meanwhile (`stop`) asks nothing more:
   * the wait ends with the 429 as an error.
   */
  async changesBatch(since: Record<string, Seq>, limit: number, stop?: AbortSignal): Promise<BatchChangesResponse> {
    const url = `${this.base.replace(/\/couch$/, '')}/api/changes`;
    const body = JSON.stringify({ since, limit });
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 429 || attempt >= BUSY_RETRIES || stop?.aborted) return this.read<BatchChangesResponse>(res);
      await res.body?.cancel().catch(() => undefined);
      if (!(await waitUnlessStopped(retryAfterMs(res.headers.get('retry-after')), stop)))
        throw new SyncHttpError('The server was busy and the sync stopped before asking again', 429);
    }
  }

  async allDocs(db: string, keys: readonly string[]): Promise<AllDocsRow[]> {
    const body = await this.json<{ rows: AllDocsRow[] }>(this.url(db, '_all_docs', { include_docs: true }), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keys })
    });
    return body.rows;
  }

  bulkDocs(db: string, docs: readonly CouchDoc[]): Promise<BulkDocsRow[]> {
    return this.json<BulkDocsRow[]>(this.url(db, '_bulk_docs'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ docs })
    });
  }

  getDoc(db: string, id: string): Promise<CouchDoc | null> {
    return this.json<CouchDoc>(this.url(db, encodeURIComponent(id))).catch((err: unknown) => {
      if (err instanceof SyncHttpError && err.status === 404) return null;
      throw err;
    });
  }
}
