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
import { INBOX_OBJECT, withInboxFields } from './ticket-inbox';
import { DECIDED_FIELD, decidedAtOf } from './dispatch-time';

export interface DerivedFields {
  fields: readonly string[];
  derive(doc: DocState): DocState;
}

export const DERIVED_FIELDS: Partial<Record<string, DerivedFields>> = {
  tickets: {
    fields: ['status', 'assignee', INBOX_OBJECT],
    derive(doc) {
      const events = doc.events as TicketEvent[] | undefined;
      if (!Array.isArray(events)) return doc;
      const next: DocState = { ...doc, status: deriveStatus(events) };
      const assignee: Assignee | undefined = deriveAssignee(events);
      if (assignee) next.assignee = assignee;
      else delete next.assignee;
      // The device's inbox fields follow the merged status and assignee.
      return withInboxFields(next);
    }
  },
  dispatch: {
    fields: [DECIDED_FIELD],
    // The merged entry's receipt (the server's, once it has one) decides its place.
    derive: (doc) => (DECIDED_FIELD in doc ? { ...doc, [DECIDED_FIELD]: decidedAtOf(doc) } : doc)
  }
};
