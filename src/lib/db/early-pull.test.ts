/**
 * A new device's first pages asked while the app starts (`early-pull.ts`): asked only where
 * the browser holds nothing of the person's, exactly the request the pull then makes (so the
 * pull takes the answer instead of asking), once per collection, and never in place of any
 * other request.
 */
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchChangesResponse } from '../domain/sync-protocol';
import { DirtySet } from './checkpoint';
import { nextRequest, startEarlyPulls, PULL_BATCH_SIZE, type EarlyPulls } from './early-pull';
import { rxDatabaseName } from './local-names';
import { createPullHandler } from './pull';

const me = {
  user: { id: 'technik.kt' },
  databases: [
    { db: 'org_gym-kt_tickets', role: 'contractor' },
    { db: 'org_sos-do_tickets', role: 'contractor' },
    { db: 'org_gym-kt_tasks', role: 'contractor' },
    // Files sync through PouchDB, not the pull: never asked early.
    { db: 'org_gym-kt_media', role: 'contractor' },
    { db: 'region_catalog', role: 'reader' }
  ]
} as never;

const answer = (db: string, n: number): BatchChangesResponse => ({
  results: {
    [db]: {
      results: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, seq: i + 1, doc: { _id: `t${i}`, n: i } })),
      last_seq: n,
      more: false
    }
  },
  refused: {},
  unread: []
});

/** A fetch that answers every batched request with one page of `org_gym-kt_tickets`, and records the bodies. */
function feed() {
  const bodies: { since: Record<string, unknown>; limit: number }[] = [];
  const fetch = async (_url: string, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    return new Response(JSON.stringify(answer('org_gym-kt_tickets', 3)), { status: 200 });
  };
  return { bodies, fetch };
}

/**
 * A fetch whose first page of `org_gym-kt_tickets` is full (more follows) and whose every later
 * request gets three documents; records the bodies.
 */
function fullFeed() {
  const bodies: { since: Record<string, unknown>; limit: number }[] = [];
  const fetch = async (_url: string, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { since: Record<string, number>; limit: number };
    bodies.push(body);
    const page: BatchChangesResponse =
      body.since['org_gym-kt_tickets'] === 0
        ? { ...answer('org_gym-kt_tickets', PULL_BATCH_SIZE), unread: ['org_sos-do_tickets'] }
        : answer('org_sos-do_tickets', 3);
    if (body.since['org_gym-kt_tickets'] === 0) page.results['org_gym-kt_tickets'].more = true;
    // The rest of a database read to its end: nothing more.
    else if ('org_gym-kt_tickets' in body.since)
      page.results['org_gym-kt_tickets'] = { results: [], last_seq: body.since['org_gym-kt_tickets'], more: false };
    return new Response(JSON.stringify(page), { status: 200 });
  };
  return { bodies, fetch };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

/** The tickets pull of `me`, taking `early`'s answer; the requests it makes itself (answered empty) in `asked`. */
function ticketsPull(early: EarlyPulls, opts: { streamConnected?: boolean } = {}) {
  const readable = ['org_gym-kt_tickets', 'org_sos-do_tickets'];
  const asked: unknown[] = [];
  const dirty = new DirtySet(readable);
  // What the stream's first connection does (`readAgainAfterFirstConnection`).
  if (opts.streamConnected) dirty.markReadsStale();
  const pull = createPullHandler({
    client: {
      async changesBatch(since, limit) {
        asked.push({ since, limit });
        const results = Object.fromEntries(
          Object.keys(since).map((db) => [db, { results: [], last_seq: 0, more: false }])
        );
        return { results, refused: {}, unread: [] };
      }
    },
    readable: () => readable,
    dirty,
    takeEarly: (since, limit) => early.take('tickets', since, limit)
  });
  return { pull, asked };
}

const saved = globalThis.indexedDB;
afterEach(() => {
  globalThis.indexedDB = saved;
});

describe('the first pages asked while the app starts', () => {
  it('are the requests the pull then makes, taken once instead of asking', async () => {
    globalThis.indexedDB = new IDBFactory();
    const f = feed();
    const early = await startEarlyPulls(me, { fetch: f.fetch });
    expect(early).not.toBeNull();
    // One request per collection the person has databases of, every database from its start.
    expect(f.bodies).toEqual([
      { since: { 'org_gym-kt_tickets': 0, 'org_sos-do_tickets': 0 }, limit: PULL_BATCH_SIZE },
      { since: { 'org_gym-kt_tasks': 0 }, limit: PULL_BATCH_SIZE },
      { since: { region_catalog: 0 }, limit: PULL_BATCH_SIZE }
    ]);

    const { pull, asked } = ticketsPull(early!);
    const first = await pull(undefined, PULL_BATCH_SIZE);
    expect(first.documents.map((d) => d.id)).toEqual(['t0', 't1', 't2']);
    // The early page held one database; the other is asked by the pull itself. The event stream
    // has yet to connect: its first connection reads the early one again, not the pull.
    expect(asked).toEqual([{ since: { 'org_sos-do_tickets': 0 }, limit: PULL_BATCH_SIZE - 3 }]);
    expect(early!.take('tickets', { 'org_gym-kt_tickets': 0, 'org_sos-do_tickets': 0 }, PULL_BATCH_SIZE)).toBeNull();
  });

  it('are read once more by the pull when the event stream connected before they were taken', async () => {
    globalThis.indexedDB = new IDBFactory();
    const early = await startEarlyPulls(me, { fetch: feed().fetch });
    const { pull, asked } = ticketsPull(early!, { streamConnected: true });
    await pull(undefined, PULL_BATCH_SIZE);
    // From where its page ended: a change made after the server read it was announced to nobody.
    expect(asked).toEqual([
      { since: { 'org_gym-kt_tickets': 3, 'org_sos-do_tickets': 0 }, limit: PULL_BATCH_SIZE - 3 }
    ]);
  });

  it('are not used for any other request, and dropped once asked for', async () => {
    globalThis.indexedDB = new IDBFactory();
    const early = await startEarlyPulls(me, { fetch: feed().fetch });
    expect(early!.take('tasks', { 'org_gym-kt_tasks': 5 }, PULL_BATCH_SIZE)).toBeNull();
    expect(early!.take('tasks', { 'org_gym-kt_tasks': 0 }, PULL_BATCH_SIZE)).toBeNull();
    expect(early!.take('region', { region_catalog: 0 }, 10)).toBeNull();
    expect(early!.take('assets', {}, PULL_BATCH_SIZE)).toBeNull();
  });

  it('are not asked where the browser holds stores of the person, or cannot tell', async () => {
    const idb = new IDBFactory();
    await new Promise((resolve) => {
      idb.open(`rxdb-dexie-${rxDatabaseName('technik.kt')}--5--tickets`).onsuccess = resolve;
    });
    globalThis.indexedDB = idb;
    const f = feed();
    expect(await startEarlyPulls(me, { fetch: f.fetch })).toBeNull();
    globalThis.indexedDB = undefined as never;
    expect(await startEarlyPulls(me, { fetch: f.fetch })).toBeNull();
    expect(f.bodies).toEqual([]);
  });

  it('are followed by the page after a full first one, which the pull takes as its next page', async () => {
    globalThis.indexedDB = new IDBFactory();
    const f = fullFeed();
    const early = await startEarlyPulls(me, { fetch: f.fetch });
    await settle();
    const next = { since: { 'org_gym-kt_tickets': PULL_BATCH_SIZE, 'org_sos-do_tickets': 0 }, limit: PULL_BATCH_SIZE };
    // Asked before the pull runs: on from where the first page of tickets ended, the unread database from its start.
    expect(f.bodies.filter((b) => 'org_gym-kt_tickets' in b.since)).toEqual([
      { since: { 'org_gym-kt_tickets': 0, 'org_sos-do_tickets': 0 }, limit: PULL_BATCH_SIZE },
      next
    ]);
    const { pull, asked } = ticketsPull(early!);
    const first = await pull(undefined, PULL_BATCH_SIZE);
    expect(first.documents).toHaveLength(PULL_BATCH_SIZE);
    const second = await pull(first.checkpoint, PULL_BATCH_SIZE);
    expect(second.documents.map((d) => d.id)).toEqual(['t0', 't1', 't2']);
    // Both pages came from the early answers: the pull asked the server for neither.
    expect(asked).toEqual([]);
    expect(second.checkpoint.seqs).toEqual({ 'org_gym-kt_tickets': PULL_BATCH_SIZE, 'org_sos-do_tickets': 3 });
  });

  it('give the page after the first to the pull only as the request it would make', async () => {
    globalThis.indexedDB = new IDBFactory();
    const early = await startEarlyPulls(me, { fetch: fullFeed().fetch });
    await settle();
    // The event stream connected before the first page was taken: the pull reads that database
    // again, and the early page after it (asked before the connection too) is read once more.
    const { pull, asked } = ticketsPull(early!, { streamConnected: true });
    const first = await pull(undefined, PULL_BATCH_SIZE);
    await pull(first.checkpoint, PULL_BATCH_SIZE);
    expect(asked).toEqual([
      { since: { 'org_gym-kt_tickets': PULL_BATCH_SIZE, 'org_sos-do_tickets': 3 }, limit: PULL_BATCH_SIZE - 3 }
    ]);
    // A request other than the one asked early drops the early ones.
    const other = await startEarlyPulls(me, { fetch: fullFeed().fetch });
    await settle();
    expect(other!.take('tickets', { 'org_gym-kt_tickets': 5 }, PULL_BATCH_SIZE)).toBeNull();
    expect(other!.take('tickets', { 'org_gym-kt_tickets': 0, 'org_sos-do_tickets': 0 }, PULL_BATCH_SIZE)).toBeNull();
  });
});

describe('the request after a first answer', () => {
  const readable = ['a', 'b', 'c'];
  const page = (n: number, more: boolean, lastSeq = n) => ({
    results: Array.from({ length: n }, (_, i) => ({ id: `d${i}`, seq: i + 1, doc: { _id: `d${i}` } })),
    last_seq: lastSeq,
    more
  });

  it('reads on where the full answer ended, and the databases it did not reach from their start', () => {
    const full = { results: { a: page(4, true, 40) }, refused: {}, unread: ['b', 'c'] };
    expect(nextRequest(readable, 4, full)).toEqual({ since: { a: 40, b: 0, c: 0 }, limit: 4 });
    const ended = { results: { a: page(2, false, 7), b: page(2, true, 9) }, refused: {}, unread: ['c'] };
    expect(nextRequest(readable, 4, ended)).toEqual({ since: { b: 9, c: 0 }, limit: 4 });
  });

  it('is none after an answer with room left, one that leaves nothing to read, or a failed database', () => {
    expect(nextRequest(readable, 4, { results: { a: page(3, false) }, refused: {}, unread: [] })).toBeNull();
    const everything = {
      results: { a: page(2, false), b: page(1, false), c: page(1, false) },
      refused: {},
      unread: []
    };
    expect(nextRequest(readable, 4, everything)).toBeNull();
    const failed = {
      results: { a: page(4, true) },
      refused: { b: { status: 503, error: 'unavailable', reason: 'try again' } },
      unread: ['c']
    };
    expect(nextRequest(readable, 4, failed)).toBeNull();
  });

  it('leaves out a database refused for good', () => {
    const refused = {
      results: { a: page(4, true, 4) },
      refused: { b: { status: 403, error: 'forbidden', reason: 'no longer yours' } },
      unread: ['c']
    };
    expect(nextRequest(readable, 4, refused)).toEqual({ since: { a: 4, c: 0 }, limit: 4 });
  });
});
