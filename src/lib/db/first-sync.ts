/**
 * First sync of a collection without RxDB's per-document replication bookkeeping.
 *
 * RxDB's replication stores every pulled document twice: in the collection and, as the
 * "assumed master state", in its replication meta store (a full copy with its own indexes),
 * after reading both stores for the document's current versions, and broadcasts both writes
 * to other tabs. On a device that holds nothing yet there is nothing to compare: this path
 * pulls the same pages through the same pull handler, writes each page straight into the
 * collection's storage in one bulk write (one `bulkAdd` on Dexie, `first-sync-write.ts`), and writes the replication's two checkpoints once
 * per page (not a row per document). RxDB's replication is then started and finds its
 * checkpoints where it would have left them: it continues with what changed since.
 *
 * Why a document without its meta row stays correct:
 * - Each stored document is marked the way RxDB's own downstream marks a state it took from
 *   the server (`_meta.o`: this replication's hash and the revision height it wrote). RxDB's
 *   downstream therefore overwrites it with a newer server version like any pulled document,
 *   and leaves it alone once the person edited it (the height no longer matches) until the
 *   edit is pushed.
 * - The meta row is the base of a three-way merge. It is written when it is first needed: the
 *   first local edit or removal of a document still in the state this path stored writes that
 *   state as its meta row before the edit is stored (`keepBaseOnFirstEdit`), exactly what
 *   RxDB's downstream would have written. The push then builds on it and a conflict merges
 *   against it, as for any other document.
 * - The upstream checkpoint is set past this path's own writes only: a write made by the
 *   person (or another tab) while the path ran stops it from moving further, so that write,
 *   and every document stored after it, is still read and pushed by RxDB's upstream.
 * - A path cut short (tab closed, network lost) leaves checkpoints that stand for what was
 *   stored or for less (a page's checkpoints are written while the next page is stored); the
 *   next start finds them and RxDB's replication continues from there. The downstream reads the
 *   rest again; the upstream would take the stored documents past its checkpoint for the
 *   person's new writes, and `withoutServerStates` leaves those out of its pushes.
 *
 * It runs only when the collection's storage holds no document (deleted ones included) and
 * the replication has no checkpoint yet: a device that synced before, or has unsent work,
 * replicates as before.
 */
import type { RxCollection, RxDocumentData, RxStorageInstance } from 'rxdb';
import {
  createRevision,
  getChangedDocumentsSince,
  getComposedPrimaryKeyOfDocumentData,
  getRxReplicationMetaInstanceSchema,
  getUnderlyingPersistentStorage,
  hasEncryption,
  now,
  overwritable,
  writeDocToDocState
} from 'rxdb';
import type { CompositeCheckpoint } from './checkpoint';
import type { DocState } from './couch-doc';
import { directWriter, type DirectWriter } from './first-sync-write';

export interface PulledPage {
  documents: DocState[];
  checkpoint: CompositeCheckpoint;
}

export interface FirstSyncOptions {
  collection: RxCollection;
  /** The replication's identifier (`replicateRxCollection`'s `replicationIdentifier`). */
  replicationIdentifier: string;
  pull: (checkpoint: CompositeCheckpoint | undefined, batchSize: number) => Promise<PulledPage>;
  batchSize: number;
  /** The sync stopped: write nothing more. */
  stopped: () => boolean;
  /** A page was taken but not stored: its databases must be read again by the replication. */
  onAbandon: () => void;
}

export type FirstSyncOutcome = 'not-empty' | 'done' | 'interrupted';

export interface FirstSyncRun {
  outcome: FirstSyncOutcome;
  documents: number;
  /** Releases the meta store this path opened; call once RxDB's replication has opened its own. */
  release(): Promise<void>;
}

type Meta = Record<string, unknown> & { checkpointData?: unknown };
type Row = RxDocumentData<Record<string, unknown>>;
interface Storage {
  databaseName: string;
  collectionName: string;
  bulkWrite(
    rows: { previous?: Row; document: Row }[],
    context: string
  ): Promise<{ error: { status: number; documentId: string; documentInDb?: Row }[] }>;
  findDocumentsById(ids: string[], withDeleted: boolean): Promise<Row[]>;
  changeStream(): { subscribe(fn: (bulk: EventBulkLike) => void): { unsubscribe(): void } };
  close(): Promise<void>;
}
interface EventBulkLike {
  context: string;
  checkpoint: unknown;
}

/** Where RxDB's replication of this collection keeps its meta store (same name and schema as RxDB's). */
async function openMetaStore(collection: RxCollection, replicationIdentifier: string) {
  const database = collection.database;
  const collectionName =
    'rx-replication-meta-' + (await database.hashFunction([collection.name, replicationIdentifier].join('-')));
  const schema = getRxReplicationMetaInstanceSchema(
    collection.schema.jsonSchema,
    hasEncryption(collection.schema.jsonSchema)
  );
  const instance = (await database.storage.createStorageInstance({
    databaseName: database.name,
    collectionName,
    databaseInstanceToken: database.token,
    multiInstance: database.multiInstance,
    options: {},
    schema,
    password: database.password,
    devMode: overwritable.isDevMode()
  })) as unknown as Storage;
  return { instance, schema };
}

export async function firstSync(opts: FirstSyncOptions): Promise<FirstSyncRun> {
  const { collection } = opts;
  const database = collection.database;
  const { instance: meta, schema } = await openMetaStore(collection, opts.replicationIdentifier);
  let released = false;
  const run: FirstSyncRun = {
    outcome: 'not-empty',
    documents: 0,
    async release() {
      if (released) return;
      released = true;
      await meta.close();
    }
  };
  const checkpointId = (direction: 'up' | 'down') =>
    getComposedPrimaryKeyOfDocumentData(schema, { isCheckpoint: '1', itemId: direction } as never);
  const fork = storageOf(collection);

  // Own writes move the upstream checkpoint; anyone else's write stops it where it is. It only
  // moves forward: a page's documents already stored (one id in two of the person's
  // databases, or stored by an earlier page) are written after the page's new ones, with the
  // write times the page gave them (on the app's stores `write-order.ts` may move them later,
  // never earlier), and a checkpoint of theirs must not pull it back (RxDB's upstream would
  // then push the page's newer documents as the person's own edits). Listened to before the
  // store is found empty: a write of the person's (or another tab's) landing between that read
  // and this path's first page would otherwise be passed by the upstream checkpoint, unpushed.
  let context: string | null = null;
  let upstream: unknown = undefined;
  let foreign = false;
  const sub = fork.changeStream().subscribe((bulk) => {
    if (bulk.context !== context) foreign = true;
    else if (!foreign && isLater(bulk.checkpoint, upstream)) upstream = bulk.checkpoint;
  });

  const known = await meta.findDocumentsById([checkpointId('down'), checkpointId('up')], true);
  const anyDoc = known.length > 0 ? null : await getChangedDocumentsSince(fork as never, 1);
  if (!anyDoc || anyDoc.documents.length > 0) {
    sub.unsubscribe();
    return run;
  }

  let keys: Awaited<ReturnType<typeof replicationKeys>>;
  let direct: DirectWriter | null;
  try {
    keys = await replicationKeys(collection, opts.replicationIdentifier, fork);
    direct = await directWriter(fork);
  } catch (err) {
    sub.unsubscribe();
    throw err;
  }
  const { identifierHash, checkpointKey } = keys;
  // RxDB's downstream writes with this context; its upstream takes such writes as the server's.
  const ownContext = 'replication-downstream-' + checkpointKey;
  context = ownContext;

  const lastCheckpointDoc: Partial<Record<'up' | 'down', Row>> = {};
  const writeCheckpoint = async (direction: 'up' | 'down', data: unknown) => {
    // Like RxDB's own checkpoint write: a conflict (another writer) is retried on the stored version.
    for (let attempt = 0; ; attempt++) {
      const previous = lastCheckpointDoc[direction];
      const document = {
        id: checkpointId(direction),
        isCheckpoint: '1',
        itemId: direction,
        _deleted: false,
        _attachments: {},
        checkpointData: data,
        _meta: { lwt: now() },
        _rev: createRevision(checkpointKey, previous)
      } as Row & Meta;
      const result = await meta.bulkWrite([{ previous, document }], 'replication-set-checkpoint');
      const error = result.error[0];
      if (!error) {
        lastCheckpointDoc[direction] = document;
        return;
      }
      if (error.status !== 409 || !error.documentInDb || attempt >= 3)
        throw new Error(`first sync: checkpoint ${direction} not stored (${error.status})`);
      lastCheckpointDoc[direction] = error.documentInDb;
    }
  };

  const store = async (docs: DocState[]) => {
    const rows = docs.map((doc) => ({
      document: {
        ...doc,
        _meta: { lwt: now(), o: { _rev: 1, hash: identifierHash } },
        _rev: createRevision(identifierHash),
        _attachments: {}
      } as Row
    }));
    const result = await database.lockedRun(async () => {
      if (!direct) return fork.bulkWrite(rows, ownContext);
      // New documents in one `bulkAdd`; those already stored go through RxDB's write (409 and its document).
      const existing = await direct(
        rows.map((r) => r.document),
        ownContext
      );
      return existing.length
        ? fork.bulkWrite(
            existing.map((document) => ({ document })),
            ownContext
          )
        : { error: [] };
    });
    // Stored by an earlier page (changed on the server between two pages): replace that state,
    // unless the person changed it meanwhile (their edit is pushed first, then merged).
    const again = result.error
      .filter((e) => e.status === 409 && e.documentInDb && isUntouched(e.documentInDb, identifierHash))
      .map((e) => {
        const previous = e.documentInDb!;
        const document = rows.find((r) => r.document[collection.schema.primaryPath] === e.documentId)!.document;
        const height = heightOf(previous._rev) + 1;
        return {
          previous,
          document: {
            ...document,
            _meta: { ...document._meta, o: { _rev: height, hash: identifierHash } },
            _rev: createRevision(identifierHash, previous)
          } as Row
        };
      });
    const failed = result.error.filter((e) => e.status !== 409);
    if (failed.length) throw new Error(`first sync: ${failed.length} documents not stored (${failed[0].status})`);
    if (again.length) await database.lockedRun(() => fork.bulkWrite(again, ownContext));
    return rows.length;
  };

  // A page's checkpoints are written after its documents, in order, while the next page is
  // stored: waiting for them held the store idle between pages (two small transactions on
  // another database, 10-130 ms a page on a busy 2-core machine). Until they land, the stored
  // checkpoints stand for fewer documents than are stored, which is what a path cut short
  // between a page and its checkpoints always left: the replication reads those again.
  let saving: Promise<void> = Promise.resolve();
  const saveCheckpoints = (down: CompositeCheckpoint, up: unknown) =>
    saving.then(async () => {
      await writeCheckpoint('down', down);
      if (up !== undefined) await writeCheckpoint('up', up);
    });

  // The next page is asked for while this one is stored, as RxDB's own pull loop does.
  let pending: Promise<PulledPage> | null = null;
  try {
    run.outcome = 'interrupted';
    if (opts.stopped()) return run;
    pending = opts.pull(undefined, opts.batchSize);
    for (;;) {
      const page: PulledPage = await pending!;
      pending = null;
      if (opts.stopped()) break;
      const full = page.documents.length >= opts.batchSize;
      if (full) pending = opts.pull(page.checkpoint, opts.batchSize);
      if (page.documents.length) run.documents += await store(page.documents);
      // The page before's checkpoints (long written by now): a failure stops the path here.
      await saving;
      saving = saveCheckpoints(page.checkpoint, upstream);
      // Its failure is taken at the next await; until then (the next page's read and store) it
      // would be an unhandled rejection.
      saving.catch(() => undefined);
      if (!full) {
        await saving;
        run.outcome = 'done';
        break;
      }
    }
    await saving;
    return run;
  } catch (err) {
    // Whatever was stored is matched by the checkpoints, or is read again from them; RxDB's
    // replication takes over from there, and reads again every database a page was taken from
    // but not stored. The page still being read, and a checkpoint still being written, end
    // first: the pull would otherwise take those marks back for an answer nobody stores, and
    // the replication would find nothing left to read.
    await (pending as Promise<PulledPage> | null)?.catch(() => undefined);
    pending = null;
    await saving.catch(() => undefined);
    run.outcome = 'interrupted';
    opts.onAbandon();
    console.warn('First sync fell back to the replication:', err);
    return run;
  } finally {
    // A page still being read when the path ended is nobody's: the replication reads it again.
    (pending as Promise<PulledPage> | null)?.catch(() => undefined);
    sub.unsubscribe();
  }
}

/**
 * Whether checkpoint `a` lies after `b` in the order the storage lists changes (write time,
 * then primary key, as RxDB's storages do). A checkpoint of another shape is taken as later.
 */
export function isLater(a: unknown, b: unknown): boolean {
  if (b === undefined) return true;
  const x = a as { lwt?: unknown; id?: unknown } | null;
  const y = b as { lwt?: unknown; id?: unknown } | null;
  if (typeof x?.lwt !== 'number' || typeof y?.lwt !== 'number') return true;
  if (x.lwt !== y.lwt) return x.lwt > y.lwt;
  return String(x.id) > String(y.id);
}

function heightOf(rev: string): number {
  return Number(rev.slice(0, rev.indexOf('-')));
}

/** Still the state this path (or RxDB's downstream) stored: not edited on the device since. */
function isUntouched(doc: Row, identifierHash: string): boolean {
  const o = (doc._meta as { o?: { _rev: number; hash: string } }).o;
  return !!o && o.hash === identifierHash && o._rev === heightOf(doc._rev);
}

/** The collection's storage under RxDB's write wrapper, which would replace the marks of a new document. */
export function storageOf(collection: RxCollection): Storage {
  const wrapped = collection.storageInstance as unknown as { originalStorageInstance?: Storage };
  return (wrapped.originalStorageInstance ??
    getUnderlyingPersistentStorage(
      collection.storageInstance as RxStorageInstance<unknown, unknown, unknown>
    )) as Storage;
}

/** The hash RxDB's replication marks its writes with, and the key of its checkpoint revisions. */
async function replicationKeys(collection: RxCollection, replicationIdentifier: string, fork: Storage) {
  const identifier = 'rxdbreplication' + replicationIdentifier;
  const hash = collection.database.hashFunction;
  return {
    identifierHash: await hash(identifier),
    checkpointKey:
      'rx_storage_replication_' + (await hash([identifier, fork.databaseName, fork.collectionName].join('||')))
  };
}

export interface ReplicationMeta {
  /** RxDB's replication meta store of the collection, its keys, and the id of a document's row in it. */
  open(): Promise<{
    store: Storage;
    rowId: (itemId: string) => string;
    identifierHash: string;
    checkpointKey: string;
  }>;
  /** Closes the store; a later `open` fails (the sync stopped: nothing opens what nobody would close). */
  release(): Promise<void>;
}

/**
 * One collection's replication meta store, opened at its first use and shared by the edits'
 * base (`keepBaseOnFirstEdit`), the push's filter (`withoutServerStates`) and the pending
 * marks' sweep (`settledWithServer`). A failed open is tried again at the next use.
 */
export function replicationMeta(collection: RxCollection, replicationIdentifier: string): ReplicationMeta {
  let opened: ReturnType<ReplicationMeta['open']> | null = null;
  let released = false;
  return {
    open() {
      if (released) return Promise.reject(new Error('the replication meta store was released'));
      return (opened ??= (async () => {
        const { instance, schema } = await openMetaStore(collection, replicationIdentifier);
        return {
          store: instance,
          rowId: (itemId: string) =>
            getComposedPrimaryKeyOfDocumentData(schema, { itemId, isCheckpoint: '0' } as never),
          ...(await replicationKeys(collection, replicationIdentifier, storageOf(collection)))
        };
      })().catch((err: unknown) => {
        opened = null;
        throw err;
      }));
    },
    async release() {
      released = true;
      const o = opened;
      opened = null;
      if (o) await (await o.catch(() => null))?.store.close();
    }
  };
}

/**
 * Before the first local edit or removal of a document the first sync stored (and the
 * replication has not rewritten since), writes the stored state as the document's meta row:
 * the assumed server state RxDB's push and conflict merge build on. The meta store is `meta`'s,
 * released with it.
 */
export function keepBaseOnFirstEdit(collection: RxCollection, meta: ReplicationMeta): void {
  const primaryPath = collection.schema.primaryPath as string;
  const keep = async (before: Row | undefined) => {
    if (!before?._meta || !(before._meta as { o?: unknown }).o) return;
    const { store, rowId, identifierHash, checkpointKey } = await meta.open();
    if (!isUntouched(before, identifierHash)) return;
    const itemId = before[primaryPath] as string;
    const id = rowId(itemId);
    if ((await store.findDocumentsById([id], true)).length) return;
    const { _meta: _m, _rev: _r, _attachments: _a, ...docData } = before;
    const document = {
      id,
      isCheckpoint: '0',
      itemId,
      docData: { ...docData, _deleted: false },
      _attachments: {},
      _deleted: false,
      _meta: { lwt: now() },
      _rev: createRevision(checkpointKey)
    } as Row;
    // A row written meanwhile (by the replication) is as good a base: a conflict here is fine.
    await store.bulkWrite([{ document }], 'replication-first-edit-base');
  };
  collection.preSave((_data, before) => keep(before as unknown as Row), false);
  collection.preRemove((data) => keep(data as unknown as Row), false);
}

/**
 * Leaves out of an upstream batch the documents that are the server's state and nobody's edit:
 * stored from a pull (this path's pages, or RxDB's downstream) and unchanged since, yet without
 * the meta row that tells RxDB so. A first sync cut short between a page and its checkpoints (a
 * tab closed or reloaded while it ran) leaves such documents past the upstream checkpoint, and
 * RxDB's upstream takes every document without a meta row for a new local write: the next start
 * sent them back to the server, refused where the person may only read (each one then listed as
 * a change the server refused) and a conflict elsewhere. Those left out are answered as written,
 * so RxDB stores their meta row from the state it read, as its downstream would have.
 */
export function withoutServerStates(
  collection: RxCollection,
  meta: ReplicationMeta
): <R extends { assumedMasterState?: unknown; newDocumentState: unknown }>(rows: R[]) => Promise<R[]> {
  const primaryPath = collection.schema.primaryPath as string;
  const keyOf = (row: { newDocumentState: unknown }) =>
    String((row.newDocumentState as Record<string, unknown>)[primaryPath]);
  return async (rows) => {
    const unbased = rows.filter((r) => !r.assumedMasterState);
    if (!unbased.length) return rows;
    const { identifierHash } = await meta.open();
    const stored = await storageOf(collection).findDocumentsById(unbased.map(keyOf), true);
    const server = new Set(
      stored.filter((doc) => isUntouched(doc, identifierHash)).map((doc) => String(doc[primaryPath]))
    );
    return server.size ? rows.filter((r) => r.assumedMasterState || !server.has(keyOf(r))) : rows;
  };
}

/**
 * Of the given documents, those whose stored state equals the state RxDB's replication holds as
 * the server's (its meta row), by the collection's conflict handler: RxDB's upstream has nothing
 * to push for them (the same test makes it skip them). A write equal to what the server holds
 * (the values it already had, or an edit undone before its push) is such a document: no push
 * answer ever comes for it. The meta store is `meta`'s, released with it.
 */
export function settledWithServer(
  collection: RxCollection,
  meta: ReplicationMeta
): (ids: readonly string[]) => Promise<Set<string>> {
  const primaryPath = collection.schema.primaryPath as string;
  return async (ids) => {
    if (!ids.length) return new Set();
    const { store, rowId } = await meta.open();
    const [stored, rows] = await Promise.all([
      storageOf(collection).findDocumentsById([...ids], true),
      store.findDocumentsById(ids.map(rowId), true)
    ]);
    const assumed = new Map(rows.map((r) => [String(r.itemId), r.docData as Record<string, unknown>]));
    const out = new Set<string>();
    for (const doc of stored) {
      const id = String(doc[primaryPath]);
      const master = assumed.get(id);
      if (!master) continue;
      const state = writeDocToDocState(doc as never, false, false) as Record<string, unknown>;
      if (collection.conflictHandler.isEqual(master as never, state as never, 'pending-settled')) out.add(id);
    }
    return out;
  };
}
