/**
 * Tickets once carried internal notes as events of kind `note`; the server has moved them to
 * the staff-only notes database and gave every such ticket a new revision without them. A
 * device without local edits simply receives that revision. A device that edited its old
 * copy meets a conflict, and the tickets' merge (a union of events) would bring the notes
 * back from the local side: this wrapper strips them from every merge result, so they
 * neither stay in the local store nor get pushed (the gateway would refuse them anyway).
 */
import type { RxConflictHandler } from 'rxdb';
import { withoutNoteEvents } from '../domain/tickets/notes';
import type { DocState } from './couch-doc';

export function stripLegacyNotes(
  collection: string,
  handler: RxConflictHandler<DocState>
): RxConflictHandler<DocState> {
  if (collection !== 'tickets') return handler;
  return {
    isEqual: handler.isEqual,
    resolve: async (input, context) => withoutNoteEvents(await handler.resolve(input, context))
  };
}
