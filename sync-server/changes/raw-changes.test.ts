/**
 * The rows of a `_changes` answer located in its bytes: every row found whole, with its id and
 * sequence, whatever the documents hold (quotes, backslashes, brackets in strings, non-ASCII
 * text, nesting) and however the store spaces its answer; anything else is not an answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchChangesResponse } from '../../src/lib/domain/sync-protocol';
import { answerBytes } from './batch';
import { scanChanges } from './raw-changes';

const text = fc.string({ unit: 'grapheme' });
const row = fc.record(
  {
    seq: fc.oneof(
      fc.nat(),
      fc.integer({ min: -5, max: 5 }),
      text.filter((t) => t.length > 0)
    ),
    id: fc.oneof(text, fc.constantFrom('_design/app', 'tkt-"x"\\y', 'Žluťoučký kůň', '{[,]}', '\u0000\n\t')),
    changes: fc.array(fc.record({ rev: text }), { maxLength: 2 }),
    deleted: fc.boolean(),
    doc: fc.dictionary(text, fc.jsonValue({ maxDepth: 4 }))
  },
  { requiredKeys: ['seq', 'id'] }
);
/** The same members in another order, as another store may write them. */
const shuffled = <T extends object>(o: T, order: number[]): T =>
  Object.fromEntries(
    Object.entries(o)
      .map((e, i) => [order[i % order.length] ?? i, e] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, e]) => e)
  ) as T;
const answer = fc
  .record({
    results: fc.array(fc.tuple(row, fc.array(fc.nat(9), { minLength: 5, maxLength: 5 })), { maxLength: 12 }),
    last_seq: fc.oneof(
      fc.nat(),
      text.filter((t) => t.length > 0)
    ),
    pending: fc.option(fc.nat(), { nil: undefined })
  })
  .map((a) => ({ ...a, results: a.results.map(([r, order]) => shuffled(r, order)) }));
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

  it('reads member names and values written with escapes as JSON.parse reads them', () => {
    const body = Buffer.from(
      '{"results":[{"\\u0073eq":"7-\\u0067","i\\u0064":"a\\"b","doc":{"id":"not this","seq":0}},' +
        '{"seq":8,"id":"\\u017e","\\u0069dx":"other"}],"last_\\u0073eq":8}'
    );
    const found = scanChanges(body)!;
    expect(found.lastSeq).toBe(8);
    expect(found.rows.map((r) => [r.id, r.seq])).toEqual([
      ['a"b', '7-g'],
      ['\u017e', 8]
    ]);
  });

  it('never passes on a body JSON.parse refuses: any byte of a valid answer dropped, doubled or changed', () => {
    const garble = fc.tuple(
      fc.nat(),
      fc.constantFrom('drop', 'double', 'change'),
      fc.constantFrom(...'{}[]",:\\ -.0e1tfnu\x01')
    );
    fc.assert(
      fc.property(answer, spacing, garble, (a, how, [at, edit, byte]) => {
        const whole = write(a, how);
        const i = at % whole.length;
        const bad =
          edit === 'drop'
            ? whole.slice(0, i) + whole.slice(i + 1)
            : edit === 'double'
              ? whole.slice(0, i + 1) + whole.slice(i)
              : whole.slice(0, i) + byte + whole.slice(i + 1);
        let parses = true;
        try {
          JSON.parse(bad);
        } catch {
          parses = false;
        }
        if (!parses) expect(scanChanges(Buffer.from(bad))).toBeNull();
      }),
      { numRuns: 2000 }
    );
  });

  it('is not an answer when a row holds what JSON does not allow', () => {
    for (const text of [
      '{"results":[{"seq":1,"id":"a","deleted":tru}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"x":[1}]}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"x" 1 2,,}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"x":"\\q"}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"x":"a\nb"}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"a"::1}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"n":01}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"n":1.}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":{"u":"\\u12G4"}}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a","doc":[1,]}],"last_seq":1}',
      '{"results":[{"seq":1,"id":"a"}],"results":[{"seq":2,"id":"b"}],"last_seq":2}'
    ])
      expect(scanChanges(Buffer.from(text)), text).toBeNull();
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

describe('answerBytes', () => {
  const page = (rows: object[]) => {
    const body = Buffer.from(JSON.stringify({ results: rows, last_seq: 'end' }));
    return { body, rows: scanChanges(body)!.rows };
  };
  const row = (id: string, seq: number) => ({ seq, id, changes: [{ rev: '1-a' }], doc: { _id: id, t: 'Čau "}]' } });

  it('writes the rows it is given as the store wrote them, around the rows left out', () => {
    const p = page([row('a', 1), row('_design/x', 2), row('b', 3), row('c', 4), row('d', 5)]);
    const kept = p.rows.filter((r) => !r.id.startsWith('_design/') && r.id !== 'd');
    const out = JSON.parse(
      answerBytes({
        results: {
          'org_a"b\\c_tickets': { ...p, rows: kept, last_seq: 4, more: true, doc_count: 9 },
          empty: { ...p, rows: [], last_seq: 0, more: false }
        },
        refused: { nope: { status: 403, error: 'forbidden', reason: 'no' } },
        unread: ['later']
      }).toString()
    ) as BatchChangesResponse;
    expect(out).toEqual({
      results: {
        'org_a"b\\c_tickets': {
          results: [row('a', 1), row('b', 3), row('c', 4)],
          last_seq: 4,
          more: true,
          doc_count: 9
        },
        empty: { results: [], last_seq: 0, more: false }
      },
      refused: { nope: { status: 403, error: 'forbidden', reason: 'no' } },
      unread: ['later']
    });
  });

  it('writes an answer with no database', () => {
    expect(JSON.parse(answerBytes({ results: {}, refused: {}, unread: [] }).toString())).toEqual({
      results: {},
      refused: {},
      unread: []
    });
  });
});
