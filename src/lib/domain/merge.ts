/**
 * Three-way merge of two versions of one document against their common base: the core of
 * every collection's conflict handler (RxDB's default would keep the server's version and
 * drop the local edit).
 *
 * Guarantees:
 * - An edit made on one side only always survives (the other side still holds the base value).
 * - Append-only arrays (`events`, `decisions`, …) are a union by element `id`, sorted by
 *   (`receivedAt` or else `at`, `at`, `id`): nothing appended on either side is lost, and a deletion cannot undo an append.
 * - A field changed differently on both sides is a real conflict. The winner is the later edit
 *   (the side's field time, see below; tie → the larger canonical JSON), the loser is returned
 *   in `conflicts` so the caller can keep it in the document (`appendConflictRecords`) and
 *   show it. Nothing is dropped silently.
 * - The result does not depend on which side is called local and which remote, merging a
 *   version with itself returns it, and nested objects merge key by key.
 *
 * Clocks: edit times come from devices, but the server refuses any (`updatedAt`, a changed
 * `fieldTimes` entry) more than `CLOCK_TOLERANCE_MS` in its future (`receipt-time.ts`), so a
 * device with a fast clock gains at most that tolerance in a conflict, and its merged result
 * dated in the future is refused rather than stored.
 *
 * Field times: with only the document's `updatedAt`, a merged document looks as new as its
 * newest edit for every field, so three replicas merged in different orders could pick
 * different winners. With `fieldTimes` set, the merge keeps a map path → time of the edit that
 * produced the value; merges then compare real edit times and converge whatever the order.
 */

export interface FieldConflict {
  /** Dotted path of the field, `events[<id>]` for an element of an append-only array. */
  field: string;
  kept: unknown;
  lost: unknown;
  /** `updatedBy` of the side whose value lost. */
  lostBy?: string;
  /** Time of the losing edit. */
  at?: string;
}

export interface MergeOptions {
  /** Array fields (dotted paths) merged as a union by element `id`. */
  appendOnly?: readonly string[];
  /** Object fields (dotted paths) that are replaced whole, never merged key by key. */
  atomic?: readonly string[];
  /** Name of a document field holding path → ISO time of the last edit (see header). */
  fieldTimes?: string;
}

export interface MergeResult<T> {
  merged: T;
  conflicts: FieldConflict[];
}

type Doc = Record<string, unknown>;
type Times = Record<string, string>;

const CLOCK = 'updatedAt';
const EDITOR = 'updatedBy';

export function isPlainObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys: equal values give equal text whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  // The same value serializes the same; most comparisons (a status, a person) end here.
  if (a === b) return true;
  return canonicalJson(a) === canonicalJson(b);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const maxStr = (a: string, b: string) => (a > b ? a : b);

/** Larger (time, json) wins; a total order, so the choice is the same from either side. */
function firstWins(aTime: string, aValue: unknown, bTime: string, bValue: unknown): boolean {
  if (aTime !== bTime) return aTime > bTime;
  return canonicalJson(aValue) > canonicalJson(bValue);
}

interface Ctx {
  opts: MergeOptions;
  base: Doc;
  sides: [Doc, Doc];
  times: [Times, Times, Times];
  outTimes: Times;
  conflicts: FieldConflict[];
}

/** Time of the edit that gave `side` its value at `path`. */
function editTime(ctx: Ctx, side: 0 | 1, path: string): string {
  const own = ctx.times[side][path];
  if (own !== undefined && own !== ctx.times[2][path]) return own;
  return str(ctx.sides[side][CLOCK]);
}

function mergeLeaf(ctx: Ctx, path: string, b: unknown, l: unknown, r: unknown): unknown {
  const lChanged = !deepEqual(l, b);
  const rChanged = !deepEqual(r, b);
  if (!lChanged && !rChanged) {
    const kept = [ctx.times[0][path], ctx.times[1][path], ctx.times[2][path]].filter((t) => t !== undefined);
    if (kept.length) ctx.outTimes[path] = kept.reduce(maxStr);
    return l;
  }
  const lt = lChanged ? editTime(ctx, 0, path) : '';
  const rt = rChanged ? editTime(ctx, 1, path) : '';
  if (!rChanged || (lChanged && deepEqual(l, r))) {
    ctx.outTimes[path] = maxStr(lt, rt);
    return l;
  }
  if (!lChanged) {
    ctx.outTimes[path] = rt;
    return r;
  }
  const localWins = firstWins(lt, l, rt, r);
  const [kept, lost, loser] = localWins ? [l, r, 1] : [r, l, 0];
  ctx.outTimes[path] = localWins ? lt : rt;
  ctx.conflicts.push({
    field: path,
    kept,
    lost,
    lostBy: str(ctx.sides[loser][EDITOR]) || undefined,
    at: loser === 0 ? lt : rt
  });
  return kept;
}

function elementKey(el: unknown): string {
  return isPlainObject(el) && typeof el.id === 'string' ? el.id : `json:${canonicalJson(el)}`;
}

/** Order of records: the server's receipt time (device time for records without one), device time, id. */
function compareElements(a: unknown, b: unknown): number {
  const time = (x: unknown) => (isPlainObject(x) ? str(x.receivedAt) || str(x.at) : '');
  const device = (x: unknown) => (isPlainObject(x) ? str(x.at) : '');
  for (const f of [time, device]) {
    const [fa, fb] = [f(a), f(b)];
    if (fa !== fb) return fa < fb ? -1 : 1;
  }
  const ak = elementKey(a);
  const bk = elementKey(b);
  return ak < bk ? -1 : ak > bk ? 1 : 0;
}

/**
 * The server stamps `receivedAt` on a record when it accepts it, so a replica that has not
 * pulled yet holds the same record without it: not a conflict, the stamped one is the record.
 * Returns it (the earlier stamp if both differ, so either side picks the same), or undefined
 * when the two differ in anything else.
 */
function sameButReceipt(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return undefined;
  const { receivedAt: ra, ...restA } = a;
  const { receivedAt: rb, ...restB } = b;
  if (!deepEqual(restA, restB)) return undefined;
  if (typeof ra !== 'string') return b;
  if (typeof rb !== 'string') return a;
  return ra <= rb ? a : b;
}

/**
 * Union by id. Elements are immutable, so when both sides hold the same id with different
 * content the one still equal to the base is the honest one; otherwise the larger JSON wins.
 * Either way the other version is reported as a conflict.
 */
function mergeAppendOnly(ctx: Ctx, path: string, b: unknown, l: unknown, r: unknown): unknown[] {
  const asArray = (v: unknown) => (Array.isArray(v) ? v : []);
  const baseById = new Map(asArray(b).map((el) => [elementKey(el), el]));
  const byId = new Map<string, unknown>();
  for (const el of [...asArray(l), ...asArray(r)]) {
    const key = elementKey(el);
    const seen = byId.get(key);
    if (seen === undefined || deepEqual(seen, el)) {
      byId.set(key, el);
      continue;
    }
    const received = sameButReceipt(seen, el);
    if (received !== undefined) {
      byId.set(key, received);
      continue;
    }
    const original = baseById.get(key);
    const elWins = deepEqual(el, original) || (!deepEqual(seen, original) && canonicalJson(el) > canonicalJson(seen));
    const [kept, lost] = elWins ? [el, seen] : [seen, el];
    byId.set(key, kept);
    ctx.conflicts.push({
      field: `${path}[${key}]`,
      kept,
      lost,
      lostBy: isPlainObject(lost) ? str(lost.by) : undefined
    });
  }
  return [...byId.values()].sort(compareElements);
}

function mergeObject(ctx: Ctx, prefix: string, b: Doc, l: Doc, r: Doc): Doc {
  const out: Doc = {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(l), ...Object.keys(r)])].sort();
  for (const key of keys) {
    if (!prefix && (key === CLOCK || key === EDITOR || key === ctx.opts.fieldTimes)) continue;
    const value = mergeValue(ctx, prefix ? `${prefix}.${key}` : key, b[key], l[key], r[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function mergeValue(ctx: Ctx, path: string, b: unknown, l: unknown, r: unknown): unknown {
  if (ctx.opts.appendOnly?.includes(path) && (Array.isArray(l) || Array.isArray(r))) {
    return mergeAppendOnly(ctx, path, b, l, r);
  }
  // An absent object counts as an empty one, so deleting an object deletes its keys one by one:
  // field times then always sit on the same paths, whichever order replicas arrive in.
  const objectOrAbsent = (v: unknown) => v === undefined || isPlainObject(v);
  const nested = [b, l, r].some(isPlainObject) && [b, l, r].every(objectOrAbsent);
  if (!nested || ctx.opts.atomic?.includes(path)) return mergeLeaf(ctx, path, b, l, r);
  const out = mergeObject(ctx, path, (b ?? {}) as Doc, (l ?? {}) as Doc, (r ?? {}) as Doc);
  // An emptied object stays only when one side left it so and the other did not touch it (or
  // both agree): otherwise its presence would depend on the order merges happen in.
  if (Object.keys(out).length > 0) return out;
  const kept = deepEqual(r, b) ? l : deepEqual(l, b) || deepEqual(l, r) ? r : undefined;
  return isPlainObject(kept) ? out : undefined;
}

function timesOf(doc: Doc, field: string | undefined): Times {
  const t = field ? doc[field] : undefined;
  return isPlainObject(t) ? (t as Times) : {};
}

/**
 * Merges `local` and `remote` against `base` (their last common version; undefined before
 * the first sync, which is treated as an empty document).
 */
export function mergeDocuments<T extends object>(
  base: T | undefined,
  local: T,
  remote: T,
  opts: MergeOptions = {}
): MergeResult<T> {
  const b = (base ?? {}) as Doc;
  const l = local as Doc;
  const r = remote as Doc;
  const ctx: Ctx = {
    opts,
    base: b,
    sides: [l, r],
    times: [timesOf(l, opts.fieldTimes), timesOf(r, opts.fieldTimes), timesOf(b, opts.fieldTimes)],
    outTimes: {},
    conflicts: []
  };
  const merged = mergeObject(ctx, '', b, l, r);

  // The merged version is as new as the newer side; its editor goes with that time.
  const lClock = [str(l[CLOCK]), str(l[EDITOR])] as const;
  const rClock = [str(r[CLOCK]), str(r[EDITOR])] as const;
  const newer = lClock[0] !== rClock[0] ? (lClock[0] > rClock[0] ? l : r) : lClock[1] >= rClock[1] ? l : r;
  if (newer[CLOCK] !== undefined) merged[CLOCK] = newer[CLOCK];
  if (newer[EDITOR] !== undefined) merged[EDITOR] = newer[EDITOR];
  if (opts.fieldTimes && Object.keys(ctx.outTimes).length) {
    merged[opts.fieldTimes] = Object.fromEntries(Object.entries(ctx.outTimes).sort(([a], [c]) => (a < c ? -1 : 1)));
  }
  return { merged: merged as T, conflicts: ctx.conflicts };
}

/**
 * A lost edit as kept in the document itself (proposed `editConflicts` field), shaped like the
 * other append-only records so it merges as one: deterministic id, so two replicas recording
 * the same conflict store it once.
 */
export interface ConflictRecord {
  id: string;
  at: string;
  by: string;
  kind: 'conflict';
  field: string;
  /** JSON of the values, cut to `MAX_VALUE_TEXT` characters. */
  kept: string;
  lost: string;
}

export const MAX_VALUE_TEXT = 2000;
export const MAX_CONFLICT_RECORDS = 200;

/** FNV-1a, 32 bits: short stable ids, not security. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export function toConflictRecord(c: FieldConflict, fallbackAt: string): ConflictRecord {
  const cut = (v: unknown) => canonicalJson(v).slice(0, MAX_VALUE_TEXT);
  const kept = cut(c.kept);
  const lost = cut(c.lost);
  const at = c.at || fallbackAt;
  return {
    id: `conflict-${hash(`${c.field}\n${kept}\n${lost}\n${at}`)}`,
    at,
    by: c.lostBy || 'unknown',
    kind: 'conflict',
    field: c.field.slice(0, 200),
    kept,
    lost
  };
}

/**
 * Returns `doc` with the conflicts appended to its `field` array (union by id, sorted by
 * (at, id), the newest `max` kept). Put `field` in the merge's `appendOnly` list so records
 * written on different replicas merge too.
 */
export function appendConflictRecords<T extends object>(
  doc: T,
  conflicts: readonly FieldConflict[],
  fallbackAt: string,
  field = 'editConflicts',
  max = MAX_CONFLICT_RECORDS
): T {
  if (!conflicts.length) return doc;
  const existing = (doc as Doc)[field];
  const byId = new Map<string, unknown>();
  for (const r of [
    ...(Array.isArray(existing) ? existing : []),
    ...conflicts.map((c) => toConflictRecord(c, fallbackAt))
  ]) {
    byId.set(elementKey(r), r);
  }
  const records = [...byId.values()].sort(compareElements).slice(-max);
  return { ...doc, [field]: records };
}
