import { describe, expect, it } from 'vitest';
import { BatchedReads } from './user-reads';

/** A store of records that counts how it was read. */
function store(initial: Record<string, string>) {
  const docs = new Map(Object.entries(initial));
  const calls: string[][] = [];
  let gate: Promise<void> = Promise.resolve();
  let failNext = false;
  const reads = new BatchedReads<string>(
    async (id) => {
      calls.push([id]);
      const value = docs.get(id) ?? null;
      await gate;
      return value;
    },
    async (ids) => {
      calls.push(ids);
      // What the store holds when the read is made, answered when the gate opens.
      const answer = new Map(ids.map((id) => [id, docs.get(id) ?? null]));
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('store unavailable');
      }
      return answer;
    }
  );
  return {
    reads,
    docs,
    calls,
    hold() {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return open;
    },
    failNextBatch: () => (failNext = true)
  };
}

describe('BatchedReads', () => {
  it('reads the records asked for in one turn with one request, each once; a lone record with a plain read', async () => {
    const s = store({ a: 'A', b: 'B', c: 'C' });
    const got = await Promise.all(['a', 'b', 'a', 'c', 'missing'].map((id) => s.reads.get(id)));
    expect(got).toEqual(['A', 'B', 'A', 'C', null]);
    expect(s.calls).toEqual([['a', 'b', 'c', 'missing']]);
    expect(await s.reads.get('b')).toBe('B');
    expect(s.calls[1]).toEqual(['b']);
  });

  it('never joins a read already sent: a request made after a change sees the change', async () => {
    const s = store({ a: 'active', b: 'B' });
    const open = s.hold();
    const first = Promise.all([s.reads.get('a'), s.reads.get('b')]);
    await new Promise((r) => setImmediate(r));
    expect(s.calls).toHaveLength(1);
    // Deactivated while the first read is still on its way.
    s.docs.set('a', 'disabled');
    const second = s.reads.get('a');
    open();
    expect(await first).toEqual(['active', 'B']);
    expect(await second).toBe('disabled');
    expect(s.calls).toEqual([['a', 'b'], ['a']]);
  });

  it('fails every caller of a failed batch as its own read would have, and reads again for the next', async () => {
    const s = store({ a: 'A', b: 'B' });
    s.failNextBatch();
    const failed = await Promise.all([s.reads.get('a'), s.reads.get('b')].map((p) => p.catch((e: Error) => e.message)));
    expect(failed).toEqual(['store unavailable', 'store unavailable']);
    expect(await Promise.all([s.reads.get('a'), s.reads.get('b')])).toEqual(['A', 'B']);
  });

  it('sends at most 200 records in one request', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `u${i}`);
    const s = store(Object.fromEntries(ids.map((id) => [id, id.toUpperCase()])));
    expect(await Promise.all(ids.map((id) => s.reads.get(id)))).toEqual(ids.map((id) => id.toUpperCase()));
    expect(s.calls.map((c) => c.length)).toEqual([200, 200, 50]);
  });
});
