/**
 * What the sync keeps for the user beside the data, in one local RxDB collection (never
 * replicated; shared by all tabs through IndexedDB):
 * - `rejected`: a document the server refused, with its reason, the local version and the
 *   server state it was built on. It stays until a later push of the document succeeds or
 *   the user discards it. Set aside instead of retried: one refused document must not
 *   block the rest of the sync.
 * - `conflict`: a value that lost a field-level merge, so no edit is ever dropped silently.
 * - `pending`: a local edit not yet on the server (cleared when the push of that version
 *   succeeds), which is what the "not yet synced" counter shows, in every tab.
 * One collection, not three: RxDB's open-source edition caps open collections at 13.
 */
import type { RxCollection, RxDocument, RxJsonSchema } from 'rxdb';
import { map, type Observable } from 'rxjs';
import { canonicalJson, type FieldConflict } from '../domain/merge';
import { APPEND_ONLY, resolveStates } from './conflict-handler';
import { sameEdit, type DocState } from './couch-doc';
import type { RefusalCode } from './push-routing';

export type IssueKind = 'rejected' | 'conflict' | 'pending';

export interface SyncIssue {
  id: string;
  kind: IssueKind;
  /** Name of the data collection (not `collection`: RxDB documents reserve that name). */
  collectionName: string;
  docId: string;
  at: string;
  /** rejected */
  code?: RefusalCode;
  reason?: string;
  doc?: Record<string, unknown>;
  /** rejected: the server state the local version builds on; absent when the server has none. */
  serverDoc?: Record<string, unknown>;
  /** conflict: field path and JSON of the kept and lost values, who lost. */
  field?: string;
  kept?: string;
  lost?: string;
  lostBy?: string;
  /** pending: `updatedAt` of the local version waiting to be pushed. */
  version?: string;
}

export const SYNC_ISSUES_COLLECTION = 'syncissues';

export const syncIssueSchema: RxJsonSchema<SyncIssue> = {
  title: 'sync issue',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 400 },
    kind: { type: 'string', enum: ['rejected', 'conflict', 'pending'], maxLength: 10 },
    collectionName: { type: 'string', maxLength: 40 },
    docId: { type: 'string', maxLength: 120 },
    at: { type: 'string', maxLength: 40 },
    code: { type: 'string', maxLength: 20 },
    reason: { type: 'string', maxLength: 2000 },
    doc: { type: 'object' },
    serverDoc: { type: 'object' },
    field: { type: 'string', maxLength: 300 },
    kept: { type: 'string' },
    lost: { type: 'string' },
    lostBy: { type: 'string', maxLength: 60 },
    version: { type: 'string', maxLength: 40 }
  },
  required: ['id', 'kind', 'collectionName', 'docId', 'at'],
  indexes: ['kind', ['kind', 'at']]
};

const key = (kind: IssueKind, collection: string, docId: string) => `${kind}:${collection}:${docId}`;
const nowIso = () => new Date().toISOString();
/**
 * A version as it is kept: without RxDB's bookkeeping, and with `_deleted` always said. The
 * push hands over its rows with it, a document read from the store (`toJSON()`, as the purge of
 * a withdrawn database reads it) without: the same version refused on both ways is one entry.
 */
const plain = (d: DocState | Record<string, unknown>) => {
  const { _meta: _m, _rev: _r, _attachments: _a, ...rest } = d as Record<string, unknown>;
  return { ...rest, _deleted: rest._deleted === true };
};

export interface RejectedEntry {
  docId: string;
  code: RefusalCode;
  reason: string;
  doc: DocState;
  serverDoc: DocState | null;
}

export class SyncIssues {
  constructor(readonly store: RxCollection<SyncIssue>) {}

  async rejectedFor(collection: string, ids: readonly string[]): Promise<Map<string, RejectedEntry>> {
    const found = await this.store.findByIds(ids.map((id) => key('rejected', collection, id))).exec();
    const out = new Map<string, RejectedEntry>();
    for (const d of found.values()) {
      const v = d.toJSON(true) as SyncIssue;
      out.set(v.docId, {
        docId: v.docId,
        code: (v.code ?? 'error') as RefusalCode,
        reason: v.reason ?? '',
        doc: v.doc as DocState,
        serverDoc: (v.serverDoc as DocState | undefined) ?? null
      });
    }
    return out;
  }

  /**
   * Records refused versions. A document refused before keeps its earlier refused version
   * as an entry of its own (`<id>@<when>`) unless the new one builds on it (`buildsOn`): an
   * unrelated later edit refused too would otherwise replace the only copy of the first change.
   */
  async setAside(
    collection: string,
    entries: readonly RejectedEntry[],
    buildsOn: ReadonlySet<string> = new Set()
  ): Promise<void> {
    if (!entries.length) return;
    const at = nowIso();
    const earlier = await this.store.findByIds(entries.map((e) => key('rejected', collection, e.docId))).exec();
    const kept = entries.flatMap((e) => {
      const old = earlier.get(key('rejected', collection, e.docId))?.toJSON(true) as SyncIssue | undefined;
      if (!old || buildsOn.has(e.docId) || canonicalJson(old.doc) === canonicalJson(plain(e.doc))) return [];
      return [{ ...old, id: `${old.id}@${old.at}` }];
    });
    if (kept.length) await this.store.bulkUpsert(kept);
    await this.store.bulkUpsert(
      entries.map((e) => ({
        id: key('rejected', collection, e.docId),
        kind: 'rejected' as const,
        collectionName: collection,
        docId: e.docId,
        at,
        code: e.code,
        reason: e.reason.slice(0, 2000),
        doc: plain(e.doc),
        ...(e.serverDoc ? { serverDoc: plain(e.serverDoc) } : {})
      }))
    );
  }

  /** Whether `issueId` is the document's current refusal, not an earlier version kept beside it. */
  isCurrentRefusal(issue: Pick<SyncIssue, 'id' | 'collectionName' | 'docId'>): boolean {
    return issue.id === key('rejected', issue.collectionName, issue.docId);
  }

  /**
   * The local version now builds on `serverDoc` (after a merge with it). The refused version is
   * moved onto it too, so that the pair still differs by exactly the refused change: with the
   * new base and the old version, the other person's newer fields counted as part of the
   * refused change, and a retry merged them back to their old values on the server.
   */
  async rebaseRejected(collection: string, docId: string, serverDoc: DocState | null): Promise<void> {
    const doc = await this.store.findOne(key('rejected', collection, docId)).exec();
    if (!doc) return;
    await doc.incrementalModify((v) => {
      const next = { ...v };
      if (serverDoc) {
        const before = v.serverDoc as DocState | undefined;
        if (before && v.doc && !v.doc._deleted && !serverDoc._deleted)
          next.doc = plain(resolveStates(before, v.doc as DocState, serverDoc, APPEND_ONLY[collection] ?? []).doc);
        next.serverDoc = plain(serverDoc);
      } else delete next.serverDoc;
      return next;
    });
  }

  async clear(kind: IssueKind, collection: string, ids: readonly string[]): Promise<void> {
    if (ids.length) await this.store.bulkRemove(ids.map((id) => key(kind, collection, id)));
  }

  async recordConflicts(collection: string, docId: string, conflicts: readonly FieldConflict[]): Promise<void> {
    if (!conflicts.length) return;
    const at = nowIso();
    await this.store.bulkUpsert(
      conflicts.map((c) => {
        const kept = canonicalJson(c.kept).slice(0, 5000);
        const lost = canonicalJson(c.lost).slice(0, 5000);
        return {
          id: `${key('conflict', collection, docId)}:${c.field}:${hashText(lost + '\n' + kept)}`.slice(0, 400),
          kind: 'conflict' as const,
          collectionName: collection,
          docId,
          at: c.at || at,
          field: c.field.slice(0, 300),
          kept,
          lost,
          ...(c.lostBy ? { lostBy: c.lostBy } : {})
        };
      })
    );
  }

  /** Marks gathered for one write of this store; see `markPending`. */
  private marks: Map<string, SyncIssue> | null = null;
  private marksWritten: Promise<void> = Promise.resolve();

  /**
   * Marks a local edit as unsent until its version is pushed. The marks of one bulk write (an
   * import of thousands of assets calls this once per document, from RxDB's post-insert hooks,
   * all in one round of microtasks) are written together: one upsert each took 170 s for
   * 10,000 documents. Resolves once the mark is stored, as a single upsert did.
   */
  markPending(collection: string, docId: string, version: string): Promise<void> {
    const mark: SyncIssue = {
      id: key('pending', collection, docId),
      kind: 'pending',
      collectionName: collection,
      docId,
      at: nowIso(),
      version
    };
    if (!this.marks) {
      const marks = (this.marks = new Map());
      // Two microtask hops: after the other documents' hooks of the same write, which RxDB
      // queued beside this one; not a timer, so a push of the edit cannot overtake its mark.
      this.marksWritten = Promise.resolve()
        .then(() => undefined)
        .then(async () => {
          this.marks = null;
          const { error } = await this.store.bulkUpsert([...marks.values()]);
          if (error.length) throw new Error(`could not mark ${error.length} edit(s) as unsent: ${error[0].status}`);
        });
    }
    // The later edit of a document replaces its earlier mark of the same batch.
    this.marks.set(mark.id, mark);
    return this.marksWritten;
  }

  /**
   * Clears pending marks whose version reached the server (a newer local edit stays pending).
   * `pushed`: the versions the server now holds (or refused, or RxDB holds as the server's), by
   * local key.
   */
  async clearPushed(collection: string, pushed: readonly { id: string; doc: DocState }[]): Promise<void> {
    if (!pushed.length) return;
    const found = await this.store.findByIds(pushed.map((d) => key('pending', collection, d.id))).exec();
    if (!found.size) return;
    // Read after the marks: the mark of an edit stored after this read is written after the
    // marks were read, and the removal below, made against the marks as read, leaves it.
    const held = await this.heldNow(
      collection,
      [...found.values()].map((m) => m.docId)
    );
    const done = new Map<string, RxDocument<SyncIssue>>();
    for (const d of pushed) {
      const mark = found.get(key('pending', collection, d.id));
      if (!mark) continue;
      // A merge pushes a version newer than the edit it contains, so "at least as new" counts.
      const reached = !mark.version || (typeof d.doc.updatedAt === 'string' && d.doc.updatedAt >= mark.version);
      // The device clock's times do not order the edits: one made while the previous version's
      // push was on its way can carry the same time (the same millisecond; a deletion keeps the
      // time) or an earlier one (the clock was set back). The answer for the previous version
      // would then clear the mark of an edit never sent, and a wipe would take it as sent. So
      // the mark goes only while the device still holds the version pushed; a newer edit is
      // cleared by its own push.
      if (reached && (!held || sameEdit(held.get(d.id) ?? null, d.doc))) done.set(mark.id, mark);
    }
    // The marks as read, not their ids: a mark written again since (a newer edit) stays.
    if (done.size) await this.store.bulkRemove([...done.values()]);
  }

  /**
   * Clears the pending marks of documents that hold what the server holds (`settled`, by the
   * replication's own test): a write equal to the server's state (the values a document already
   * had, an edit undone before its push) is never pushed, so no answer would ever clear its mark.
   */
  async clearSettled(collection: string, settled: (ids: readonly string[]) => Promise<Set<string>>): Promise<void> {
    const marks = await this.store.find({ selector: { kind: 'pending', collectionName: collection } }).exec();
    if (!marks.length) return;
    const equal = await settled(marks.map((m) => m.docId));
    // The marks as read: one written again since (a newer edit) stays.
    const done = marks.filter((m) => equal.has(m.docId));
    if (done.length) await this.store.bulkRemove(done);
  }

  /**
   * What the device holds now of these documents (deletions included), by local key; null for a
   * store without that collection (the issue store alone, in tests): then the times decide alone.
   */
  private async heldNow(collection: string, ids: string[]): Promise<Map<string, DocState> | null> {
    const data = this.store.database.collections[collection] as RxCollection | undefined;
    if (!data) return null;
    const docs = await data.storageInstance.findDocumentsById(ids, true);
    const primary = data.schema.primaryPath as string;
    return new Map(docs.map((d) => [String((d as Record<string, unknown>)[primary]), d as unknown as DocState]));
  }

  list$(kind: IssueKind): Observable<SyncIssue[]> {
    return this.store
      .find({ selector: { kind }, sort: [{ at: 'desc' }] })
      .$.pipe(map((docs) => docs.map((d) => d.toJSON(true) as SyncIssue)));
  }

  count$(kind: IssueKind): Observable<number> {
    return this.store.count({ selector: { kind } }).$;
  }

  async dismiss(id: string): Promise<void> {
    await this.store.bulkRemove([id]);
  }
}

/** FNV-1a, 32 bits: stable ids for identical conflicts recorded twice, not security. */
function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
