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
import { startEarlyPulls, PULL_BATCH_SIZE, type EarlyPulls } from './early-pull';
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
});
