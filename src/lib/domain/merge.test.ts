import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendConflictRecords, canonicalJson, mergeDocuments, type MergeOptions } from './merge';

type Doc = Record<string, unknown>;
const OPTS: MergeOptions = { appendOnly: ['events', 'editConflicts'] };

const doc = (over: Doc = {}): Doc => ({
  id: 't1',
  title: 'Printer broken',
  priority: 'P3',
  assignee: { queue: 'central' },
  events: [],
  updatedAt: '2026-04-01T08:00:00.000Z',
  updatedBy: 'ucitel.gymkt',
  ...over
});
const ev = (id: string, at: string, by = 'helpdesk') => ({ id, at, by, kind: 'comment', text: id });

describe('mergeDocuments', () => {
  it('takes an edit made on one side only', () => {
    const base = doc();
    const local = doc({ title: 'Printer jammed', updatedAt: '2026-04-01T09:00:00.000Z' });
    const remote = doc({ priority: 'P2', updatedAt: '2026-04-01T10:00:00.000Z', updatedBy: 'helpdesk' });
    const { merged, conflicts } = mergeDocuments(base, local, remote, OPTS);
    expect(merged).toMatchObject({
      title: 'Printer jammed',
      priority: 'P2',
      updatedAt: '2026-04-01T10:00:00.000Z',
      updatedBy: 'helpdesk'
    });
    expect(conflicts).toEqual([]);
  });

  it('keeps the later edit of a field changed on both sides and reports the other', () => {
    const base = doc();
    const local = doc({ title: 'Local title', updatedAt: '2026-04-01T09:00:00.000Z', updatedBy: 'ucitel.gymkt' });
    const remote = doc({ title: 'Remote title', updatedAt: '2026-04-01T08:30:00.000Z', updatedBy: 'helpdesk' });
    const { merged, conflicts } = mergeDocuments(base, local, remote, OPTS);
    expect(merged.title).toBe('Local title');
    expect(conflicts).toEqual([
      { field: 'title', kept: 'Local title', lost: 'Remote title', lostBy: 'helpdesk', at: '2026-04-01T08:30:00.000Z' }
    ]);
  });

  it('breaks a tie of times by the canonical JSON, the same from both sides', () => {
    const base = doc();
    const a = doc({ title: 'Alpha' });
    const b = doc({ title: 'Beta' });
    expect(mergeDocuments(base, a, b).merged.title).toBe('Beta');
    expect(mergeDocuments(base, b, a).merged.title).toBe('Beta');
  });

  it('merges nested objects key by key, unless the path is atomic', () => {
    const base = doc({ assignee: { queue: 'central' } });
    const local = doc({ assignee: { queue: 'central', userId: 'helpdesk' } });
    const remote = doc({ assignee: { queue: 'contractor' }, updatedAt: '2026-04-01T09:00:00.000Z' });
    expect(mergeDocuments(base, local, remote).merged.assignee).toEqual({ queue: 'contractor', userId: 'helpdesk' });
    expect(mergeDocuments(base, local, remote, { atomic: ['assignee'] }).merged.assignee).toEqual({
      queue: 'contractor'
    });
  });

  it('unions append-only arrays by id, sorted by time then id', () => {
    const e1 = ev('e1', '2026-04-01T08:00:00.000Z');
    const base = doc({ events: [e1] });
    const local = doc({ events: [e1, ev('e3', '2026-04-01T10:00:00.000Z')] });
    const remote = doc({ events: [ev('e2', '2026-04-01T09:00:00.000Z')] }); // a deletion cannot undo an append
    const { merged } = mergeDocuments(base, local, remote, OPTS);
    expect((merged.events as Doc[]).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('keeps the base version of an element edited on one side, and reports the edit', () => {
    const e1 = ev('e1', '2026-04-01T08:00:00.000Z');
    const forged = { ...e1, text: 'changed' };
    const { merged, conflicts } = mergeDocuments(
      doc({ events: [e1] }),
      doc({ events: [forged] }),
      doc({ events: [e1] }),
      OPTS
    );
    expect(merged.events).toEqual([e1]);
    expect(conflicts[0]).toMatchObject({ field: 'events[e1]', kept: e1, lost: forged });
  });

  it('treats a missing base (first sync) as an empty document', () => {
    const local = doc({ title: 'A', updatedAt: '2026-04-01T09:00:00.000Z' });
    const remote = doc({ title: 'B' });
    const { merged, conflicts } = mergeDocuments(undefined, local, remote, OPTS);
    expect(merged.title).toBe('A');
    expect(conflicts.map((c) => c.field)).toEqual(['title']);
  });

  it('records conflicts in the document once, whichever replica records them', () => {
    const base = doc();
    const local = doc({ title: 'A', updatedAt: '2026-04-01T09:00:00.000Z' });
    const remote = doc({ title: 'B' });
    const r1 = mergeDocuments(base, local, remote, OPTS);
    const r2 = mergeDocuments(base, remote, local, OPTS);
    const d1 = appendConflictRecords(r1.merged, r1.conflicts, '2026-04-01T09:00:00.000Z');
    const d2 = appendConflictRecords(r2.merged, r2.conflicts, '2026-04-01T09:00:00.000Z');
    expect(d1).toEqual(d2);
    expect(d1.editConflicts).toEqual([
      expect.objectContaining({ kind: 'conflict', field: 'title', kept: '"A"', lost: '"B"', by: 'ucitel.gymkt' })
    ]);
    const twice = mergeDocuments(d1, d1, d2, OPTS).merged;
    expect(twice.editConflicts).toHaveLength(1);
  });
});

// ---- properties ----

const FIELDS = ['a', 'b', 'c', 'd', 'e'] as const;
const leaf = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('x', 'y', 'z'), fc.constant(null));
const time = (min: number) =>
  fc.integer({ min, max: min + 50 }).map((m) => new Date(Date.UTC(2026, 3, 1, 8, m)).toISOString());
const user = fc.constantFrom('anna', 'bob', 'cyril');

const object = fc.record({ p: leaf, q: leaf }, { requiredKeys: [] });
/** Fields keep their type, as the collection schemas guarantee: a–c scalars, d–e objects. */
const valueOf = (f: string): fc.Arbitrary<unknown> => (f === 'd' || f === 'e' ? object : leaf);
const baseDoc = fc.record({ a: leaf, b: leaf, c: leaf, d: object, e: object }).map((d) => ({
  ...d,
  events: [ev('e0', '2026-04-01T07:00:00.000Z')],
  updatedAt: '2026-04-01T07:00:00.000Z',
  updatedBy: 'anna'
}));

/** One replica's offline work: edits (or deletions) of some fields, appended events. */
const edits = fc.record({
  set: fc
    .uniqueArray(fc.constantFrom(...FIELDS), { maxLength: 3 })
    .chain((fs) => fc.tuple(...fs.map((f) => fc.tuple(fc.constant(f), fc.option(valueOf(f), { nil: undefined })))))
    .map((pairs) => Object.fromEntries(pairs)),
  nested: fc.option(fc.record({ field: fc.constantFrom('d', 'e'), key: fc.constantFrom('p', 'q'), v: leaf }), {
    nil: undefined
  }),
  events: fc.uniqueArray(fc.record({ id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6'), at: time(0) }), {
    selector: (e) => e.id,
    maxLength: 3
  }),
  at: time(1),
  by: user
});
type Edits = typeof edits extends fc.Arbitrary<infer E> ? E : never;

function apply(base: Doc, e: Edits): Doc {
  const out: Doc = structuredClone(base);
  for (const [k, v] of Object.entries(e.set)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  if (e.nested) {
    const cur = out[e.nested.field];
    out[e.nested.field] = { ...(cur && typeof cur === 'object' ? cur : {}), [e.nested.key]: e.nested.v };
  }
  // Event ids are shared across replicas only when they denote the same event.
  const appended = e.events.map((x) => ev(x.id, `2026-04-01T1${x.id.slice(1)}:00:00.000Z`));
  out.events = [...(base.events as Doc[]), ...appended.sort((x, y) => (x.at < y.at ? -1 : 1))];
  out.updatedAt = e.at;
  out.updatedBy = e.by;
  return out;
}

const sortedConflicts = (cs: unknown[]) => cs.map((c) => canonicalJson(c)).sort();

describe('mergeDocuments properties', () => {
  it('never loses an edit made on one side only', () => {
    fc.assert(
      fc.property(baseDoc, edits, edits, (base, le, re) => {
        const local = apply(base, le);
        const remote = apply(base, re);
        const { merged } = mergeDocuments(base, local, remote, OPTS);
        for (const f of FIELDS) {
          const lChanged = canonicalJson(local[f]) !== canonicalJson(base[f]);
          const rChanged = canonicalJson(remote[f]) !== canonicalJson(base[f]);
          if (lChanged && !rChanged) expect(merged[f]).toEqual(local[f]);
          if (rChanged && !lChanged) expect(merged[f]).toEqual(remote[f]);
          if (!lChanged && !rChanged) expect(merged[f]).toEqual(base[f]);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('keeps every appended event, sorted by (at, id)', () => {
    fc.assert(
      fc.property(baseDoc, edits, edits, (base, le, re) => {
        const local = apply(base, le);
        const remote = apply(base, re);
        const ids = (d: Doc) => (d.events as Doc[]).map((e) => e.id as string);
        const merged = mergeDocuments(base, local, remote, OPTS).merged;
        expect(new Set(ids(merged))).toEqual(new Set([...ids(local), ...ids(remote)]));
        const keys = (merged.events as Doc[]).map((e) => `${e.at}|${e.id}`);
        expect(keys).toEqual([...keys].sort());
      }),
      { numRuns: 300 }
    );
  });

  it('does not depend on which side is local', () => {
    fc.assert(
      fc.property(baseDoc, edits, edits, fc.boolean(), (base, le, re, times) => {
        const local = apply(base, le);
        const remote = apply(base, re);
        const opts = times ? { ...OPTS, fieldTimes: 'fieldTimes' } : OPTS;
        const ab = mergeDocuments(base, local, remote, opts);
        const ba = mergeDocuments(base, remote, local, opts);
        expect(ab.merged).toEqual(ba.merged);
        expect(sortedConflicts(ab.conflicts)).toEqual(sortedConflicts(ba.conflicts));
      }),
      { numRuns: 300 }
    );
  });

  it('is idempotent: merging a version with itself returns it', () => {
    fc.assert(
      fc.property(baseDoc, edits, (base, e) => {
        const x = apply(base, e);
        const { merged, conflicts } = mergeDocuments(base, x, x, OPTS);
        expect(merged).toEqual(x);
        expect(conflicts).toEqual([]);
        expect(mergeDocuments(x, x, x, OPTS).merged).toEqual(x);
      }),
      { numRuns: 200 }
    );
  });

  it('converges: replicas merged into the server in any order give one result', () => {
    const opts = { ...OPTS, fieldTimes: 'fieldTimes' };
    fc.assert(
      fc.property(
        baseDoc,
        fc.array(edits, { minLength: 2, maxLength: 5 }),
        fc.infiniteStream(fc.nat()),
        (base, all, seeds) => {
          const replicas = all.map((e) => apply(base, e));
          // Each replica pushes against the base it started from; the server keeps the merge.
          const serverAfter = (order: Doc[]) =>
            order.reduce((server, r) => mergeDocuments(base, r, server, opts).merged, base);
          const first = serverAfter(replicas);
          const shuffled = [...replicas];
          const it = seeds[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = it.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
          }
          expect(serverAfter(shuffled)).toEqual(first);
        }
      ),
      { numRuns: 300 }
    );
  });
});
