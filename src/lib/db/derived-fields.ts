/**
 * Fields a collection's documents cache from their own append-only history. A merge unites
 * the histories, so these are derived again from the merged history instead of merged as
 * fields: merging them as fields could pair the server's events with the device's status
 * (seen when the answer to a push was lost and routing had assigned the ticket meanwhile),
 * a version the gateway rightly refuses.
 */
import type { Assignee, TicketEvent } from '../domain/schemas/tickets';
import { deriveAssignee, deriveStatus } from '../domain/tickets/events';
import type { DocState } from './couch-doc';
import { ASSIGNEE_FIELD, assigneeIdOf } from './ticket-assignee';
import { DECIDED_FIELD, decidedAtOf } from './dispatch-time';

export interface DerivedFields {
  fields: readonly string[];
  derive(doc: DocState): DocState;
}

export const DERIVED_FIELDS: Partial<Record<string, DerivedFields>> = {
  tickets: {
    fields: ['status', 'assignee', ASSIGNEE_FIELD],
    derive(doc) {
      const events = doc.events as TicketEvent[] | undefined;
      if (!Array.isArray(events)) return doc;
      const next: DocState = { ...doc, status: deriveStatus(events) };
      const assignee: Assignee | undefined = deriveAssignee(events);
      if (assignee) next.assignee = assignee;
      else delete next.assignee;
      // The device's indexed copy (present on every stored ticket: codec, hooks, migration).
      if (ASSIGNEE_FIELD in next) next[ASSIGNEE_FIELD] = assigneeIdOf(next);
      return next;
    }
  },
  dispatch: {
    fields: [DECIDED_FIELD],
    // The merged entry's receipt (the server's, once it has one) decides its place.
    derive: (doc) => (DECIDED_FIELD in doc ? { ...doc, [DECIDED_FIELD]: decidedAtOf(doc) } : doc)
  }
};
