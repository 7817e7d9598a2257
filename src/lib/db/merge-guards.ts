/**
 * Guards around every collection's conflict handler, for what a merge result must never be.
 *
 * Legacy notes (tickets): tickets once carried internal notes as events of kind `note`; the
 * server has moved them to the staff-only notes database and gave every such ticket a new
 * revision without them. A device without local edits simply receives that revision. A device
 * that edited its old copy meets a conflict, and the merge (a union of events) would bring the
 * notes back from the local side: they are stripped from every merge result, so they neither
 * stay in the local store nor get pushed (the gateway would refuse them anyway).
 *
 * Bounded conflict history (`editConflicts`): the union of two replicas' histories can exceed
 * the schema's limit, and the server then refuses the document for good. The result keeps the
 * newest records; the older ones move to this device's sync-issues store (as conflicts, shown
 * in the sync details), so none is dropped silently.
 */
import type { RxConflictHandler } from 'rxdb';
import { capEditConflicts, type EditConflictRecord } from '../domain/edit-conflicts';
import type { FieldConflict } from '../domain/merge';
import { withoutNoteEvents } from '../domain/tickets/notes';
import type { DocState } from './couch-doc';
import type { SyncIssues } from './sync-issues';

const parsed = (text: string | undefined): unknown => {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const asFieldConflict = (r: EditConflictRecord): FieldConflict => ({
  field: r.field ?? 'editConflicts',
  kept: parsed(r.kept),
  lost: parsed(r.lost),
  lostBy: r.by,
  at: r.at
});

export function guardMerges(
  collection: string,
  handler: RxConflictHandler<DocState>,
  issues: Pick<SyncIssues, 'recordConflicts'>
): RxConflictHandler<DocState> {
  return {
    isEqual: handler.isEqual,
    async resolve(input, context) {
      let doc = await handler.resolve(input, context);
      if (collection === 'tickets') doc = withoutNoteEvents(doc);
      const capped = capEditConflicts(doc, [input.newDocumentState, input.realMasterState]);
      if (capped.overflow.length)
        await issues.recordConflicts(collection, doc.id, capped.overflow.map(asFieldConflict));
      return capped.doc;
    }
  };
}
