/**
 * RxDB collections built from the shared schemas (the very definitions the gateway validates
 * with), each with the merging conflict handler. Client-only indexes are added here for the
 * lists the UI shows; they change nothing on the server.
 *
 * One collection per organization module (its documents may carry a `type` field for new
 * kinds of record) and ONE `region` collection for all region reference data (`region.ts`):
 * open-source RxDB refuses to open more than a handful of collections at once, and the count
 * is checked against that limit in `collection-budget.ts`.
 */
import { addRxPlugin, type RxCollectionCreator, type RxJsonSchema } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { ORG_COLLECTIONS } from '../domain/databases';
import { ORG_SCHEMAS, type CollectionSchema } from '../domain/schemas';
import { APPEND_ONLY, createConflictHandler } from './conflict-handler';
import type { DocState } from './couch-doc';
import { DERIVED_FIELDS } from './derived-fields';
import { guardMerges } from './merge-guards';
import { codecFor, REGION_COLLECTION, regionRxSchema } from './region';
import { MIGRATIONS } from './schema-migrations';
import { INBOX_OBJECT, INBOX_PATHS, INBOX_SCHEMA } from './ticket-inbox';
import { DECIDED_FIELD, DECIDED_FIELD_SCHEMA } from './dispatch-time';

// Collections at a schema version above 0 need it, wherever they are opened (app, tests, bench).
addRxPlugin(RxDBMigrationSchemaPlugin);
import { SYNC_ISSUES_COLLECTION, syncIssueSchema, type SyncIssues } from './sync-issues';
import { PORTAL_ROWS_COLLECTION, portalRowSchema } from './portal-rows';

/** Databases that feed another collection: files (PouchDB, see media.ts) and the contract archive (`assets`). */
type NotOwnCollection = 'media' | 'contractscans' | 'contracts';
const ORG_DATA = ORG_COLLECTIONS.filter(
  (c): c is Exclude<(typeof ORG_COLLECTIONS)[number], NotOwnCollection> =>
    c !== 'media' && c !== 'contractscans' && c !== 'contracts'
);
/** Replicated collections; media metadata and files live in PouchDB (see media.ts). */
export const DATA_COLLECTIONS = [...ORG_DATA, REGION_COLLECTION] as const;
export type DataCollection = (typeof DATA_COLLECTIONS)[number];

/** The device's own collections, never synced: refused documents and conflicts, the approvals and tasks lists' rows. */
const DEVICE_SCHEMAS: Record<string, RxJsonSchema<DocState>> = {
  [SYNC_ISSUES_COLLECTION]: syncIssueSchema as unknown as RxJsonSchema<DocState>,
  [PORTAL_ROWS_COLLECTION]: portalRowSchema as unknown as RxJsonSchema<DocState>
};

/** Every collection the client opens in a user's database (the budget test counts these). */
export const OPENED_COLLECTIONS: readonly string[] = [...DATA_COLLECTIONS, ...Object.keys(DEVICE_SCHEMAS)];

const CLIENT_INDEXES: Partial<Record<DataCollection, (string | string[])[]>> = {
  // Every index is kept up to date on every write, and a first sync writes every ticket: the
  // device keeps only those a list reads (its tests check each query's plan is one of them).
  // A compound index also serves a query on its prefix, so none is a prefix of another:
  // `status` alone is `[status, updatedAt]`'s prefix; tickets changed since a time (the
  // notifier) are one `[status, updatedAt]` range per status.
  tickets: [
    // The ticket list by last change (its default) and the queue's open work
    // (src/lib/ui/list/ticket-lists.ts). The other orders, and the list of one organization,
    // are answered by the search index, which keeps them: each full index costs a first sync
    // of 10,000 tickets about 130 ms of its store's write (`bench/diagnose-store-indexes.ts`).
    // It is the only index RxDB's planner sees besides its own `[_meta.lwt, id]`, so every
    // query RxDB plans reads a full index (the inbox's are the device's own, below).
    ['status', 'updatedAt']
  ],
  // The winter screens: the last days of the deník, and a district's calamity declarations of
  // the whole season (`winter-data.svelte.ts`); the deník page reads one day.
  dispatch: [DECIDED_FIELD, ['entry', DECIDED_FIELD]]
};

/**
 * Indexes of the device's IndexedDB store that RxDB does not know (`lean-store.ts` declares
 * them), read straight by the pages (`index-reader.ts`), each partial: an index over a field a
 * record lacks gets no entry for it. The inbox's (`ticket-inbox.ts`), whose fields are set
 * only while a ticket is in an inbox, and an asset's tickets (`assets/[id]`), only tickets that
 * name an asset. They hold what their page lists, not every ticket, so no query RxDB plans may
 * read them: kept out of its schema, its planner cannot choose them for a query they would
 * answer in part (`ticket-indexes.test.ts`).
 */
const DEVICE_INDEXES: Partial<Record<string, readonly (readonly string[])[]>> = {
  tickets: [...INBOX_PATHS.map((path) => [path, 'status']), ['assetId']]
};

/** The device's own indexes of a collection's store, fields only (`_deleted` and the primary key added). */
export function deviceIndexesOf(collection: string): readonly (readonly string[])[] {
  return DEVICE_INDEXES[collection] ?? [];
}

/** The shared schema of an organization collection (the region collection has its own, see region.ts). */
export function schemaFor(name: DataCollection): CollectionSchema | null {
  return (ORG_SCHEMAS as Record<string, CollectionSchema>)[name] ?? null;
}

export function rxSchemaFor(name: DataCollection): RxJsonSchema<DocState> {
  const base = schemaFor(name);
  if (!base) return regionRxSchema();
  const seen = new Set((base.indexes ?? []).map((i) => JSON.stringify(i)));
  const extra = (CLIENT_INDEXES[name] ?? []).filter((i) => !seen.has(JSON.stringify(i)));
  const indexes = [...(base.indexes ?? []), ...extra];
  const schema = { ...structuredClone(base), ...(indexes.length ? { indexes } : {}) };
  if (name === 'tickets') {
    // The device's own object (`ticket-inbox.ts`), not required: a ticket in nobody's inbox lacks it.
    (schema.properties as Record<string, unknown>)[INBOX_OBJECT] = INBOX_SCHEMA;
  }
  if (name === 'dispatch') {
    // The device's own time of each entry (`dispatch-time.ts`), required so that Dexie indexes it.
    (schema.properties as Record<string, unknown>)[DECIDED_FIELD] = DECIDED_FIELD_SCHEMA;
    schema.required = [...schema.required, DECIDED_FIELD];
  }
  return schema as unknown as RxJsonSchema<DocState>;
}

/** The schema of a collection the client opens, by name; null for any other (RxDB's own). */
export function openedSchemaOf(name: string): RxJsonSchema<DocState> | null {
  if ((DATA_COLLECTIONS as readonly string[]).includes(name)) return rxSchemaFor(name as DataCollection);
  return DEVICE_SCHEMAS[name] ?? null;
}

/** `userId`: who signs the merged versions the conflict handler hands back for pushing. */
export function collectionCreators(issues: () => SyncIssues, userId?: string): Record<string, RxCollectionCreator> {
  const creators: Record<string, RxCollectionCreator> = {};
  // The handler reaches the issue store lazily: it exists only once the collections do.
  const lazyIssues = {
    rejectedFor: (c: string, ids: readonly string[]) => issues().rejectedFor(c, ids),
    rebaseRejected: (c: string, id: string, d: DocState | null) => issues().rebaseRejected(c, id, d),
    recordConflicts: (c: string, id: string, cs: Parameters<SyncIssues['recordConflicts']>[2]) =>
      issues().recordConflicts(c, id, cs),
    clearPushed: (c: string, pushed: Parameters<SyncIssues['clearPushed']>[1]) => issues().clearPushed(c, pushed)
  };
  for (const name of DATA_COLLECTIONS) {
    const schema = rxSchemaFor(name);
    const properties = schema.properties as Record<string, unknown>;
    creators[name] = {
      schema,
      ...(MIGRATIONS[name] ? { migrationStrategies: MIGRATIONS[name] } : {}),
      conflictHandler: createConflictHandler({
        collection: name,
        appendOnly: APPEND_ONLY[name] ?? [],
        editConflictsField: 'editConflicts' in properties,
        fieldTimes: 'fieldTimes' in properties ? 'fieldTimes' : undefined,
        issues: lazyIssues,
        userId,
        keyOf: codecFor(name).keyOf,
        derived: DERIVED_FIELDS[name]
      })
    };
    creators[name].conflictHandler = guardMerges(name, creators[name].conflictHandler!, lazyIssues);
  }
  for (const [name, schema] of Object.entries(DEVICE_SCHEMAS)) creators[name] = { schema };
  return creators;
}
