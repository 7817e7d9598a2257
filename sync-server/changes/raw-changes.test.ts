/**
 * The rows of a `_changes` answer located in its bytes: every row found whole, with its id and
 * sequence, whatever the documents hold (quotes, backslashes, brackets in strings, non-ASCII
 * text, nesting) and however the store spaces its answer; anything else is not an answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanChanges } from './raw-changes';

const row = fc.record({
  seq: fc.oneof(fc.nat(), fc.string({ minLength: 1 })),
  id: fc.oneof(fc.string(), fc.constantFrom('_design/app', 'tkt-"x"\\y', 'Žluťoučký kůň', '{[,]}')),
  changes: fc.array(fc.record({ rev: fc.string() }), { maxLength: 2 }),
  doc: fc.option(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), { nil: undefined })
});
const answer = fc.record({
  results: fc.array(row, { maxLength: 12 }),
  last_seq: fc.oneof(fc.nat(), fc.string({ minLength: 1 })),
  pending: fc.option(fc.nat(), { nil: undefined })
});
/** How stores space their answers: none (PouchDB), CouchDB's row per line, or indented. */
const spacing = fc.constantFrom('none', 'lines', 'indent');

function write(a: unknown, how: string): string {
  if (how === 'indent') return JSON.stringify(a, null, 2);
  if (how === 'none') return JSON.stringify(a);
  const { results, ...rest } = a as { results: unknown[] };
  const tail = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `,\n"${k}":${JSON.stringify(v)}`)
    .join('');
  return `{"results":[\n${results.map((r) => JSON.stringify(r)).join(',\n')}\n]${tail}}\n`;
}

describe('scanChanges', () => {
  it('finds every row whole, with its id and sequence, and the last sequence', () => {
    fc.assert(
      fc.property(answer, spacing, (a, how) => {
        const body = Buffer.from(write(a, how));
        const found = scanChanges(body);
        expect(found).not.toBeNull();
        expect(found!.lastSeq).toEqual(a.last_seq);
        expect(found!.rows.map((r) => r.index)).toEqual(a.results.map((_, i) => i));
        expect(found!.rows.map((r) => [r.id, r.seq])).toEqual(a.results.map((r) => [r.id, r.seq]));
        expect(found!.rows.map((r) => JSON.parse(body.toString('utf8', r.start, r.end)))).toEqual(
          JSON.parse(JSON.stringify(a.results))
        );
      }),
      { numRuns: 300 }
    );
  });

  it('reads the members in any order', () => {
    const body = Buffer.from(
      '{ "last_seq" : "9-g1", "pending":0, "results" : [ {"doc":{"a":"}"},"id":"x","seq":"9-g1"} ] }'
    );
    const found = scanChanges(body)!;
    expect(found.lastSeq).toBe('9-g1');
    expect(found.rows).toMatchObject([{ id: 'x', seq: '9-g1', index: 0 }]);
  });

  it('is not an answer when cut short, unbalanced, followed by more, or missing a member', () => {
    const whole = JSON.stringify({ results: [{ seq: 1, id: 'a', doc: { t: 'x' } }], last_seq: 1 });
    for (let n = 0; n < whole.length; n++) expect(scanChanges(Buffer.from(whole.slice(0, n)))).toBeNull();
    for (const text of [
      whole + '{}',
      '[]',
      '"results"',
      '{"results":[]}',
      '{"last_seq":1}',
      '{"results":{},"last_seq":1}',
      '{"results":[{"seq":1}],"last_seq":1}',
      '{"results":[{"id":"a"}],"last_seq":1}',
      '{"results":[{"id":7,"seq":1}],"last_seq":1}',
      '{"results":[],"last_seq":null}',
      '{"results":[] "last_seq":1}',
      '{"results":[],"last_seq":1,}',
      '{"error":"not_found","reason":"missing"}'
    ])
      expect(scanChanges(Buffer.from(text)), text).toBeNull();
  });
});
