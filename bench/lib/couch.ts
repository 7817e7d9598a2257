/**
 * Plain HTTP to CouchDB for seeding and for the direct side of the comparisons. Node's fetch
 * refuses URLs with credentials, so a `user:pass@` part becomes a Basic Authorization header.
 */
import type { TicketDoc } from './tickets';

export interface Endpoint {
  /** Base URL without credentials, ending in `/`. */
  base: string;
  headers: Record<string, string>;
}

export function endpoint(url: string, extraHeaders: Record<string, string> = {}): Endpoint {
  const u = new URL(url);
  const headers: Record<string, string> = { ...extraHeaders };
  if (u.username) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  const base = u.toString();
  return { base: base.endsWith('/') ? base : `${base}/`, headers };
}

export async function request(
  ep: Endpoint,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<Response> {
  const headers: Record<string, string> = { ...ep.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(ep.base + path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  });
}

export async function json<T = unknown>(
  ep: Endpoint,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<T> {
  const res = await request(ep, path, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

interface BulkResult {
  id: string;
  ok?: boolean;
  error?: string;
  reason?: string;
}

/** Writes documents in batches; throws on the first rejected one so seeding never half-succeeds silently. */
export async function bulkInsert(
  ep: Endpoint,
  db: string,
  docs: readonly TicketDoc[] | readonly Record<string, unknown>[],
  batch = 1000
): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) {
    const results = await json<BulkResult[]>(ep, `${encodeURIComponent(db)}/_bulk_docs`, {
      method: 'POST',
      body: { docs: docs.slice(i, i + batch) }
    });
    const bad = results.find((r) => r.error);
    if (bad) throw new Error(`_bulk_docs into ${db}: ${bad.id}: ${bad.error} ${bad.reason ?? ''}`);
  }
}

export async function docCount(ep: Endpoint, db: string): Promise<number> {
  const info = await json<{ doc_count: number }>(ep, encodeURIComponent(db));
  return info.doc_count;
}

/** Waits until a database exists (the server provisions databases asynchronously). */
export async function waitForDb(ep: Endpoint, db: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(ep, encodeURIComponent(db));
    await res.arrayBuffer();
    if (res.ok) return;
    if (Date.now() > deadline)
      throw new Error(`database ${db} did not appear within ${timeoutMs} ms (HTTP ${res.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
