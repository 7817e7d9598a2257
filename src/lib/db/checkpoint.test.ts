import { describe, expect, it } from 'vitest';
import { DirtySet, advance, dbsToRead, sinceFor } from './checkpoint';

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
