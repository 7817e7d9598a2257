import { describe, expect, it } from 'vitest';
import type { BatchChangesResponse } from '../domain/sync-protocol';
import { DirtySet, advance, changedDocs, dbsToRead, outcomeOf, readsAgain, sinceFor } from './checkpoint';

describe('composite checkpoint', () => {
  it('starts a database it has never seen at 0', () => {
    expect(sinceFor(undefined, 'org_a_tickets')).toBe(0);
    expect(sinceFor({ seqs: { org_b_tickets: 7 } }, 'org_a_tickets')).toBe(0);
  });

  it('advances one database and keeps the others', () => {
    const cp = advance({ seqs: { org_a_tickets: '3-x' } }, 'org_b_tickets', 9);
    expect(cp).toEqual({ seqs: { org_a_tickets: '3-x', org_b_tickets: 9 } });
    expect(advance(cp, 'org_a_tickets', '5-y').seqs.org_a_tickets).toBe('5-y');
  });

  it('never returns a database the user no longer reads', () => {
    expect(dbsToRead(new Set(['org_a_tickets', 'org_gone_tickets']), ['org_a_tickets', 'org_b_tickets'], 10)).toEqual([
      'org_a_tickets'
    ]);
  });
});

describe('dirty databases', () => {
  it('is all dirty at start and takes at most the limit', () => {
    const d = new DirtySet(['a', 'b', 'c']);
    expect(d.take(['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
    expect(d.take(['a', 'b', 'c'], 2)).toEqual(['c']);
    expect(d.take(['a', 'b', 'c'], 2)).toEqual([]);
  });

  it('is marked again by an event arriving while it is read', () => {
    const d = new DirtySet(['a']);
    expect(d.take(['a'], 5)).toEqual(['a']);
    d.mark('a');
    expect(d.take(['a'], 5)).toEqual(['a']);
  });
});

describe('what an answer says of each database asked', () => {
  const answer: BatchChangesResponse = {
    results: {
      org_a_tickets: {
        results: [
          { id: 't1', seq: 1, doc: { _id: 't1' } },
          { id: '_design/app', seq: 2, doc: { _id: '_design/app' } },
          { id: 't2', seq: 3, deleted: true }
        ],
        last_seq: 3,
        more: true
      },
      org_b_tickets: { results: [], last_seq: 7, more: false }
    },
    refused: {
      org_c_tickets: { status: 403, error: 'forbidden', reason: 'not yours' },
      org_d_tickets: { status: 404, error: 'not_found', reason: 'gone' },
      org_e_tickets: { status: 503, error: 'unavailable', reason: 'busy' }
    },
    unread: ['org_f_tickets']
  };

  it('reads on a database with more to come, and leaves one read to its end', () => {
    const a = outcomeOf(answer, 'org_a_tickets');
    const b = outcomeOf(answer, 'org_b_tickets');
    expect(a.kind).toBe('read');
    expect(readsAgain(a)).toBe(true);
    expect(b.kind).toBe('read');
    expect(readsAgain(b)).toBe(false);
  });

  it('leaves a withdrawn or removed database alone', () => {
    for (const db of ['org_c_tickets', 'org_d_tickets']) {
      const o = outcomeOf(answer, db);
      expect(o).toEqual({ kind: 'withdrawn', refusal: answer.refused[db] });
      expect(readsAgain(o)).toBe(false);
    }
  });

  it('reads again a database the server failed on, or that did not fit the answer', () => {
    const failed = outcomeOf(answer, 'org_e_tickets');
    expect(failed).toEqual({ kind: 'unread', failed: answer.refused.org_e_tickets });
    expect(readsAgain(failed)).toBe(true);
    const unread = outcomeOf(answer, 'org_f_tickets');
    expect(unread).toEqual({ kind: 'unread' });
    expect(readsAgain(unread)).toBe(true);
  });

  it("counts a page's documents without the server's design documents or bare deletions", () => {
    expect(changedDocs(answer.results.org_a_tickets).map((r) => r.id)).toEqual(['t1']);
  });
});
