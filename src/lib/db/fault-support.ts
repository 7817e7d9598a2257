/**
 * Faults for the integration suites: wrappers around a device's network that lose answers,
 * answer 5xx or run a hook before a request, a seeded random source, and the checks that
 * decide whether a fault lost or doubled anything (read from the store itself, never from
 * timing). Tests only.
 */
import nano from 'nano';
import type { SessionUser } from '../domain/access';
import type { Ticket } from '../domain/schemas/tickets';
import { newTicket } from '../domain/tickets/build';
import type { FetchLike } from './couch-http';
import { initialSync, reduceSync, syncSummary, type SyncEvent, type SyncSummary } from './sync-status';
import type { TestDevice } from './test-device';

/** mulberry32: small, fast and reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const isBulkDocs = (url: string, init?: RequestInit) =>
  (init?.method ?? 'GET') === 'POST' && url.includes('/_bulk_docs');

export interface FaultPlan {
  /** Decides per request; `lose-answer` forwards it and then fails as a dropped connection. */
  decide(url: string, init: RequestInit | undefined): 'pass' | 'lose-answer' | 500 | 503 | Promise<'pass'>;
}

export interface FaultLog {
  lostAnswers: number;
  errors5xx: number;
  requests: number;
}

/** A device network that applies `plan` to every request and counts what it did. */
export function faultyNetwork(plan: FaultPlan, log: FaultLog): (fetch: FetchLike) => FetchLike {
  return (fetch) => async (input, init) => {
    const url = String(input);
    log.requests += 1;
    const what = await plan.decide(url, init);
    if (what === 'pass') return fetch(input, init);
    if (what === 'lose-answer') {
      await (await fetch(input, init)).arrayBuffer();
      log.lostAnswers += 1;
      throw new TypeError('fetch failed (connection dropped after the request was sent)');
    }
    log.errors5xx += 1;
    return new Response(JSON.stringify({ error: 'unavailable', reason: 'injected fault' }), {
      status: what,
      headers: { 'content-type': 'application/json' }
    });
  };
}

export async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A check that cannot reach the store (it is being killed) is a "not yet".
  const holds = () => cond().catch(() => false);
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const pendingCount = (d: TestDevice) => d.core.issues.store.count({ selector: { kind: 'pending' } }).exec();
export const rejected = async (d: TestDevice) =>
  (await d.core.issues.store.find({ selector: { kind: 'rejected' } }).exec()).map((r) => r.toJSON());

/** Tickets made on a device the way the app makes them, `at` as the device's clock says. */
export function deviceTickets(user: SessionUser, orgId: string, n: number, at: Date, label: string): Ticket[] {
  return Array.from({ length: n }, (_, i) =>
    newTicket(
      {
        orgId,
        title: `${label} ${i + 1}`,
        description: `Fault suite: ${label}, ticket ${i + 1}`,
        category: 'cat-hardware',
        priority: 'P3'
      },
      user,
      at
    )
  );
}

export interface ServerRow {
  id: string;
  rev: string;
  conflicts: string[];
}

/** Each id as CouchDB itself holds it: revision and conflicting revisions. */
export async function onServer(couchUrl: string, db: string, ids: readonly string[]): Promise<Map<string, ServerRow>> {
  const store = nano(couchUrl).use<Record<string, unknown>>(db);
  const found = new Map<string, ServerRow>();
  for (let i = 0; i < ids.length; i += 200) {
    const res = await store.fetch({ keys: ids.slice(i, i + 200) }, { conflicts: true });
    for (const row of res.rows) {
      if (!('doc' in row) || !row.doc) continue;
      const doc = row.doc as unknown as { _id: string; _rev: string; _conflicts?: string[] };
      found.set(doc._id, { id: doc._id, rev: doc._rev, conflicts: doc._conflicts ?? [] });
    }
  }
  return found;
}

/** Every id is on the server once: written, in one revision line, without a conflict. */
export async function expectAllOnServerOnce(couchUrl: string, db: string, ids: readonly string[]) {
  const rows = await onServer(couchUrl, db, ids);
  const missing = ids.filter((id) => !rows.has(id));
  const conflicted = [...rows.values()].filter((r) => r.conflicts.length > 0).map((r) => r.id);
  return { missing, conflicted, rows };
}

/** What the status bar said after each sync event, in order (the device's own reducer). */
export function statusTrail(events: readonly SyncEvent[]): SyncSummary[] {
  const trail: SyncSummary[] = [];
  let s = initialSync(true);
  for (const ev of events) {
    s = reduceSync(s, ev);
    trail.push(syncSummary(s));
  }
  return trail;
}

/** What the status bar says now. */
export const statusNow = (events: readonly SyncEvent[]): SyncSummary =>
  syncSummary(events.reduce(reduceSync, initialSync(true)));

/** What the device's status bar says now: its sync events and its counts, as the app combines them. */
export async function statusOf(d: TestDevice, events: readonly SyncEvent[]): Promise<SyncSummary> {
  const count = (kind: 'pending' | 'rejected' | 'conflict') => d.core.issues.store.count({ selector: { kind } }).exec();
  const counts: SyncEvent = {
    type: 'counts',
    pending: await count('pending'),
    rejected: await count('rejected'),
    conflicts: await count('conflict')
  };
  return syncSummary([...events, counts].reduce(reduceSync, initialSync(true)));
}
