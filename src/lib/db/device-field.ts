/**
 * A field the device keeps on its documents for an index, derived from the document itself
 * (Dexie indexes only required top-level fields). The shared schema (what the gateway
 * validates) does not have it: the codec adds it to every document pulled and removes it from
 * every document pushed, and the collection's hooks set it on every local write. The tickets'
 * `assigneeId` and the deník's `decidedAt` are two.
 */
import type { RxCollection } from 'rxdb';
import { fromCouch, toCouch, type CouchDoc, type DocState } from './couch-doc';

export function deviceField<F extends string>(field: F, valueOf: (doc: Record<string, unknown>) => string) {
  const withField = <T extends Record<string, unknown>>(doc: T): T & Record<F, string> =>
    ({ ...doc, [field]: valueOf(doc) }) as T & Record<F, string>;
  return {
    with: withField,
    /** Documents from and to CouchDB: the field added on the way in, removed on the way out. */
    couch: {
      fromCouch: (doc: CouchDoc): DocState => withField(fromCouch(doc)),
      toCouch(state: DocState, rev: string | undefined): CouchDoc {
        const { [field]: _local, ...rest } = state;
        return toCouch(rest as DocState, rev);
      }
    },
    /** Every local insert and edit carries the field as the document says. */
    keep(collection: RxCollection): void {
      const set = (data: Record<string, unknown>) => {
        data[field] = valueOf(data);
      };
      collection.preInsert((data) => set(data as Record<string, unknown>), false);
      collection.preSave((data) => set(data as Record<string, unknown>), false);
    }
  };
}
