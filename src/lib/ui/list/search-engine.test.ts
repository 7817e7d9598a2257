/**
 * The search engine's matching rules, on small hand-made entries: every word must match (AND),
 * by prefix for the word being typed and longer words, typos forgiven only when nothing is
 * found, diacritics folded; entries replaced and removed incrementally; the snapshot the device
 * keeps gives the same answers. A property test compares it with a brute-force scan; another
 * compares its answers in a list's view (filter and order on the rows' kept fields) with the
 * matching rows filtered and sorted, through changes, snapshots and several orders at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SearchEngine, withinDistance, wordsOf, type SearchEntry, type SearchView } from './search-engine';

const FIELDS = ['title', 'description', 'comments'];
const entry = (key: string, ref: string, title: string, description = '', comments = ''): SearchEntry => ({
  key,
  ref,
  fields: { title, description, comments }
});
const sorted = (xs: string[]) => [...xs].sort();

function engineWith(entries: SearchEntry[]): SearchEngine {
  const e = SearchEngine.empty({ fields: FIELDS });
  e.apply({ remove: [], add: entries });
  return e;
}

const SAMPLE = [
  entry('tickets:a', 'a', 'Tiskárna netiskne', 'Papír se zasekává'),
  entry('tickets:b', 'b', 'Wi-Fi ve sborovně', 'Nejde připojit notebook'),
  entry('tickets:c', 'c', 'Toner v tiskárně došel', 'Kancelář ředitele'),
  entry('tickets:d', 'd', 'Přihlášení do systému', 'Heslo vypršelo'),
  entry('comments:1', 'c', '', '', 'Vyměněn toner v kanceláři')
];

describe('the search engine', () => {
  it('finds rows holding every word, folding case and diacritics', () => {
    const e = engineWith(SAMPLE);
    expect(sorted(e.search('TISKARNA'))).toEqual(['a']);
    expect(sorted(e.search('tiskárně'))).toEqual(['c']);
    expect(sorted(e.search('toner kancelar'))).toEqual(['c']);
    expect(e.search('toner wi-fi')).toEqual([]);
    expect(e.search('   ')).toEqual([]);
    expect(e.search('!!')).toEqual([]);
  });

  it('counts the words of all entries of one row together, and names each row once', () => {
    const e = engineWith(SAMPLE);
    // 'vymenen' is only in the comment, 'reditele' only in the ticket's description.
    expect(e.search('vymenen reditele')).toEqual(['c']);
    expect(e.search('toner')).toEqual(['c']);
  });

  it('expands the word being typed and words of three letters or more by prefix, shorter ones exactly', () => {
    const e = engineWith([
      ...SAMPLE,
      entry('tickets:e', 'e', 'Wifi router', 'wi'),
      entry('tickets:f', 'f', 'Windows se neaktualizují', '')
    ]);
    // The last word is being typed: 'wi' is a prefix of wi, wifi, windows.
    expect(sorted(e.search('wi'))).toEqual(['b', 'e', 'f']);
    // Not the last one and short: only the word 'wi' itself.
    expect(sorted(e.search('wi fi'))).toEqual(['b']);
    expect(sorted(e.search('wi router'))).toEqual(['e']);
    expect(sorted(e.search('prihl sys'))).toEqual(['d']);
    expect(sorted(e.search('tisk'))).toEqual(['a', 'c']);
  });

  it('forgives typos only when nothing is found', () => {
    const e = engineWith([...SAMPLE, entry('tickets:g', 'g', 'Tiskarny', '')]);
    // Found exactly: the near word 'tiskarny' is not added.
    expect(sorted(e.search('tiskarna'))).toEqual(['a']);
    // Nothing found as typed: words within an edit distance count (6+ letters: 1, 8+: 2).
    expect(sorted(e.search('tiskrana'))).toEqual(['a']);
    expect(sorted(e.search('tiskarnx'))).toEqual(['a', 'c', 'g']);
    expect(sorted(e.search('sborovne tiskrana'))).toEqual([]);
    expect(sorted(e.search('notebok'))).toEqual(['b']);
    // Short words are never matched fuzzily.
    expect(e.search('tonr')).toEqual([]);
  });

  it('replaces and removes entries incrementally', () => {
    const e = engineWith(SAMPLE);
    e.apply({ remove: ['comments:1'], add: [entry('tickets:a', 'a', 'Skener nesnímá', 'Papír se zasekává')] });
    expect(e.search('netiskne')).toEqual([]);
    expect(e.search('skener')).toEqual(['a']);
    expect(e.search('vymenen')).toEqual([]);
    expect(e.search('toner')).toEqual(['c']);
    expect(e.size).toBe(4);
    e.apply({ remove: ['tickets:a', 'tickets:unknown'], add: [] });
    expect(e.search('skener')).toEqual([]);
    expect(e.size).toBe(3);
  });

  it('rewrites its postings without removed entries, with the same answers', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      entry(`tickets:${i}`, `r${i}`, `Tiskárna ${i}`, i % 2 ? 'toner' : '')
    );
    const e = engineWith(many);
    // A quarter and more of the entries replaced: the postings are rewritten on the way.
    e.apply({ remove: [], add: many.slice(0, 120).map((m) => entry(m.key, m.ref, 'Skener', '')) });
    expect(e.search('skener')).toHaveLength(120);
    expect(e.search('tiskarna')).toHaveLength(180);
    expect(e.search('tiskarna toner')).toHaveLength(90);
    e.compact();
    expect(e.search('tiskarna toner')).toHaveLength(90);
    expect(e.size).toBe(300);
  });

  it('gives the same answers from its snapshot, which structured clone keeps', () => {
    const e = engineWith(SAMPLE);
    e.apply({ remove: ['tickets:d'], add: [] });
    const back = SearchEngine.restore({ fields: FIELDS }, structuredClone(e.snapshot()));
    for (const q of ['tiskarna', 'toner kancelar', 'wi', 'prihlaseni', 'tiskrana', 'vymenen reditele'])
      expect(sorted(back.search(q)), q).toEqual(sorted(e.search(q)));
    expect(back.size).toBe(4);
    // It goes on indexing after the restore.
    back.apply({ remove: [], add: [entry('tickets:h', 'h', 'Tiskárna v učebně')] });
    expect(sorted(back.search('tiskarna'))).toEqual(['a', 'h']);
    expect(sorted(e.search('tiskarna'))).toEqual(['a']);
    expect(() => SearchEngine.restore({ fields: FIELDS }, '{"not": "an index"')).toThrow();
    expect(() => SearchEngine.restore({ fields: FIELDS }, { ...e.snapshot(), offsets: new Uint32Array(1) })).toThrow();
  });

  it('measures edit distance', () => {
    expect(withinDistance('tiskarna', 'tiskrana', 2)).toBe(true);
    expect(withinDistance('tiskarna', 'tiskrana', 1)).toBe(false);
    expect(withinDistance('skener', 'skeners', 1)).toBe(true);
    expect(withinDistance('', 'ab', 2)).toBe(true);
    expect(wordsOf('Wi-Fi, Učebna 3.B')).toEqual(['wi', 'fi', 'ucebna', '3', 'b']);
  });

  it('answers what a scan of the rows finds, through any sequence of changes', () => {
    const WORDS = ['tiskárna', 'toner', 'wifi', 'síť', 'heslo', 'učebna', 'projektor', 'tisk'];
    const doc = fc.record({
      id: fc.integer({ min: 0, max: 11 }),
      words: fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }),
      comment: fc.option(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 2 }), { nil: null })
    });
    const step = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), doc }),
      fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 11 }) })
    );
    const query = fc.array(fc.constantFrom(...WORDS, 'tis', 'uc', 'w'), { minLength: 1, maxLength: 2 });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), query, fc.boolean(), (steps, q, restoreFirst) => {
        let e = SearchEngine.empty({ fields: FIELDS });
        const rows = new Map<string, string[]>();
        for (const s of steps) {
          if (s.kind === 'put') {
            const id = `r${s.doc.id}`;
            const comment = s.doc.comment ? [entry(`comments:${id}`, id, '', '', s.doc.comment.join(' '))] : [];
            e.apply({
              remove: s.doc.comment ? [] : [`comments:${id}`],
              add: [entry(`tickets:${id}`, id, s.doc.words.join(' ')), ...comment]
            });
            rows.set(id, [...s.doc.words, ...(s.doc.comment ?? [])].flatMap(wordsOf));
          } else {
            const id = `r${s.id}`;
            e.apply({ remove: [`tickets:${id}`, `comments:${id}`], add: [] });
            rows.delete(id);
          }
        }
        if (restoreFirst) e = SearchEngine.restore({ fields: FIELDS }, structuredClone(e.snapshot()));
        const words = [...new Set(q.flatMap(wordsOf))];
        const last = words[words.length - 1];
        const hit = (word: string, w: string) =>
          w === word || ((word === last || word.length >= 3) && w.startsWith(word));
        const expected = [...rows]
          .filter(([, ws]) => words.every((word) => ws.some((w) => hit(word, w))))
          .map(([id]) => id);
        // Without a typo in the query, the fallback may only add rows when the scan found none.
        const got = e.search(q.join(' '));
        if (expected.length) expect(sorted(got)).toEqual(sorted(expected));
        else for (const id of got) expect(rows.has(id)).toBe(true);
      })
    );
  });

  describe('in a list view', () => {
    const VALUES = ['status', 'updatedAt', 'title'];
    const OPTS = { fields: FIELDS, values: VALUES };
    const ticket = (id: string, title: string, status: string, updatedAt: string): SearchEntry => ({
      key: `tickets:${id}`,
      ref: id,
      fields: { title },
      values: { status, updatedAt, title }
    });
    const OPEN_NEWEST: SearchView = {
      ranges: [{ status: 'new' }, { status: 'waiting' }],
      order: [{ field: 'updatedAt', desc: true }]
    };

    it('answers only the matches the view admits, in its order, ties by id', () => {
      const e = SearchEngine.empty(OPTS);
      e.apply({
        remove: [],
        add: [
          ticket('a', 'Tiskárna A', 'new', '2026-01-02'),
          ticket('b', 'Tiskárna B', 'closed', '2026-01-05'),
          ticket('c', 'Tiskárna C', 'waiting', '2026-01-03'),
          ticket('d', 'Tiskárna D', 'new', '2026-01-03'),
          ticket('e', 'Skener', 'new', '2026-01-09'),
          // A comment of a ticket not on the device: a match without list fields, never shown.
          entry('comments:1', 'x', '', '', 'tiskárna')
        ]
      });
      expect(e.search('tiskarna', OPEN_NEWEST)).toEqual(['d', 'c', 'a']);
      expect(e.search('tiskarna', { ranges: [{}], order: [{ field: 'title' }] })).toEqual(['a', 'b', 'c', 'd']);
      expect(e.search('tiskarna', { ranges: [{ status: 'closed' }], order: [{ field: 'updatedAt' }] })).toEqual(['b']);
      expect(sorted(e.search('tiskarna'))).toEqual(['a', 'b', 'c', 'd', 'x']);
      expect(() => e.search('tiskarna', { ranges: [{ orgId: 'o' }], order: [] })).toThrow(/orgId/);
    });

    it('follows changes: a row moved in the order, out of the view, removed, and back', () => {
      const e = SearchEngine.empty(OPTS);
      e.apply({
        remove: [],
        add: [ticket('a', 'Toner', 'new', '1'), ticket('b', 'Toner', 'new', '2'), ticket('c', 'Toner', 'new', '3')]
      });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['c', 'b', 'a']);
      e.apply({ remove: [], add: [ticket('a', 'Toner', 'waiting', '4')] });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['a', 'c', 'b']);
      e.apply({ remove: [], add: [ticket('c', 'Toner', 'closed', '5')] });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['a', 'b']);
      e.apply({ remove: ['tickets:b'], add: [] });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['a']);
      // A comment's entry changes nothing of its ticket's place.
      e.apply({ remove: [], add: [entry('comments:9', 'a', '', '', 'toner'), ticket('b', 'Toner', 'new', '0')] });
      e.apply({ remove: ['comments:9'], add: [] });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['a', 'b']);
      // Replaced often enough for the postings to be rewritten: the places stay.
      for (let i = 10; i < 110; i++) e.apply({ remove: [], add: [ticket('b', 'Toner', 'new', `5${i + 100}`)] });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['b', 'a']);
      e.apply({ remove: [], add: [ticket('a', 'Toner', 'new', '6')] });
      expect(e.search('toner', OPEN_NEWEST)).toEqual(['a', 'b']);
      // Declared orders are made ahead and kept with the snapshot (no sort at the first search).
      const declared = { ...OPTS, orders: [[{ field: 'title' }], [{ field: 'updatedAt', desc: true }]] };
      const saved = SearchEngine.restore(declared, structuredClone(e.snapshot())).snapshot();
      expect(Object.keys(saved.orders).sort()).toEqual(['title+', 'updatedAt-']);
      const back = SearchEngine.restore(declared, structuredClone(saved));
      expect(back.search('toner', { ranges: [{}], order: [{ field: 'title' }] })).toEqual(['a', 'b', 'c']);
      back.apply({ remove: [], add: [ticket('a', 'Toner', 'new', '3')] });
      expect(back.search('toner', OPEN_NEWEST)).toEqual(['b', 'a']);
      back.apply({ remove: ['tickets:b'], add: [] });
      expect(back.search('toner', OPEN_NEWEST)).toEqual(['a']);
    });

    it('answers as the rows filtered and sorted, through changes and restores', () => {
      const STATUS = ['new', 'waiting', 'closed'];
      const WORDS = ['tiskarna', 'toner', 'wifi'];
      const VIEWS: SearchView[] = [
        OPEN_NEWEST,
        { ranges: [{ status: 'closed' }, { status: 'new' }], order: [{ field: 'title' }] },
        { ranges: [{}], order: [{ field: 'status' }, { field: 'updatedAt', desc: true }] }
      ];
      const put = fc.record({
        kind: fc.constant('put' as const),
        id: fc.integer({ min: 0, max: 15 }),
        word: fc.constantFrom(...WORDS),
        status: fc.constantFrom(...STATUS),
        // Few values: ties are common and go by id.
        updatedAt: fc.constantFrom('1', '2', '3'),
        title: fc.constantFrom('A', 'B')
      });
      const remove = fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 15 }) });
      const step = fc.oneof(put, remove, fc.constant({ kind: 'snapshot' as const }));
      fc.assert(
        fc.property(
          fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { maxLength: 12 }),
          fc.constantFrom(...WORDS),
          (batches, word) => {
            let e = SearchEngine.empty(OPTS);
            const rows = new Map<string, { word: string; status: string; updatedAt: string; title: string }>();
            for (const [n, batch] of batches.entries()) {
              const b = { remove: [] as string[], add: [] as SearchEntry[] };
              for (const s of batch) {
                if (s.kind === 'snapshot') continue;
                const id = `r${String(s.id).padStart(2, '0')}`;
                if (s.kind === 'remove') {
                  b.remove.push(`tickets:${id}`);
                  b.add = b.add.filter((x) => x.ref !== id);
                  rows.delete(id);
                } else {
                  b.add = b.add.filter((x) => x.ref !== id);
                  b.add.push(ticket(id, `${s.word} ${s.title}`, s.status, s.updatedAt));
                  b.add[b.add.length - 1].values!.title = s.title;
                  rows.set(id, s);
                }
              }
              e.apply(b);
              // Ask every view between batches, so the orders are kept current, not made anew.
              if (n % 2 === 0) for (const v of VIEWS) e.search(word, v);
              if (batch.some((s) => s.kind === 'snapshot'))
                e = SearchEngine.restore(OPTS, structuredClone(e.snapshot()));
            }
            for (const view of VIEWS) {
              const cmp = (a: [string, Record<string, string>], b: [string, Record<string, string>]) => {
                for (const k of view.order)
                  if (a[1][k.field] !== b[1][k.field])
                    return (a[1][k.field] < b[1][k.field] ? -1 : 1) * (k.desc ? -1 : 1);
                const tie = view.order[view.order.length - 1]?.desc ? -1 : 1;
                return (a[0] < b[0] ? -1 : 1) * tie;
              };
              const expected = [...rows]
                .filter(([, r]) => r.word === word)
                .filter(([, r]) =>
                  view.ranges.some((range) =>
                    Object.entries(range).every(([f, v]) => (r as Record<string, string>)[f] === v)
                  )
                )
                .sort(cmp)
                .map(([id]) => id);
              expect(e.search(word, view)).toEqual(expected);
            }
          }
        )
      );
    });
  });
});
