import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DesignDocFilter } from './stream-filter';

async function run(key: 'results' | 'rows', chunks: (string | Buffer)[]): Promise<string> {
  const out: Buffer[] = [];
  const filter = Readable.from(chunks.map((c) => Buffer.from(c))).pipe(new DesignDocFilter(key));
  for await (const part of filter) out.push(part as Buffer);
  return Buffer.concat(out as Uint8Array[]).toString('utf8');
}

/** Every way of cutting `text` into two or three pieces, and byte by byte. */
function splits(text: string): string[][] {
  const b = Buffer.from(text);
  const ways: string[][] = [[text], [...b].map((x) => String.fromCharCode(x))];
  for (let i = 1; i < b.length; i += 7)
    ways.push([b.subarray(0, i).toString('latin1'), b.subarray(i).toString('latin1')]);
  return ways;
}

const changes = JSON.stringify({
  results: [
    { seq: 1, id: '_design/rules', changes: [{ rev: '1-a' }] },
    { seq: 2, id: 'tk-1', changes: [{ rev: '1-b' }], doc: { _id: 'tk-1', title: 'Uvozovka \\" a ] } { [ _design/' } },
    { seq: 3, id: 'tk-2', changes: [{ rev: '1-c' }] },
    { seq: 4, id: '_design/other', changes: [{ rev: '1-d' }] }
  ],
  last_seq: 4,
  pending: 0
});

describe('DesignDocFilter', () => {
  it('drops design documents from a changes answer however it is cut into chunks', async () => {
    const want = JSON.parse(changes);
    want.results = want.results.filter((r: { id: string }) => !r.id.startsWith('_design/'));
    for (const parts of splits(changes)) {
      const got = await run(
        'results',
        parts.map((p) => Buffer.from(p, 'latin1'))
      );
      expect(JSON.parse(got)).toEqual(want);
    }
  });

  it('drops exactly the design rows of any answer, cut anywhere, escapes and all', async () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom('\\', '"', '\\"', '_design/x', '}]{['));
    const row = fc.record({
      seq: fc.nat(),
      id: fc.oneof(
        text,
        text.map((t) => `_design/${t}`)
      ),
      changes: fc.array(fc.record({ rev: text }), { maxLength: 2 }),
      doc: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }))
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), async (rows, cuts) => {
        const body = Buffer.from(JSON.stringify({ results: rows, last_seq: rows.length }));
        const at = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((from, k) => body.subarray(from, [...at, body.length][k]));
        const want = JSON.parse(JSON.stringify({ results: rows, last_seq: rows.length })) as {
          results: { id: string }[];
        };
        want.results = want.results.filter((r) => !r.id.startsWith('_design/'));
        expect(JSON.parse(await run('results', parts))).toEqual(want);
      }),
      { numRuns: 300 }
    );
  });

  it('passes a long string of many escapes whole, in one chunk or cut into many', async () => {
    const long = { seq: 1, id: 'tk-1', doc: { text: 'řádek "a" \\ \n'.repeat(5000) } };
    const body = JSON.stringify({ results: [long, { seq: 2, id: '_design/x' }], last_seq: 2 });
    const b = Buffer.from(body);
    const many = Array.from({ length: Math.ceil(b.length / 4096) }, (_, k) => b.subarray(k * 4096, (k + 1) * 4096));
    for (const parts of [[b], many])
      expect(JSON.parse(await run('results', parts))).toEqual({ results: [long], last_seq: 2 });
  });

  it('keeps CouchDB line layout, longpoll heartbeats and empty lists valid', async () => {
    const couchStyle =
      '\n\n{"results":[\n{"seq":"1-x","id":"_design/rules","changes":[]},\n{"seq":"2-y","id":"a","changes":[]}\n],\n"last_seq":"2-y","pending":0}\n';
    expect(JSON.parse(await run('results', [couchStyle]))).toEqual({
      results: [{ seq: '2-y', id: 'a', changes: [] }],
      last_seq: '2-y',
      pending: 0
    });
    expect((await run('results', ['\n', '\n', couchStyle])).startsWith('\n\n')).toBe(true);
    expect(JSON.parse(await run('results', ['{"results":[],"last_seq":0}']))).toEqual({ results: [], last_seq: 0 });
    expect(JSON.parse(await run('results', ['{"results":[{"id":"_design/x"}],"last_seq":0}']))).toEqual({
      results: [],
      last_seq: 0
    });
  });

  it('drops design rows from all-docs answers (by id or key) and leaves other arrays alone', async () => {
    const body = JSON.stringify({
      total_rows: 3,
      offset: 0,
      rows: [
        { id: '_design/rules', key: '_design/rules', value: { rev: '1-a' } },
        { key: '_design/missing', error: 'not_found' },
        { id: 'a', key: 'a', value: { rev: '1-b' }, doc: { tags: ['results', 'rows'] } }
      ]
    });
    const got = JSON.parse(await run('rows', [body]));
    expect(got.rows.map((r: { key: string }) => r.key)).toEqual(['a']);
    expect(got.total_rows).toBe(3);
  });

  it('reports an answer cut off inside its list', async () => {
    await expect(run('results', ['{"results":[{"id":"a"'])).rejects.toThrow(/middle of its list/);
  });
});
