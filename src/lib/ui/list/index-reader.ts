/**
 * Reads key ranges of an RxDB index for keyset paging (`keyset.ts`).
 *
 * On the app's storage (Dexie over IndexedDB) a range is read straight from the index the
 * schema declares, in either direction, `limit` rows at a time, and counted with the index's
 * own `count()`: RxDB's query engine cannot do either for a newest-first list (its Dexie
 * planner walks indexes ascending only, so any `desc` sort reads and sorts every matching
 * document, which is what made the ticket list take half a second at 10,000 tickets).
 * On any other storage (memory, in Node tests) the same ranges are asked as RxDB queries:
 * same answers, without the speed.
 *
 * RxDB stores every index as `[_deleted, ...fields, primaryKey]` with `_deleted` as '0'/'1';
 * only live documents ('0') are read.
 */
import type { RxCollection } from 'rxdb';
import { dexieIndexName } from '../../db/dexie-internals';
import type { IndexKey, ListRange } from './keyset';
import type { KeyedReader } from './match-pages';

/** What RxDB's Dexie storage keeps in `internals` (rxdb/plugins/storage-dexie). */
interface DexieState {
  dexieTable: {
    where(index: string): {
      between(lower: unknown, upper: unknown, includeLower: boolean, includeUpper: boolean): DexieCollection;
    };
    bulkGet(keys: string[]): Promise<(Record<string, unknown> | undefined)[]>;
  };
  booleanIndexes: string[];
}
interface DexieCollection {
  reverse(): DexieCollection;
  limit(n: number): DexieCollection;
  toArray(): Promise<Record<string, unknown>[]>;
  primaryKeys(): Promise<unknown[]>;
  count(): Promise<number>;
}

/** Sorts after every string and number in IndexedDB's key order (arrays come last). */
const MAX: unknown[] = [];
const LIVE = '0';

function dexieStateOf(collection: RxCollection): Promise<DexieState> | null {
  const internals = (collection.internalStorageInstance as unknown as { internals?: Promise<DexieState> }).internals;
  return internals && typeof (internals as Promise<unknown>).then === 'function' ? internals : null;
}

/** The stored document as RxDB hands it out: booleans back from IndexedDB's '0'/'1'. */
function fromDexie(state: DexieState, d: Record<string, unknown>): Record<string, unknown> {
  const out = { ...d };
  for (const field of state.booleanIndexes) if (field in out) out[field] = out[field] === '1';
  return out;
}

/** A range read, its keys alone (IndexedDB's `getAllKeys`), and live documents by primary key. */
export type IndexedRows<T> = KeyedReader<T>;

export function indexReader<T>(
  collection: RxCollection,
  index: readonly string[],
  direction: 'asc' | 'desc'
): IndexedRows<T> {
  const primary = collection.schema.primaryPath as string;
  const keyOf = (row: T, range: ListRange): IndexKey => {
    const r = row as Record<string, string | number>;
    return [...index.slice(range.prefix.length).map((f) => r[f]), r[primary]];
  };
  const state = dexieStateOf(collection);
  if (state) return dexieReader<T>(state, index, direction, primary, keyOf);
  return queryReader<T>(collection, index, direction, primary, keyOf);
}

function dexieReader<T>(
  statePromise: Promise<DexieState>,
  index: readonly string[],
  direction: 'asc' | 'desc',
  primary: string,
  keyOf: (row: T, range: ListRange) => IndexKey
): IndexedRows<T> {
  const name = dexieIndexName(index, primary);
  const bounds = (range: ListRange, after: IndexKey | null) => {
    const start = [LIVE, ...range.prefix];
    const end = [LIVE, ...range.prefix, MAX];
    if (!after) return { lower: start, upper: end, incLower: true, incUpper: true };
    const at = [LIVE, ...range.prefix, ...after];
    return direction === 'desc'
      ? { lower: start, upper: at, incLower: true, incUpper: false }
      : { lower: at, upper: end, incLower: false, incUpper: true };
  };
  return {
    keyOf,
    async read(range, after, limit) {
      const state = await statePromise;
      const b = bounds(range, after);
      let c = state.dexieTable.where(name).between(b.lower, b.upper, b.incLower, b.incUpper);
      if (direction === 'desc') c = c.reverse();
      const rows = await c.limit(limit).toArray();
      return rows.map((d) => fromDexie(state, d) as T);
    },
    async readKeys(range, after, limit) {
      const state = await statePromise;
      const b = bounds(range, after);
      let c = state.dexieTable.where(name).between(b.lower, b.upper, b.incLower, b.incUpper);
      if (direction === 'desc') c = c.reverse();
      if (Number.isFinite(limit)) c = c.limit(limit);
      return (await c.primaryKeys()) as string[];
    },
    async count(range) {
      const state = await statePromise;
      const b = bounds(range, null);
      return state.dexieTable.where(name).between(b.lower, b.upper, true, true).count();
    },
    async byIds(ids) {
      const state = await statePromise;
      const found = await state.dexieTable.bulkGet([...ids]);
      return found
        .filter((d): d is Record<string, unknown> => !!d && d._deleted !== '1' && d._deleted !== true)
        .map((d) => fromDexie(state, d) as T);
    }
  };
}

/** The same ranges as RxDB queries, for storages without a readable index (memory). */
function queryReader<T>(
  collection: RxCollection,
  index: readonly string[],
  direction: 'asc' | 'desc',
  primary: string,
  keyOf: (row: T, range: ListRange) => IndexKey
): IndexedRows<T> {
  const fieldsAfter = (range: ListRange) => [...index.slice(range.prefix.length), primary];
  const prefixSelector = (range: ListRange) =>
    Object.fromEntries(range.prefix.map((v, k) => [index[k], v])) as Record<string, unknown>;
  const beyond = direction === 'desc' ? '$lt' : '$gt';
  const read = async (range: ListRange, after: IndexKey | null, limit: number): Promise<T[]> => {
    const fields = fieldsAfter(range);
    const selector: Record<string, unknown> = prefixSelector(range);
    if (after) {
      // (a, b, id) after (x, y, z): a beyond x, or a = x and b beyond y, or …
      selector.$or = fields.map((f, k) => ({
        ...Object.fromEntries(fields.slice(0, k).map((g, j) => [g, after[j]])),
        [f]: { [beyond]: after[k] }
      }));
    }
    const docs = await collection
      .find({
        selector,
        sort: fields.map((f) => ({ [f]: direction })),
        ...(Number.isFinite(limit) ? { limit } : {})
      } as never)
      .exec();
    return docs.map((d) => (d as unknown as { _data: T })._data);
  };
  return {
    keyOf,
    read,
    async readKeys(range, after, limit) {
      return (await read(range, after, limit)).map((r) => String((r as Record<string, unknown>)[primary]));
    },
    count(range) {
      return collection.count({ selector: prefixSelector(range) } as never).exec();
    },
    async byIds(ids) {
      const found = await collection.findByIds([...ids]).exec();
      return ids.flatMap((id) => {
        const d = found.get(id);
        return d ? [(d as unknown as { _data: T })._data] : [];
      });
    }
  };
}
