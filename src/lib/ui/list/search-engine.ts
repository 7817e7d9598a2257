/**
 * The full-text index itself, with nothing of RxDB or the page: it runs in the search worker
 * (`search-worker.ts`) and, where no worker can start (unit tests), on the page.
 *
 * A list shows the matches of a search in its own order (newest first, by priority, …), so
 * what the page needs is the SET of rows that match, not a ranking. The index is therefore an
 * inverted index of posting lists: each word (folded: lowercase, no diacritics) to the sorted
 * numbers of the entries holding it, in typed arrays. A search unions the postings of each
 * query word's expansions (exact; by prefix for the word being typed and words of 3 letters or
 * more) and intersects across words (AND), on bitsets; nothing is scored or sorted, so a word
 * in half of 100,000 tickets costs a few milliseconds (MiniSearch, which scores and sorts every
 * match, took 100–250 ms). Typos are forgiven when nothing is found: only then are longer words
 * also matched within an edit distance.
 *
 * Entries are keyed `source:id` and answer with their list row (`ref`); words of all entries of
 * one row count together (a ticket matches when its title has one word and a comment the
 * other). A batch replaces the entries of changed documents: a replaced or removed entry is
 * marked dead and left out of answers, and once a quarter of the entries are dead the postings
 * are rewritten without them. The whole state snapshots to plain arrays and typed arrays, which
 * IndexedDB stores by structured clone, so the device keeps it between starts
 * (`search-store.ts`) without a JSON round of the whole index.
 *
 * Ordered answers: an entry may carry its row's list fields (`values`: status, dates, title…,
 * the fields named in `SearchEngineOptions.values`). Asked with a `SearchView` (the list's
 * filter as equalities and its order as fields), the engine answers only the matches the view
 * admits, in the view's order, so the list reads just the rows it shows by id instead of
 * walking its index for them. Each order asked for keeps a permutation of all rows sorted by
 * it, made once (sorted) and then kept current by every batch (the changed rows taken out and
 * merged back in: linear, no sort of the whole), and saved with the snapshot.
 */
import { fold } from './fold';

export interface SearchEngineOptions {
  fields: string[];
  /** Row fields kept for ordered answers (`SearchView`); none when absent. */
  values?: string[];
  /**
   * The orders the lists will ask for, made ahead (`prepare`) and saved with the snapshot, so
   * no search waits for a sort of every row (about 0.2 s at 100,000).
   */
  orders?: OrderKey[][];
}

export interface SearchEntry {
  key: string;
  ref: string;
  fields: Record<string, string>;
  /** The row's list fields (one entry per row carries them: the row's own document). */
  values?: Record<string, string>;
}

/** One field of a view's order; strings compare by code unit, as IndexedDB and the list do. */
export interface OrderKey {
  field: string;
  desc?: boolean;
}

/**
 * What a list shows: rows equal to one of `ranges` (each a set of field equalities), in
 * `order` (ties by row id, in the direction of the last key).
 */
export interface SearchView {
  ranges: readonly Readonly<Record<string, string>>[];
  order: readonly OrderKey[];
}

/** What changed since the last batch: keys to drop (deleted, or re-added below) and entries to add. */
export interface SearchBatch {
  remove: string[];
  add: SearchEntry[];
}

/** What the device keeps: live entries only, terms sorted, postings end to end. */
export interface EngineSnapshot {
  v: 2;
  /** Entry number → key. */
  keys: string[];
  /** Entry number → row number. */
  entryRefs: Uint32Array;
  /** Row number → row id. */
  refs: string[];
  /** Sorted. */
  terms: string[];
  /** Postings of `terms[i]` are `postings[offsets[i]] … postings[offsets[i + 1] - 1]`. */
  offsets: Uint32Array;
  postings: Uint32Array;
  /** Entry number → 1 when the entry gives its row the values. */
  entryValues: Uint8Array;
  /** Field → row number → value (`undefined`: the row has none). */
  values: Record<string, (string | undefined)[]>;
  /** Order key (`orderKey`) → the rows holding values, sorted by it. */
  orders: Record<string, Uint32Array>;
}

/** Words as MiniSearch split them (spaces and punctuation), folded. */
const SPLIT = /[\n\r\p{Z}\p{P}]+/u;
export const wordsOf = (text: string): string[] =>
  fold(text)
    .split(SPLIT)
    .filter((w) => w.length > 0);

/** Words shorter than this are matched exactly unless they are the last word (being typed). */
const PREFIX_FROM = 3;
/** Typo tolerance of the fallback, as MiniSearch's `fuzzy: 0.2` for words of 6 letters or more. */
const fuzzyDistance = (word: string) => (word.length >= 6 ? Math.round(word.length * 0.2) : 0);

interface Posting {
  /** Entry numbers, ascending; `ids.length` is the capacity. */
  ids: Uint32Array;
  n: number;
}

export class SearchEngine {
  private readonly keys = new Map<string, number>();
  /** Entry number → key; `null` once the entry is dead. */
  private entryKey: (string | null)[] = [];
  private entryRef = new Uint32Array(1024);
  private refs: string[] = [];
  private readonly refNo = new Map<string, number>();
  private postings = new Map<string, Posting>();
  /** The terms in code-point order, for prefix ranges; terms added since wait in `unsorted`. */
  private sorted: string[] = [];
  private unsorted: string[] = [];
  private dead = 0;
  /** Field → row number → value, for the fields of `opts.values`. */
  private values = new Map<string, (string | undefined)[]>();
  /** Entry number → 1 when the entry carries its row's values. */
  private entryValues = new Uint8Array(1024);
  /** Row number → 1 while a live entry gives the row its values. */
  private hasValues = new Uint8Array(1024);
  /** Order key → rows holding values, sorted by that order (made on first use, kept current). */
  private orders = new Map<string, Order>();
  /** Rows whose values changed in the batch being applied. */
  private touched = new Set<number>();

  private constructor(private readonly opts: SearchEngineOptions) {
    for (const f of opts.values ?? []) this.values.set(f, []);
  }

  static empty(opts: SearchEngineOptions): SearchEngine {
    return new SearchEngine(opts);
  }

  /** The engine as `snapshot()` left it; throws on anything else (the caller builds anew). */
  static restore(opts: SearchEngineOptions, saved: unknown): SearchEngine {
    const s = saved as EngineSnapshot;
    const ok =
      !!s &&
      typeof s === 'object' &&
      s.v === 2 &&
      Array.isArray(s.keys) &&
      Array.isArray(s.refs) &&
      Array.isArray(s.terms) &&
      s.entryRefs instanceof Uint32Array &&
      s.offsets instanceof Uint32Array &&
      s.postings instanceof Uint32Array &&
      s.entryRefs.length === s.keys.length &&
      s.offsets.length === s.terms.length + 1 &&
      s.offsets[s.terms.length] === s.postings.length &&
      s.entryValues instanceof Uint8Array &&
      s.entryValues.length === s.keys.length &&
      !!s.values &&
      !!s.orders &&
      (opts.values ?? []).every((f) => Array.isArray(s.values[f]));
    if (!ok) throw new Error('not a saved search index');
    const e = new SearchEngine(opts);
    e.entryKey = [...s.keys];
    s.keys.forEach((k, i) => e.keys.set(k, i));
    e.entryRef = new Uint32Array(Math.max(1024, s.keys.length * 2));
    e.entryRef.set(s.entryRefs);
    e.refs = [...s.refs];
    s.refs.forEach((r, i) => e.refNo.set(r, i));
    e.sorted = [...s.terms];
    for (let i = 0; i < s.terms.length; i++) {
      // A view of exactly its length: the first append copies it out, never over its neighbour.
      const ids = s.postings.subarray(s.offsets[i], s.offsets[i + 1]);
      e.postings.set(s.terms[i], { ids, n: ids.length });
    }
    e.entryValues = new Uint8Array(e.entryRef.length);
    e.entryValues.set(s.entryValues);
    e.hasValues = new Uint8Array(Math.max(1024, s.refs.length * 2));
    for (let i = 0; i < s.keys.length; i++) if (s.entryValues[i]) e.hasValues[s.entryRefs[i]] = 1;
    for (const f of opts.values ?? []) e.values.set(f, [...s.values[f]]);
    for (const [key, rows] of Object.entries(s.orders)) {
      const order = parseOrder(key);
      if (order && rows instanceof Uint32Array) e.orders.set(key, { keys: order, rows: rows.slice() });
    }
    return e;
  }

  apply(batch: SearchBatch): void {
    for (const key of batch.remove) this.drop(key);
    for (const e of batch.add) {
      this.drop(e.key);
      this.add(e);
    }
    if (this.touched.size) {
      for (const order of this.orders.values()) this.reorder(order, this.touched);
      this.touched.clear();
    }
    if (this.dead >= 64 && this.dead * 4 >= this.entryKey.length) this.compact();
  }

  /**
   * Row ids of every match, each once, in no particular order; with a `view`, only the matches
   * it admits, in its order (rows without values, e.g. a comment whose ticket is not on the
   * device, are left out). A query of no words with a view admits every row: the view's rows
   * in its order, for a list whose order no index of the device holds (`bySearchIndex`).
   */
  search(query: string, view?: SearchView): string[] {
    if (view && !wordsOf(query).length) return this.inView(view, () => true);
    const found = this.matchRows(query);
    if (!found) return [];
    if (view) return this.inView(view, (r) => !!found[r]);
    const out: string[] = [];
    for (let r = 0; r < found.length; r++) if (found[r]) out.push(this.refs[r]);
    return out;
  }

  /** The ids of the rows `keep` takes that the view admits, in its order. */
  private inView(view: SearchView, keep: (row: number) => boolean): string[] {
    const admits = this.admitter(view);
    const rows = this.orderOf(view.order);
    const out: string[] = [];
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      if (keep(r) && admits(r)) out.push(this.refs[r]);
    }
    return out;
  }

  private matchRows(query: string): Uint8Array | null {
    const words = [...new Set(wordsOf(query))];
    if (!words.length) return null;
    const last = words[words.length - 1];
    const prefix = (w: string) => w === last || w.length >= PREFIX_FROM;
    let found = this.match(words, prefix, () => 0);
    // Typos are forgiven when nothing is found: matching every word within an edit distance
    // always would turn 'tiskarna' into thousands of near words on every keystroke.
    if (!found && words.some((w) => fuzzyDistance(w) > 0)) found = this.match(words, prefix, fuzzyDistance);
    return found;
  }

  /** A test of a row against the view's ranges, on the kept values. */
  private admitter(view: SearchView): (row: number) => boolean {
    const columns = view.ranges.map((range) =>
      Object.entries(range).map(([field, value]) => ({ vals: this.column(field), value }))
    );
    const has = this.hasValues;
    return (r) => has[r] === 1 && columns.some((eqs) => eqs.every((eq) => eq.vals[r] === eq.value));
  }

  private column(field: string): (string | undefined)[] {
    const vals = this.values.get(field);
    if (!vals) throw new Error(`search index keeps no field ${field}`);
    return vals;
  }

  /** Makes the declared orders not made yet (after a build or a restore, before a snapshot). */
  prepare(): void {
    for (const keys of this.opts.orders ?? []) this.orderOf(keys);
  }

  /** The rows holding values sorted by `keys`: kept from an earlier ask, or sorted now once. */
  private orderOf(keys: readonly OrderKey[]): Uint32Array {
    const key = orderKey(keys);
    let order = this.orders.get(key);
    if (!order) {
      const rows: number[] = [];
      for (let r = 0; r < this.refs.length; r++) if (this.hasValues[r]) rows.push(r);
      const cmp = this.comparer(keys);
      order = { keys: [...keys], rows: Uint32Array.from(rows.sort(cmp)) };
      this.orders.set(key, order);
    }
    return order.rows;
  }

  private comparer(keys: readonly OrderKey[]): (a: number, b: number) => number {
    const cols = keys.map((k) => ({ vals: this.column(k.field), sign: k.desc ? -1 : 1 }));
    const refs = this.refs;
    const tie = keys.length && keys[keys.length - 1].desc ? -1 : 1;
    return (a, b) => {
      for (const { vals, sign } of cols) {
        const x = vals[a] ?? '';
        const y = vals[b] ?? '';
        if (x !== y) return x < y ? -sign : sign;
      }
      return refs[a] < refs[b] ? -tie : refs[a] > refs[b] ? tie : 0;
    };
  }

  /**
   * Keeps a sorted permutation current after `changed` rows got new values (or lost them): the
   * changed rows are taken out, sorted among themselves and merged back in one pass.
   */
  private reorder(order: Order, changed: ReadonlySet<number>): void {
    const cmp = this.comparer(order.keys);
    const old = order.rows;
    const taken = new Uint8Array(this.refs.length);
    for (const r of changed) taken[r] = 1;
    let kept = 0;
    for (let i = 0; i < old.length; i++) if (!taken[old[i]]) kept++;
    const moved = [...changed].filter((r) => this.hasValues[r]).sort(cmp);
    const rows = new Uint32Array(kept + moved.length);
    let i = 0;
    let j = 0;
    let k = 0;
    for (;;) {
      while (i < old.length && taken[old[i]]) i++;
      if (i >= old.length || j >= moved.length) break;
      rows[k++] = cmp(old[i], moved[j]) <= 0 ? old[i++] : moved[j++];
    }
    for (; i < old.length; i++) if (!taken[old[i]]) rows[k++] = old[i];
    while (j < moved.length) rows[k++] = moved[j++];
    order.rows = rows;
  }

  /** Live entries (all sources). */
  get size(): number {
    return this.keys.size;
  }

  snapshot(): EngineSnapshot {
    if (this.dead) this.compact();
    this.prepare();
    // Values of rows nothing gives them any more are not worth keeping.
    for (const vals of this.values.values())
      for (let r = 0; r < vals.length; r++) if (!this.hasValues[r]) vals[r] = undefined;
    const terms = this.sortedTerms();
    const offsets = new Uint32Array(terms.length + 1);
    let total = 0;
    terms.forEach((t, i) => {
      offsets[i] = total;
      total += this.postings.get(t)!.n;
    });
    offsets[terms.length] = total;
    const postings = new Uint32Array(total);
    terms.forEach((t, i) => {
      const p = this.postings.get(t)!;
      postings.set(p.ids.subarray(0, p.n), offsets[i]);
    });
    return {
      v: 2,
      keys: this.entryKey as string[],
      entryRefs: this.entryRef.slice(0, this.entryKey.length),
      refs: this.refs,
      terms,
      offsets,
      postings,
      entryValues: this.entryValues.slice(0, this.entryKey.length),
      values: Object.fromEntries(this.values),
      orders: Object.fromEntries([...this.orders].map(([k, o]) => [k, o.rows]))
    };
  }

  /** Rewrites the postings without dead entries, renumbering the live ones in order. */
  compact(): void {
    const count = this.entryKey.length;
    const renumber = new Int32Array(count).fill(-1);
    const keys: string[] = [];
    const refs = new Uint32Array(Math.max(1024, this.keys.size * 2));
    const withValues = new Uint8Array(refs.length);
    for (let i = 0; i < count; i++) {
      const key = this.entryKey[i];
      if (key === null) continue;
      renumber[i] = keys.length;
      refs[keys.length] = this.entryRef[i];
      withValues[keys.length] = this.entryValues[i];
      this.keys.set(key, keys.length);
      keys.push(key);
    }
    const postings = new Map<string, Posting>();
    for (const [term, p] of this.postings) {
      const ids = new Uint32Array(p.n);
      let n = 0;
      for (let k = 0; k < p.n; k++) {
        const to = renumber[p.ids[k]];
        if (to >= 0) ids[n++] = to;
      }
      if (n) postings.set(term, { ids: ids.subarray(0, n), n });
    }
    this.entryKey = keys;
    this.entryRef = refs;
    this.entryValues = withValues;
    this.postings = postings;
    this.sorted = this.sortedTerms().filter((t) => postings.has(t));
    this.dead = 0;
  }

  private drop(key: string): void {
    const at = this.keys.get(key);
    if (at === undefined) return;
    this.keys.delete(key);
    this.entryKey[at] = null;
    this.dead++;
    if (this.entryValues[at]) {
      this.entryValues[at] = 0;
      const row = this.entryRef[at];
      this.hasValues[row] = 0;
      this.touched.add(row);
    }
  }

  private add(e: SearchEntry): void {
    const at = this.entryKey.length;
    this.entryKey.push(e.key);
    this.keys.set(e.key, at);
    if (at >= this.entryRef.length) {
      this.entryRef = grow(this.entryRef, this.entryRef.length * 2);
      this.entryValues = grow(this.entryValues, this.entryRef.length);
    }
    let ref = this.refNo.get(e.ref);
    if (ref === undefined) {
      ref = this.refs.length;
      this.refs.push(e.ref);
      this.refNo.set(e.ref, ref);
      if (ref >= this.hasValues.length) this.hasValues = grow(this.hasValues, this.hasValues.length * 2);
    }
    this.entryRef[at] = ref;
    if (e.values && this.values.size) {
      for (const [field, vals] of this.values) vals[ref] = e.values[field];
      this.entryValues[at] = 1;
      this.hasValues[ref] = 1;
      this.touched.add(ref);
    }
    const seen = new Set<string>();
    for (const field of this.opts.fields) {
      const text = e.fields[field];
      if (text) for (const w of wordsOf(text)) seen.add(w);
    }
    for (const w of seen) {
      let p = this.postings.get(w);
      if (!p) {
        p = { ids: new Uint32Array(2), n: 0 };
        this.postings.set(w, p);
        this.unsorted.push(w);
      } else if (p.n === p.ids.length) {
        const grown = new Uint32Array(p.n * 2);
        grown.set(p.ids);
        p.ids = grown;
      }
      p.ids[p.n++] = at;
    }
  }

  /** Rows holding every word (or one of its expansions); `null` when none. */
  private match(words: string[], prefix: (w: string) => boolean, distance: (w: string) => number): Uint8Array | null {
    let acc: Uint8Array | null = null;
    for (const w of words) {
      const rows = new Uint8Array(this.refs.length);
      let any = false;
      for (const term of this.expand(w, prefix(w), distance(w))) {
        const p = this.postings.get(term);
        if (!p) continue;
        for (let k = 0; k < p.n; k++) {
          const entry = p.ids[k];
          if (this.entryKey[entry] === null) continue;
          rows[this.entryRef[entry]] = 1;
          any = true;
        }
      }
      if (!any) return null;
      if (acc) {
        let left = false;
        for (let r = 0; r < acc.length; r++) if ((acc[r] &= rows[r])) left = true;
        if (!left) return null;
      } else acc = rows;
    }
    return acc;
  }

  /** The index's terms a query word stands for. */
  private expand(word: string, prefix: boolean, distance: number): Iterable<string> {
    const out = new Set<string>();
    if (this.postings.has(word)) out.add(word);
    if (prefix) {
      const terms = this.sortedTerms();
      for (let i = lowerBound(terms, word); i < terms.length && terms[i].startsWith(word); i++) out.add(terms[i]);
    }
    if (distance > 0) {
      for (const term of this.postings.keys())
        if (Math.abs(term.length - word.length) <= distance && withinDistance(word, term, distance)) out.add(term);
    }
    return out;
  }

  private sortedTerms(): string[] {
    if (this.unsorted.length) {
      const added = this.unsorted.sort(byCodePoint);
      this.unsorted = [];
      this.sorted = merge(this.sorted, added);
    }
    return this.sorted;
  }
}

interface Order {
  keys: OrderKey[];
  /** Rows holding values, sorted. */
  rows: Uint32Array;
}

/** An order's name in the snapshot: `updatedAt-,id+`-like, parsed back by `parseOrder`. */
const orderKey = (keys: readonly OrderKey[]) => keys.map((k) => `${k.field}${k.desc ? '-' : '+'}`).join(',');

function parseOrder(key: string): OrderKey[] | null {
  const keys = key.split(',').map((part) => ({ field: part.slice(0, -1), desc: part.endsWith('-') }));
  return keys.every((k) => k.field) ? keys : null;
}

function grow<A extends Uint8Array | Uint32Array>(a: A, size: number): A {
  const grown = new (a.constructor as new (n: number) => A)(size);
  grown.set(a);
  return grown;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function merge(a: string[], b: string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

function lowerBound(sorted: string[], word: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Levenshtein distance of `a` and `b` is at most `max` (one row of the table, cut off early). */
export function withinDistance(a: string, b: string, max: number): boolean {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(up + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
      if (prev[j] < best) best = prev[j];
    }
    if (best > max) return false;
  }
  return prev[b.length] <= max;
}
