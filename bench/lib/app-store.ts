/**
 * The shape of the app's own local ticket store, for a yardstick that writes into a store
 * like it: the Dexie schema RxDB's Dexie storage gives the tickets collection (primary key,
 * every schema and list index, RxDB's own `_deleted`/`_meta.lwt` indexes), computed from the
 * app's schema so that it follows every index the app adds.
 */
import { fillWithDefaultSettings } from 'rxdb';
import { getDexieStoreSchema } from 'rxdb/plugins/storage-dexie';
import { rxSchemaFor } from '../../src/lib/db/collections';

export interface StoreShape {
  /** Dexie's `stores()` string of the `docs` table. */
  schema: string;
  primaryKey: string;
}

export function appTicketStore(): StoreShape {
  const schema = fillWithDefaultSettings(rxSchemaFor('tickets') as never);
  return { schema: getDexieStoreSchema(schema), primaryKey: schema.primaryKey as string };
}
