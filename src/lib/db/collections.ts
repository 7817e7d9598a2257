/**
 * RxDB collections built from the shared schemas (the very definitions the gateway validates
 * with), each with the merging conflict handler. Client-only indexes are added here for the
 * lists the UI shows; they change nothing on the server.
 */
import type { RxCollectionCreator, RxJsonSchema } from 'rxdb';
import { ORG_COLLECTIONS, REGION_COLLECTIONS } from '../domain/databases';
import { ORG_SCHEMAS, REGION_SCHEMAS, type CollectionSchema } from '../domain/schemas';
import { APPEND_ONLY, createConflictHandler } from './conflict-handler';
import type { DocState } from './couch-doc';
import { SYNC_ISSUES_COLLECTION, syncIssueSchema, type SyncIssues } from './sync-issues';

/** Replicated collections; media metadata and files live in PouchDB (see media.ts). */
export const DATA_COLLECTIONS = [...ORG_COLLECTIONS.filter((c) => c !== 'media'), ...REGION_COLLECTIONS] as const;
export type DataCollection = (typeof DATA_COLLECTIONS)[number];

const CLIENT_INDEXES: Partial<Record<DataCollection, (string | string[])[]>> = {
  tickets: [
    ['status', 'updatedAt'],
    ['orgId', 'status', 'updatedAt']
  ]
};

export function schemaFor(name: DataCollection): CollectionSchema {
  return (
    (ORG_SCHEMAS as Record<string, CollectionSchema>)[name] ??
    (REGION_SCHEMAS as Record<string, CollectionSchema>)[name]
  );
}

export function rxSchemaFor(name: DataCollection): RxJsonSchema<DocState> {
  const base = schemaFor(name);
  const seen = new Set((base.indexes ?? []).map((i) => JSON.stringify(i)));
  const extra = (CLIENT_INDEXES[name] ?? []).filter((i) => !seen.has(JSON.stringify(i)));
  const indexes = [...(base.indexes ?? []), ...extra];
  return {
    ...structuredClone(base),
    ...(indexes.length ? { indexes } : {})
  } as unknown as RxJsonSchema<DocState>;
}

/** `userId`: who signs the merged versions the conflict handler hands back for pushing. */
export function collectionCreators(issues: () => SyncIssues, userId?: string): Record<string, RxCollectionCreator> {
  const creators: Record<string, RxCollectionCreator> = {};
  // The handler reaches the issue store lazily: it exists only once the collections do.
  const lazyIssues = {
    rejectedFor: (c: string, ids: readonly string[]) => issues().rejectedFor(c, ids),
    rebaseRejected: (c: string, id: string, d: DocState | null) => issues().rebaseRejected(c, id, d),
    recordConflicts: (c: string, id: string, cs: Parameters<SyncIssues['recordConflicts']>[2]) =>
      issues().recordConflicts(c, id, cs)
  };
  for (const name of DATA_COLLECTIONS) {
    const schema = schemaFor(name);
    creators[name] = {
      schema: rxSchemaFor(name),
      conflictHandler: createConflictHandler({
        collection: name,
        appendOnly: APPEND_ONLY[name] ?? [],
        editConflictsField: 'editConflicts' in schema.properties,
        fieldTimes: 'fieldTimes' in schema.properties ? 'fieldTimes' : undefined,
        issues: lazyIssues,
        userId
      })
    };
  }
  creators[SYNC_ISSUES_COLLECTION] = { schema: syncIssueSchema };
  return creators;
}
