/**
 * The conflict handler of every collection (RxDB's default keeps the server's version and
 * drops the local edit; never used here).
 *
 * Guarantees: the local and the server version are merged field by field against their
 * common base (`mergeDocuments`): append-only histories are united, an edit made on one side
 * survives; a field edited on both sides keeps the later edit and the losing value is
 * recorded in the `conflict` store (and in the document's `editConflicts` when its schema
 * has that field), never dropped silently. A deletion against an edit keeps the edit and
 * records the lost deletion. For a document once refused by the server, the base is the
 * server state recorded when it was set aside, since RxDB then assumes the refused version
 * is on the server.
 *
 * A merge that differs from the server's version is pushed as this user's edit, so it is
 * signed `updatedBy`/`updatedAt` by them (the gateway accepts only the session user there;
 * keeping the other side's signature got the merge refused).
 *
 * `isEqual` compares whole versions, server stamps included: RxDB uses it to decide whether a
 * pulled version must be written, and a version that differs only in the server's
 * `receivedAt` is exactly the one the device needs to store (its own records would otherwise
 * never learn when the server received them). Such a version is no conflict either: `resolve`
 * takes the server's as it is, unsigned, so nothing is pushed back.
 */
import type { RxConflictHandler } from 'rxdb';
import { appendConflictRecords, mergeDocuments, type FieldConflict } from '../domain/merge';
import { contentOf, sameEdit, sameState, type DocState } from './couch-doc';
import type { DerivedFields } from './derived-fields';
import { buildsOnRefused } from './refusal';
import type { SyncIssues } from './sync-issues';

export interface ConflictHandlerOptions {
  collection: string;
  appendOnly: readonly string[];
  /** Whether documents of this collection carry their own `editConflicts` history. */
  editConflictsField: boolean;
  /** Name of the per-field edit-time map, when the collection's documents carry one. */
  fieldTimes?: string;
  issues: Pick<SyncIssues, 'rejectedFor' | 'rebaseRejected' | 'recordConflicts' | 'clearPushed'>;
  /** The signed-in user, who signs merged versions. */
  userId?: string;
  /** Local primary key of a document (its `id`, except in the region collection). */
  keyOf?: (state: DocState) => string;
  /** Fields cached from the document's own history: derived again after a merge, never merged. */
  derived?: DerivedFields;
}

/** Merge rules per collection: which arrays are append-only histories. */
export const APPEND_ONLY: Record<string, readonly string[]> = {
  tickets: ['events'],
  tasks: ['events'],
  approvals: ['decisions']
};

export function resolveStates(
  base: DocState | undefined,
  local: DocState,
  remote: DocState,
  appendOnly: readonly string[],
  fieldTimes?: string
): { doc: DocState; conflicts: FieldConflict[] } {
  const at = (d: DocState) => (typeof d.updatedAt === 'string' ? d.updatedAt : undefined);
  const by = (d: DocState) => (typeof d.updatedBy === 'string' ? d.updatedBy : undefined);
  if (remote._deleted && local._deleted) return { doc: remote, conflicts: [] };
  if (remote._deleted) {
    return {
      doc: { ...local, _deleted: false },
      conflicts: [{ field: '_deleted', kept: false, lost: true, at: at(remote), lostBy: by(remote) }]
    };
  }
  if (local._deleted) {
    const remoteUnchanged = !!base && sameEdit(base, remote);
    if (remoteUnchanged) return { doc: { ...remote, _deleted: true }, conflicts: [] };
    return {
      doc: remote,
      conflicts: [{ field: '_deleted', kept: false, lost: true, at: at(local), lostBy: by(local) }]
    };
  }
  const strip = (d: DocState | undefined) => (d ? (contentOf(d) as DocState) : undefined);
  const { merged, conflicts } = mergeDocuments(strip(base), strip(local)!, strip(remote)!, { appendOnly, fieldTimes });
  return { doc: { ...merged, _deleted: false }, conflicts };
}

export function createConflictHandler(opts: ConflictHandlerOptions): RxConflictHandler<DocState> {
  const appendOnly = opts.editConflictsField ? [...opts.appendOnly, 'editConflicts'] : opts.appendOnly;
  return {
    isEqual: (a, b) => sameState(a, b),
    async resolve(input) {
      const local = input.newDocumentState;
      const remote = input.realMasterState;
      const key = opts.keyOf ? opts.keyOf(local) : local.id;
      const reached = () => opts.issues.clearPushed(opts.collection, [{ id: key, doc: local }]);
      // The server holds this very edit and has stamped it: store its version.
      if (sameEdit(local, remote)) {
        await reached();
        return remote;
      }
      const entry = (await opts.issues.rejectedFor(opts.collection, [key])).get(key);
      const carries = buildsOnRefused(entry, local, input.assumedMasterState, appendOnly);
      const base = carries ? (entry!.serverDoc ?? undefined) : input.assumedMasterState;
      const resolved = resolveStates(base, local, remote, appendOnly, opts.fieldTimes);
      const derived = opts.derived;
      const conflicts = derived
        ? resolved.conflicts.filter((c) => !derived.fields.includes(c.field.split('.')[0]))
        : resolved.conflicts;
      const derivedDoc = derived && !resolved.doc._deleted ? derived.derive(resolved.doc) : resolved.doc;
      // The lost edit's record is part of what is pushed: a merge that took the server's values
      // but adds a record is this user's write and must carry their signature (signed before the
      // record was added, it kept the other person's and the gateway refused it).
      const merged =
        conflicts.length && opts.editConflictsField
          ? appendConflictRecords(derivedDoc, conflicts, new Date().toISOString())
          : derivedDoc;
      const doc = signMerge(merged, remote, opts.userId);
      // The server already holds everything of the local edit (its answer was lost after the
      // write, or another device sent the same): nothing is left to send, so it is not pending.
      if (sameEdit(doc, remote)) await reached();
      // The refused version now builds on the server's; unless the local document lost the
      // refused change (a newer server version was pulled over it): then the refusal keeps the
      // base it was made on, which a retry needs to merge it correctly.
      if (carries) await opts.issues.rebaseRejected(opts.collection, key, remote._deleted ? null : remote);
      if (conflicts.length) await opts.issues.recordConflicts(opts.collection, key, conflicts);
      return doc;
    }
  };
}

/** A result that will be pushed carries the pushing user's signature; one equal to the server's is left alone. */
export function signMerge(doc: DocState, remote: DocState, userId: string | undefined): DocState {
  if (!userId || !('updatedBy' in doc) || sameEdit(doc, remote)) return doc;
  const now = new Date().toISOString();
  const latest = [now, doc.updatedAt, remote.updatedAt]
    .filter((t): t is string => typeof t === 'string')
    .sort()
    .at(-1)!;
  return { ...doc, updatedBy: userId, updatedAt: latest };
}
