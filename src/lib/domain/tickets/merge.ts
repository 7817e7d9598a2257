/**
 * The tickets' conflict handler core: events are a union, so the status and assignee
 * cached on the document are derived again from the merged events rather than merged as
 * fields (a "conflict" on them is not one).
 */
import { mergeDocuments, type MergeResult } from '../merge';
import type { Ticket } from '../schemas/tickets';
import { deriveAssignee, deriveStatus } from './events';

export const TICKET_APPEND_ONLY = ['events', 'editConflicts'] as const;
const DERIVED = new Set(['status', 'assignee']);

export function mergeTickets(base: Ticket | undefined, local: Ticket, remote: Ticket): MergeResult<Ticket> {
  const { merged, conflicts } = mergeDocuments(base, local, remote, {
    appendOnly: TICKET_APPEND_ONLY,
    atomic: ['assignee']
  });
  merged.status = deriveStatus(merged.events);
  const assignee = deriveAssignee(merged.events);
  if (assignee) merged.assignee = assignee;
  else delete merged.assignee;
  return { merged, conflicts: conflicts.filter((c) => !DERIVED.has(c.field.split('.')[0])) };
}
