/**
 * A field the device keeps on its documents for an index, derived from the document itself
 * (Dexie indexes top-level fields). The shared schema (what the gateway validates) does not
 * have it: the codec adds it to every document pulled and removes it from every document
 * pushed, and the collection's hooks set it on every local write. A field whose value is
 * `undefined` is left out of the document, and so out of its indexes: IndexedDB writes no index
 * entry for a record without the indexed field. The tickets' `inbox` (`ticket-inbox.ts`) and the
 * deník's `decidedAt` are such fields. A field the device kept in an earlier schema version
 * (`retired`) is removed wherever the field is set anew (`with`: a migration, a merge) and on the
 * way out: a refused version stored then may be sent again.
 */
import type { RxCollection } from 'rxdb';
import { fromCouch, toCouch, type CouchDoc, type DocState } from './couch-doc';

export function deviceField<F extends string, V = string>(
  field: F,
  valueOf: (doc: Record<string, unknown>) => V | undefined,
  retired: readonly string[] = []
) {
  const local = [field, ...retired];
  const set = (data: Record<string, unknown>) => {
    const value = valueOf(data);
    if (value === undefined) delete data[field];
    else data[field] = value;
  };
  const withField = <T extends Record<string, unknown>>(doc: T): T & Partial<Record<F, V>> => {
    const out: Record<string, unknown> = { ...doc };
    for (const name of retired) delete out[name];
    set(out);
    return out as T & Partial<Record<F, V>>;
  };
  return {
    with: withField,
    /** Documents from and to CouchDB: the field added on the way in, removed on the way out. */
    couch: {
      fromCouch(doc: CouchDoc): DocState {
        // `fromCouch` gives a new object: set in place, not copied again (every pulled document).
        const state = fromCouch(doc);
        set(state);
        return state;
      },
      toCouch(state: DocState, rev: string | undefined): CouchDoc {
        const rest: Record<string, unknown> = { ...state };
        for (const name of local) delete rest[name];
        return toCouch(rest as DocState, rev);
      }
    },
    /** Every local insert and edit carries the field as the document says. */
    keep(collection: RxCollection): void {
      collection.preInsert((data) => set(data as Record<string, unknown>), false);
      collection.preSave((data) => set(data as Record<string, unknown>), false);
    }
  };
}
