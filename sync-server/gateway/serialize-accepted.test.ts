import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DbGrant } from './db-access';
import { MAX_DOC_BYTES, mergeResults, serializeAccepted, type DocOutcome } from './validate-docs';

const grant = (collection: string): DbGrant =>
  ({ ref: { kind: 'org', orgId: 'gym-kt', collection }, write: true, roles: [] }) as unknown as DbGrant;

describe("serializeAccepted: the store's _bulk_docs body", () => {
  it('holds exactly the accepted documents, in order, whatever their text (Czech, emoji, lone surrogates)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ _id: fc.string({ minLength: 1 }), title: fc.string({ unit: 'binary' }), n: fc.integer() }),
          {
            maxLength: 20
          }
        ),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        fc.boolean(),
        (docs, refused, newEdits) => {
          const outcomes: DocOutcome[] = docs.map((doc, i) =>
            refused[i] ? { ok: false, row: { id: doc._id, error: 'forbidden', reason: 'no' } } : { ok: true, doc }
          );
          const out = serializeAccepted(outcomes, grant('tickets'), newEdits);
          const accepted = docs.filter((_, i) => !refused[i]);
          expect(out.docs).toEqual(accepted);
          expect(out.outcomes).toEqual(outcomes);
          // Byte for byte what serializing the whole body at once gives: no stray or missing byte.
          expect(out.body.equals(Buffer.from(JSON.stringify({ docs: accepted, new_edits: newEdits })))).toBe(true);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('writes a body of several megabytes (its buffer grows) byte for byte, and keeps a long ASCII text under the limit', () => {
    const docs = Array.from({ length: 10 }, (_, i) => ({ _id: `d${i}`, text: 'a'.repeat(300_000) + 'ř€😀' }));
    const out = serializeAccepted(
      docs.map((doc) => ({ ok: true, doc })),
      grant('tickets'),
      true
    );
    expect(out.docs).toHaveLength(10);
    expect(out.body.equals(Buffer.from(JSON.stringify({ docs, new_edits: true })))).toBe(true);
    // Its bound (3 bytes a unit) is over the limit, its bytes are not: accepted.
    const ascii = { _id: 'ascii', text: 'a'.repeat(Math.floor(MAX_DOC_BYTES / 2)) };
    expect(serializeAccepted([{ ok: true, doc: ascii }], grant('tickets'), true).docs).toEqual([ascii]);
  });

  it('refuses a document over the size limit outside media, and leaves it out of the body', () => {
    const big = { _id: 'big', text: 'ř'.repeat(MAX_DOC_BYTES) };
    const small = { _id: 'small', title: 'Nefunguje tiskárna' };
    const out = serializeAccepted(
      [
        { ok: true, doc: big },
        { ok: true, doc: small }
      ],
      grant('tickets'),
      true
    );
    expect(out.outcomes[0]).toMatchObject({ ok: false, row: { id: 'big', error: 'forbidden' } });
    expect(JSON.parse(out.body.toString('utf8'))).toEqual({ docs: [small], new_edits: true });
    const media = serializeAccepted([{ ok: true, doc: big }], grant('media'), false);
    expect(media.docs).toEqual([big]);
    expect(JSON.parse(media.body.toString('utf8')).docs[0].text).toHaveLength(MAX_DOC_BYTES);
  });

  it('among many documents, refuses only the one over the limit, wherever its group falls', () => {
    // Serialized fifty at a time: the groups of a big document go over the limit as a whole
    // and are looked at one by one; the big one under the limit is kept, the one over refused.
    const docs: { _id: string; text: string }[] = Array.from({ length: 130 }, (_, i) => ({
      _id: `d${i}`,
      text: `Tiskárna ${i}`
    }));
    docs[10] = { _id: 'd10', text: 'a'.repeat(600_000) };
    docs[70] = { _id: 'd70', text: 'ř'.repeat(MAX_DOC_BYTES) };
    const out = serializeAccepted(
      docs.map((doc) => ({ ok: true, doc })),
      grant('tickets'),
      true
    );
    const kept = docs.filter((_, i) => i !== 70);
    expect(out.docs).toEqual(kept);
    expect(out.outcomes.map((o) => o.ok)).toEqual(docs.map((_, i) => i !== 70));
    expect(out.outcomes[70]).toMatchObject({ ok: false, row: { id: 'd70', reason: /larger than 1 MB/ } });
    expect(out.body.equals(Buffer.from(JSON.stringify({ docs: kept, new_edits: true })))).toBe(true);
  });

  it('counts the limit in UTF-8 bytes: Czech text under it by length but over it in bytes is refused', () => {
    // 600,000 characters of "ř" are 1.2 MB in UTF-8; the same length in ASCII passes.
    const czech = { _id: 'czech', text: 'ř'.repeat(600_000) };
    const ascii = { _id: 'ascii', text: 'r'.repeat(600_000) };
    expect(JSON.stringify(czech).length).toBeLessThan(MAX_DOC_BYTES);
    const out = serializeAccepted(
      [
        { ok: true, doc: czech },
        { ok: true, doc: ascii }
      ],
      grant('tickets'),
      true
    );
    expect(out.outcomes[0]).toMatchObject({ ok: false, row: { id: 'czech', reason: /larger than 1 MB/ } });
    expect(out.docs).toEqual([ascii]);
    expect(out.body.byteLength).toBe(Buffer.byteLength(JSON.stringify({ docs: [ascii], new_edits: true })));
  });
});

describe("mergeResults: the store's answer with the refusals, in the request's order", () => {
  it('puts every row in its document’s place whatever order the store answered in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1 }), { maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        (ids, refused, order) => {
          const outcomes: DocOutcome[] = ids.map((id, i) =>
            refused[i] ? { ok: false, row: { id, error: 'forbidden', reason: 'no' } } : { ok: true, doc: { _id: id } }
          );
          const stored = ids.filter((_, i) => !refused[i]).map((id) => ({ ok: true, id, rev: `1-${id}` }));
          const shuffled = stored
            .map((row, i) => ({ row, key: order[i] }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.row);
          const merged = mergeResults(outcomes, shuffled);
          expect(merged.map((r) => r.id)).toEqual(ids);
          merged.forEach((r, i) => expect(r.ok === true).toBe(!refused[i]));
        }
      ),
      { numRuns: 200 }
    );
  });

  it('takes the failures a replicated write (new_edits: false) answers by id, and a repeated id’s rows in turn', () => {
    const ok = (id: string): DocOutcome => ({ ok: true, doc: { _id: id } });
    const merged = mergeResults(
      [ok('a'), { ok: false, row: { id: 'b', error: 'forbidden', reason: 'no' } }, ok('c'), ok('d')],
      [{ id: 'c', error: 'conflict' }]
    );
    expect(merged).toEqual([
      { id: 'b', error: 'forbidden', reason: 'no' },
      { id: 'c', error: 'conflict' }
    ]);
    const twice = mergeResults(
      [ok('x'), ok('y'), ok('x')],
      [
        { id: 'y', ok: true, rev: '1-y' },
        { id: 'x', ok: true, rev: '1-x' },
        { id: 'x', error: 'conflict' }
      ]
    );
    expect(twice).toEqual([
      { id: 'x', ok: true, rev: '1-x' },
      { id: 'y', ok: true, rev: '1-y' },
      { id: 'x', error: 'conflict' }
    ]);
  });
});
