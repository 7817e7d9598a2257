/**
 * Devices that synced before region reference data became one collection still hold the six
 * old per-kind collections (`orgs`, `people`, …) in IndexedDB. On open, each one found is
 * read straight from its storage (never opened as a collection, so it does not count against
 * RxDB's collection limit), the local edits in it that the server does not have yet (a
 * pending or refused mark) move into `region` under their new key, with their marks, and its
 * storage is removed. Everything else is reference data the server still has: the `region`
 * replication pulls it again.
 *
 * Nothing a person made is dropped: an edit whose document cannot be read any more keeps its
 * refused entry (with its content), re-keyed, so it still shows and can be exported.
 */
import {
  getAllCollectionDocuments,
  removeCollectionStorages,
  type RxCollection,
  type RxDatabase,
  type RxJsonSchema
} from 'rxdb';
import { plainDoc, type DocState } from './couch-doc';
import { REGION_COLLECTION, REGION_KIND_FIELD, REGION_KINDS, regionKey, type RegionKind } from './region';
import type { SyncIssue, SyncIssues } from './sync-issues';

export interface RegionMigration {
  /** Old collections removed. */
  removed: RegionKind[];
  /** Local edits moved into the region collection. */
  moved: number;
}

export async function migrateRegionCollections(
  db: RxDatabase,
  region: RxCollection,
  issues: SyncIssues
): Promise<RegionMigration> {
  const out: RegionMigration = { removed: [], moved: 0 };
  const metas = await getAllCollectionDocuments(db.internalStore);
  const old = metas.filter((m) => (REGION_KINDS as readonly string[]).includes(m.data.name));
  for (const meta of old) {
    const kind = meta.data.name as RegionKind;
    const marks = (await issues.store.find({ selector: { collectionName: kind } }).exec()).map(
      (d) => d.toJSON(true) as SyncIssue
    );
    const edited = [...new Set(marks.filter((m) => m.kind !== 'conflict').map((m) => m.docId))];
    const docs = edited.length ? await readDocs(db, kind, meta.data.schema as RxJsonSchema<DocState>, edited) : [];
    for (const doc of docs) {
      // An upsert is a local edit: it is marked pending under the new key and pushed.
      await region.upsert({ ...plainDoc(doc), [REGION_KIND_FIELD]: kind });
      out.moved++;
    }
    await rekeyMarks(issues, kind, marks);
    await removeCollectionStorages(
      db.storage,
      db.internalStore,
      db.token,
      db.name,
      kind,
      db.multiInstance,
      db.password,
      db.hashFunction
    );
    out.removed.push(kind);
  }
  if (out.removed.length)
    console.info(
      `Region data now lives in one collection: removed ${out.removed.join(', ')}, moved ${out.moved} local edits.`
    );
  return out;
}

async function readDocs(
  db: RxDatabase,
  kind: string,
  schema: RxJsonSchema<DocState>,
  ids: string[]
): Promise<Record<string, unknown>[]> {
  const instance = await db.storage.createStorageInstance({
    databaseInstanceToken: db.token,
    databaseName: db.name,
    collectionName: kind,
    schema,
    options: {},
    multiInstance: db.multiInstance,
    devMode: false,
    password: db.password
  });
  try {
    return (await instance.findDocumentsById(ids, false)) as Record<string, unknown>[];
  } finally {
    await instance.close();
  }
}

/** Marks of the old collection under the region collection and the new key (pending marks come from the upsert). */
async function rekeyMarks(issues: SyncIssues, kind: RegionKind, marks: SyncIssue[]): Promise<void> {
  const withKind = (d: Record<string, unknown> | undefined) =>
    d ? { ...d, [REGION_KIND_FIELD]: kind, key: regionKey(kind, String(d.id)) } : undefined;
  const moved = marks
    .filter((m) => m.kind !== 'pending')
    .map((m) => {
      const docId = regionKey(kind, m.docId);
      const next: SyncIssue = {
        ...m,
        id: m.id.replace(`${m.kind}:${kind}:${m.docId}`, `${m.kind}:${REGION_COLLECTION}:${docId}`),
        collectionName: REGION_COLLECTION,
        docId
      };
      if (m.doc) next.doc = withKind(m.doc);
      if (m.serverDoc) next.serverDoc = withKind(m.serverDoc);
      return next;
    });
  if (moved.length) await issues.store.bulkUpsert(moved);
  await issues.store.bulkRemove(marks.map((m) => m.id));
}
