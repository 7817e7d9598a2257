/**
 * Building ticket documents on the device. A new ticket and every change are complete,
 * valid documents before they touch RxDB, so they can sit offline for days and still pass
 * the server's schema; history only grows (events are appended, never edited).
 */
import type { Priority, Ticket, TicketEvent } from '../../../lib/domain/schemas';

const rand = () => Math.random().toString(36).slice(2, 8);

export function newId(prefix: string, now = new Date()): string {
  return `${prefix}-${now.getTime().toString(36)}-${rand()}`;
}

export interface TicketDraft {
  orgId: string;
  title: string;
  description: string;
  category: string;
  priority: Priority;
  site?: string;
}

export function buildTicket(draft: TicketDraft, userId: string, now = new Date()): Ticket {
  const at = now.toISOString();
  const ticket: Ticket = {
    id: newId('t', now),
    orgId: draft.orgId,
    title: draft.title.trim(),
    description: draft.description.trim(),
    category: draft.category,
    priority: draft.priority,
    requester: userId,
    status: 'new',
    events: [],
    createdBy: userId,
    createdAt: at,
    updatedBy: userId,
    updatedAt: at
  };
  const site = draft.site?.trim();
  if (site) ticket.site = site;
  return ticket;
}

export function buildEvent(
  event: Omit<TicketEvent, 'id' | 'at' | 'by'>,
  userId: string,
  now = new Date()
): TicketEvent {
  return { id: newId('e', now), at: now.toISOString(), by: userId, ...event };
}

/** Field-level edit problems, as message keys the form shows beside each field. */
export type DraftProblem = 'title_short' | 'category_missing' | 'org_missing';

export function validateDraft(d: Partial<TicketDraft>): Partial<Record<keyof TicketDraft, DraftProblem>> {
  const problems: Partial<Record<keyof TicketDraft, DraftProblem>> = {};
  if (!d.title || d.title.trim().length < 3) problems.title = 'title_short';
  if (!d.category) problems.category = 'category_missing';
  if (!d.orgId) problems.orgId = 'org_missing';
  return problems;
}
