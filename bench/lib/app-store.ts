/**
 * The shape of the app's own local ticket store, for a yardstick that writes into a store
 * like it: the Dexie schema RxDB's Dexie storage gives the tickets collection (primary key,
 * every list index, RxDB's `_meta.lwt` indexes, the device's own inbox indexes; without the
 * `[_deleted+id]` the app's stores leave out, `lean-store.ts`), computed from the app's schema so that it follows every index the app adds.
 */
import { fillWithDefaultSettings } from 'rxdb';
import { getDexieStoreSchema } from 'rxdb/plugins/storage-dexie';
import { deviceIndexesOf, rxSchemaFor } from '../../src/lib/db/collections';
import { leanDocsSpec } from '../../src/lib/db/lean-store';
import { INBOX_FIELDS, type InboxFieldRule } from '../../src/lib/db/ticket-inbox';

export interface StoreShape {
  /** Dexie's `stores()` string of the `docs` table. */
  schema: string;
  primaryKey: string;
  /** The device's own indexed facts, set in a ticket's `inbox` only while they hold (`ticket-inbox.ts`). */
  deviceFields: readonly InboxFieldRule[];
}

export function appTicketStore(): StoreShape {
  const declared = rxSchemaFor('tickets');
  const schema = fillWithDefaultSettings(declared as never);
  return {
    schema: leanDocsSpec(getDexieStoreSchema(schema), declared, deviceIndexesOf('tickets')),
    primaryKey: schema.primaryKey as string,
    deviceFields: INBOX_FIELDS
  };
}
