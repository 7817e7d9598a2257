/**
 * The "my work" inbox: everything waiting on one person across every organization they work
 * for, most urgent first (overdue, due today, later). Pure: tickets, tasks and documents come
 * in as they are on the device; `hasInboxWork` and `inboxCount` let the navigation decide the
 * home page and the badge without rendering the list.
 */
import type { ApprovalRow } from './approval-view';
import type { TaskRow } from './task-view';

export type Urgency = 'overdue' | 'today' | 'later';

export interface InboxTicket {
  id: string;
  orgId: string;
  title: string;
  status: string;
  requester?: string;
  assignee?: { userId?: string };
  priority?: string;
}

export interface InboxItem {
  kind: 'ticket' | 'task' | 'approval';
  id: string;
  orgId: string;
  title: string;
  /** What the person is to do, as a code the screen translates. */
  why: string;
  due?: string;
  urgency: Urgency;
}

const OPEN_TICKET = ['new', 'assigned', 'in_progress'];
/** Days a task deadline counts as "today" ahead of time: the reminder before the deadline. */
const REMIND_HOURS = 48;

export function urgencyOf(due: string | undefined, at: Date | number): Urgency {
  if (!due) return 'later';
  const now = new Date(at);
  const t = Date.parse(due.length === 10 ? `${due}T23:59:59` : due);
  if (t < now.getTime()) return 'overdue';
  return t - now.getTime() <= REMIND_HOURS * 3600_000 ? 'today' : 'later';
}

export function inboxItems(input: {
  userId: string;
  tickets: readonly InboxTicket[];
  tasks: readonly TaskRow[];
  approvals: readonly ApprovalRow[];
  now: Date | number;
}): InboxItem[] {
  const { userId, now } = input;
  const out: InboxItem[] = [];
  for (const t of input.tickets) {
    const assigned = t.assignee?.userId === userId && OPEN_TICKET.includes(t.status);
    const answer = t.requester === userId && t.status === 'waiting';
    if (!assigned && !answer) continue;
    out.push({
      kind: 'ticket',
      id: t.id,
      orgId: t.orgId,
      title: t.title,
      why: answer ? 'ticket-answer' : 'ticket-assigned',
      urgency: t.priority === 'P1' || answer ? 'today' : 'later'
    });
  }
  for (const r of input.tasks) {
    if (r.actions.length === 0) continue;
    out.push({
      kind: 'task',
      id: r.task.id,
      orgId: r.task.orgId,
      title: r.task.title,
      why: `task-${r.actions[0]}`,
      due: r.task.dueAt,
      urgency: urgencyOf(r.task.dueAt, now)
    });
  }
  for (const r of input.approvals) {
    if (!r.myStep) continue;
    out.push({
      kind: 'approval',
      id: r.doc.id,
      orgId: r.doc.orgId,
      title: `${r.doc.number} ${r.doc.supplier ?? r.doc.subject ?? ''}`.trim(),
      why: `approval-${r.myStep}`,
      due: r.doc.dueDate,
      urgency: urgencyOf(r.doc.dueDate, now)
    });
  }
  const rank: Record<Urgency, number> = { overdue: 0, today: 1, later: 2 };
  return out.sort((a, b) => rank[a.urgency] - rank[b.urgency] || (a.due ?? '9').localeCompare(b.due ?? '9'));
}

export const inboxCount = (items: readonly InboxItem[]) => items.length;
export const hasInboxWork = (items: readonly InboxItem[]) => items.length > 0;

/** An instant as ISO text (for the views that compare deadlines as text). */
export const isoAt = (ms: number) => new Date(ms).toISOString();
