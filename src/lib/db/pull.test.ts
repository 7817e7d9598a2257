/**
 * The pull handler's cases, against a scripted batched feed (the real feed and its
 * authorization are proven in `sync-server/changes/route.test.ts` and the integration tests
 * of this folder): pages filled to the batch size, databases left for later, refusals and
 * failures, first-sync sizes, and a database read again from its start.
 */
import { describe, expect, it } from 'vitest';
import type { BatchChangesResponse, BatchDbChanges } from '../domain/sync-protocol';
import { DirtySet } from './checkpoint';
import type { DocState } from './couch-doc';
import { SessionMismatchError, SyncHttpError } from './couch-http';
import { createPullHandler } from './pull';
import { readAgainAfterFirstConnection } from './replication';

type Asked = { since: Record<string, string | number>; limit: number };

const doc = (db: string, n: number) => ({ id: `${db}-${n}`, seq: n, doc: { _id: `${db}-${n}`, n } });
const page = (db: string, from: number, count: number, more = false, extra: Partial<BatchDbChanges> = {}) => ({
  results: Array.from({ length: count }, (_, i) => doc(db, from + i)),
  last_seq: from + count - 1,
  more,
  ...extra
});
const answer = (a: Partial<BatchChangesResponse>): BatchChangesResponse => ({
  results: {},
  refused: {},
  unread: [],
  ...a
});

function scripted(answers: ((asked: Asked) => BatchChangesResponse | Error)[]) {
  const asked: Asked[] = [];
  return {
    asked,
    client: {
      async changesBatch(since: Asked['since'], limit: number) {
        asked.push({ since, limit });
        const next = answers.shift();
        if (!next) throw new Error('asked more than scripted');
        const a = next({ since, limit });
        if (a instanceof Error) throw a;
        return a;
      }
    }
  };
}

describe('pull over the batched feed', () => {
  it('asks for all marked databases in one request and fills the page from what was left unread', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets', 'org_c_tickets'];
    const feed = scripted([
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 1, 3, true) }, unread: dbs.slice(1) }),
      () =>
        answer({
          results: { org_a_tickets: page('org_a_tickets', 4, 1), org_b_tickets: page('org_b_tickets', 1, 1) },
          unread: ['org_c_tickets']
        })
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty });
    const r = await pull(undefined, 5);
    expect(r.documents.map((d) => d.id)).toEqual(
      [1, 2, 3, 4].map((n) => `org_a_tickets-${n}`).concat('org_b_tickets-1')
    );
    expect(feed.asked.slice(0, 2)).toEqual([
      { since: { org_a_tickets: 0, org_b_tickets: 0, org_c_tickets: 0 }, limit: 5 },
      { since: { org_a_tickets: 3, org_b_tickets: 0, org_c_tickets: 0 }, limit: 2 }
    ]);
    // The page was full: what the next pull will ask is already on its way.
    expect(feed.asked[2]).toEqual({ since: { org_c_tickets: 0 }, limit: 5 });
    expect(r.checkpoint.seqs).toEqual({ org_a_tickets: 4, org_b_tickets: 1 });
    // The database that did not fit stays marked for the next pull.
    expect(dirty.has('org_c_tickets')).toBe(true);
    expect(dirty.has('org_a_tickets')).toBe(false);
  });

  it('reports refused databases and does not ask for them again', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets'];
    const refusedDbs: string[] = [];
    const feed = scripted([
      () =>
        answer({
          results: { org_a_tickets: page('org_a_tickets', 1, 1) },
          refused: { org_b_tickets: { status: 403, error: 'forbidden', reason: 'you have no access to org_b_tickets' } }
        })
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({
      client: feed.client,
      readable: () => dbs,
      dirty,
      onDbRefused: (db, err) => refusedDbs.push(`${db}: ${err.status} ${err.reason}`)
    });
    const r = await pull(undefined, 10);
    expect(r.documents).toHaveLength(1);
    expect(refusedDbs).toEqual(['org_b_tickets: 403 you have no access to org_b_tickets']);
    expect(dirty.size).toBe(0);
  });

  it('keeps what was delivered when the server fails on one database, and asks again later', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets'];
    const later: unknown[] = [];
    const feed = scripted([
      () =>
        answer({
          results: { org_a_tickets: page('org_a_tickets', 1, 2) },
          refused: { org_b_tickets: { status: 503, error: 'unavailable', reason: 'try again' } }
        })
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({
      client: feed.client,
      readable: () => dbs,
      dirty,
      onRetryLater: (e) => later.push(e)
    });
    const r = await pull(undefined, 10);
    expect(r.documents).toHaveLength(2);
    expect(r.checkpoint.seqs).toEqual({ org_a_tickets: 2 });
    expect(dirty.has('org_b_tickets')).toBe(true);
    expect(later).toHaveLength(1);
    expect((later[0] as SyncHttpError).status).toBe(503);
  });

  it('throws a failed request when nothing was delivered, with every database still marked', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets'];
    const feed = scripted([() => new SyncHttpError('No answer from the server', 0)]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty });
    await expect(pull(undefined, 10)).rejects.toMatchObject({ status: 0 });
    expect(dirty.size).toBe(2);
  });

  it('throws a session of another user at once', async () => {
    const dbs = ['org_a_tickets'];
    const feed = scripted([() => new SessionMismatchError('ucitel.sosdo')]);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty: new DirtySet(dbs) });
    await expect(pull({ seqs: { org_a_tickets: 7 } }, 10)).rejects.toBeInstanceOf(SessionMismatchError);
  });

  it('tells the size of databases read from their start, from the page or the count the server gives', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets', 'org_c_tickets'];
    const sizes: string[] = [];
    const feed = scripted([
      () =>
        answer({
          results: {
            org_a_tickets: page('org_a_tickets', 1, 2),
            org_b_tickets: page('org_b_tickets', 1, 1, true, { doc_count: 40 }),
            org_c_tickets: page('org_c_tickets', 9, 1)
          }
        }),
      () => answer({ results: { org_b_tickets: page('org_b_tickets', 2, 0) } })
    ]);
    const pull = createPullHandler({
      client: feed.client,
      readable: () => dbs,
      dirty: new DirtySet(dbs),
      onFirstPage: (db, n) => sizes.push(`${db}=${n}`)
    });
    await pull({ seqs: { org_c_tickets: 8 } }, 10);
    expect(sizes).toEqual(['org_a_tickets=2', 'org_b_tickets=40']);
  });

  it('reads a database again from its start when asked to', async () => {
    const dbs = ['org_a_tickets'];
    const feed = scripted([() => answer({ results: { org_a_tickets: page('org_a_tickets', 1, 1) } })]);
    const pull = createPullHandler({
      client: feed.client,
      readable: () => dbs,
      dirty: new DirtySet(dbs),
      restart: new Set(['org_a_tickets'])
    });
    await pull({ seqs: { org_a_tickets: 50 } }, 10);
    expect(feed.asked[0].since).toEqual({ org_a_tickets: 0 });
  });

  it('keeps reading a database again from its start until a page of it arrived (a failed request is retried)', async () => {
    const dbs = ['org_a_tickets'];
    const feed = scripted([
      () => new SyncHttpError('offline', 0),
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 1, 1) } })
    ]);
    const restart = new Set(['org_a_tickets']);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty: new DirtySet(dbs), restart });
    // RxDB retries a pull that threw with the checkpoint it stored, which holds the old sequence.
    await expect(pull({ seqs: { org_a_tickets: 50 } }, 10)).rejects.toThrow();
    await pull({ seqs: { org_a_tickets: 50 } }, 10);
    expect(feed.asked.map((a) => a.since)).toEqual([{ org_a_tickets: 0 }, { org_a_tickets: 0 }]);
    expect(restart.size).toBe(0);
  });

  it('drops a database the person no longer reads from the checkpoint, so a later grant reads it from its start', async () => {
    let dbs = ['org_a_tickets'];
    const feed = scripted([
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 8, 1) } }),
      () => answer({ results: { org_b_tickets: page('org_b_tickets', 1, 1) } })
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty });
    // org_b was withdrawn (and its documents removed) in an earlier run of the app.
    const r = await pull({ seqs: { org_a_tickets: 7, org_b_tickets: 40 } }, 10);
    expect(r.checkpoint.seqs).toEqual({ org_a_tickets: 8 });
    // Granted again after a restart: nothing in memory remembers the withdrawal.
    dbs = ['org_a_tickets', 'org_b_tickets'];
    dirty.mark('org_b_tickets');
    await pull(r.checkpoint, 10);
    expect(feed.asked[1].since).toEqual({ org_b_tickets: 0 });
  });

  it('uses the page asked for ahead when nothing changed since, and asks anew when a database was marked meanwhile', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets'];
    const feed = scripted([
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 1, 2, true) }, unread: ['org_b_tickets'] }),
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 3, 2, true) }, unread: ['org_b_tickets'] }),
      () =>
        answer({ results: { org_a_tickets: page('org_a_tickets', 5, 1), org_b_tickets: page('org_b_tickets', 1, 1) } }),
      () =>
        answer({ results: { org_a_tickets: page('org_a_tickets', 5, 1), org_b_tickets: page('org_b_tickets', 1, 2) } })
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty });
    const first = await pull(undefined, 2);
    expect(feed.asked).toHaveLength(2);
    // The second pull takes the answer asked for ahead: no request of its own.
    const second = await pull(first.checkpoint, 2);
    expect(second.documents.map((d) => d.id)).toEqual(['org_a_tickets-3', 'org_a_tickets-4']);
    expect(feed.asked).toHaveLength(3);
    // A change announced after that request was sent: its answer may be older than the change.
    dirty.mark('org_b_tickets');
    const third = await pull(second.checkpoint, 2);
    expect(feed.asked).toHaveLength(4);
    expect(third.documents.map((d) => d.id)).toEqual(['org_a_tickets-5', 'org_b_tickets-1', 'org_b_tickets-2']);
  });

  it("reads once more a page asked for ahead before the event stream's first connection, though its database stayed marked", async () => {
    const db = 'org_a_tickets';
    const feed = scripted([
      () => answer({ results: { [db]: page(db, 1, 2, true) } }),
      // Asked ahead: the last page as it stood before the connection.
      () => answer({ results: { [db]: page(db, 3, 1) } }),
      // Asked after it: the change made meanwhile, which the stream announced to nobody.
      () => answer({ results: { [db]: page(db, 4, 1) } })
    ]);
    const dirty = new DirtySet([db]);
    const pull = createPullHandler({ client: feed.client, readable: () => [db], dirty });
    const first = await pull(undefined, 2);
    expect(feed.asked).toHaveLength(2);
    // Still marked (its next page is due): the connection leaves it to the pull.
    expect(readAgainAfterFirstConnection(new Map([['tickets', dirty]]), [db])).toEqual([]);
    const second = await pull(first.checkpoint, 2);
    // The page asked ahead is used, and the database read once more after it, from where it ended.
    expect(feed.asked).toHaveLength(3);
    expect(feed.asked[2]).toEqual({ since: { [db]: 3 }, limit: 1 });
    expect(second.documents.map((d) => d.id)).toEqual(['org_a_tickets-3', 'org_a_tickets-4']);
    expect(dirty.has(db)).toBe(false);
  });

  it('does not mark for reading again a database withdrawn while a page asked before the connection was on its way', async () => {
    let dbs = ['org_a_tickets', 'org_b_tickets'];
    const gone = { id: 'b-1', seq: 1, doc: { _id: 'b-1', _deleted: true } };
    const feed = scripted([
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 1, 2, true) }, unread: ['org_b_tickets'] }),
      () =>
        answer({
          results: {
            org_a_tickets: page('org_a_tickets', 3, 1),
            org_b_tickets: { results: [gone], last_seq: 1, more: false }
          }
        }),
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 4, 0) } })
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({
      client: feed.client,
      readable: () => dbs,
      dirty,
      // The access event arrives while the answer is read.
      completeTombstones: async (docs) => {
        dbs = ['org_a_tickets'];
        return docs;
      }
    });
    const first = await pull(undefined, 2);
    dirty.markReadsStale();
    await pull(first.checkpoint, 2);
    expect(dirty.has('org_b_tickets')).toBe(false);
  });

  it('forgets the databases to read again of a call that failed after taking its answer', async () => {
    const db = 'org_a_tickets';
    const gone = { id: 'a-3', seq: 3, doc: { _id: 'a-3', _deleted: true } };
    const feed = scripted([
      () => answer({ results: { [db]: page(db, 1, 2, true) } }),
      () => answer({ results: { [db]: { results: [gone], last_seq: 3, more: false } } }),
      () => answer({ results: { [db]: { results: [gone], last_seq: 3, more: false } } })
    ]);
    const dirty = new DirtySet([db]);
    let failOnce = true;
    const pull = createPullHandler({
      client: feed.client,
      readable: () => [db],
      dirty,
      completeTombstones: async (docs) => {
        if (failOnce) throw new Error('the store could not be read');
        return docs;
      }
    });
    const first = await pull(undefined, 2);
    dirty.markReadsStale();
    await expect(pull(first.checkpoint, 2)).rejects.toThrow('could not be read');
    failOnce = false;
    await pull(first.checkpoint, 2);
    // Read anew after the failure, and not once more for the page the failed call took.
    expect(feed.asked).toHaveLength(3);
    expect(dirty.has(db)).toBe(false);
  });

  it('reads an early answer that failed once, not twice, when the stream had connected before', async () => {
    const db = 'org_a_tickets';
    const feed = scripted([
      () => answer({ results: { [db]: page(db, 1, 1) } }),
      () => answer({ results: { [db]: page(db, 2, 0) } })
    ]);
    const dirty = new DirtySet([db]);
    dirty.markReadsStale();
    const pull = createPullHandler({
      client: feed.client,
      readable: () => [db],
      dirty,
      takeEarly: () => Promise.reject(new SyncHttpError('HTTP 503', 503, 'unavailable'))
    });
    await expect(pull(undefined, 5)).rejects.toThrow('503');
    const retried = await pull(undefined, 5);
    expect(retried.documents.map((d) => d.id)).toEqual(['org_a_tickets-1']);
    // The retry read it after the failure; nothing is left to read again.
    expect(dirty.has(db)).toBe(false);
    expect(feed.asked).toHaveLength(1);
  });

  it('hands out nothing of a database withdrawn while its answer was on the way, and leaves it where it was', async () => {
    let dbs = ['org_a_tickets', 'org_b_tickets'];
    const restart = new Set<string>(['org_b_tickets']);
    const feed = scripted([
      () => {
        // The access event arrives while the server answers.
        dbs = ['org_a_tickets'];
        return answer({
          results: { org_a_tickets: page('org_a_tickets', 1, 2), org_b_tickets: page('org_b_tickets', 1, 3) }
        });
      }
    ]);
    const dirty = new DirtySet(dbs);
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty, restart });
    const r = await pull(undefined, 10);
    expect(r.documents.map((d) => d.id)).toEqual(['org_a_tickets-1', 'org_a_tickets-2']);
    expect(r.checkpoint.seqs).toEqual({ org_a_tickets: 2 });
    // Granted again later, it is read from its start.
    expect(restart.has('org_b_tickets')).toBe(true);
  });

  it('completes a deletion from the document handed out just before, which may not be stored yet', async () => {
    const dbs = ['org_a_assets'];
    const live = (rev: string) => ({ id: 'cover:1', seq: 1, doc: { _id: 'cover:1', _rev: rev, type: 'cover', n: 1 } });
    const bare = { id: 'cover:1', seq: 2, doc: { _id: 'cover:1', _rev: '2-b', _deleted: true } };
    const feed = scripted([
      () =>
        answer({
          results: { org_a_assets: { results: [live('1-a'), doc('org_a_assets', 2)], last_seq: 2, more: true } }
        }),
      () => answer({ results: { org_a_assets: { results: [bare], last_seq: 3, more: false } } })
    ]);
    const dirty = new DirtySet(dbs);
    const stored = new Map<string, DocState>();
    const pull = createPullHandler({
      client: feed.client,
      readable: () => dbs,
      dirty,
      // As the app's: the store's content first, then what was handed out; nothing known: dropped.
      completeTombstones: async (docs, handed) =>
        docs.flatMap((d): DocState[] => {
          if (!d._deleted || Object.keys(d).length > 3) return [d];
          const last = stored.get(String(d.id)) ?? handed?.get(String(d.id));
          return last ? [{ ...last, _deleted: true }] : [];
        })
    });
    const first = await pull(undefined, 2);
    expect(first.documents.map((d) => d.id)).toEqual(['cover:1', 'org_a_assets-2']);
    // The first page is still being stored (nothing in `stored`) when the deletion arrives.
    const second = await pull(first.checkpoint, 2);
    expect(second.documents).toEqual([expect.objectContaining({ id: 'cover:1', type: 'cover', _deleted: true })]);
  });

  it('marks again every database it took when the answer cannot be read, so the retry reads them', async () => {
    const dbs = ['org_a_tickets', 'org_b_tickets'];
    const feed = scripted([
      () => answer({ results: { org_a_tickets: page('org_a_tickets', 1, 1) }, unread: ['org_b_tickets'] }),
      () => answer({ results: { org_b_tickets: page('org_b_tickets', 1, 1) } })
    ]);
    const dirty = new DirtySet(dbs);
    // A document the device cannot take (its conversion throws) after another database was read.
    const codec = {
      keyOf: (s: Record<string, unknown>) => String(s.id),
      fromCouch: (db: string, d: Record<string, unknown>) => {
        if (db === 'org_b_tickets') throw new Error('not a document of this app');
        return { ...d, id: d._id } as never;
      },
      toCouch: () => ({}) as never,
      localFields: []
    };
    const pull = createPullHandler({ client: feed.client, readable: () => dbs, dirty, codec });
    await expect(pull(undefined, 10)).rejects.toThrow('not a document of this app');
    expect(feed.asked).toHaveLength(2);
    expect(dirty.has('org_a_tickets')).toBe(true);
    expect(dirty.has('org_b_tickets')).toBe(true);
  });
});
