/**
 * The "my work" inbox: everything waiting on one person across every organization they work
 * for, most urgent first (overdue, due today, reminders due, later). The inbox is a list of
 * SOURCES (tickets, tasks, approval documents, contracts…): each turns the records on the
 * device into `InboxItem`s with the pure functions here or in its own module, and
 * `mergeInbox` orders them. A new source adds a function and one row to the screen's
 * registry (`$lib/ui/portal/inbox-sources.ts`); nothing here changes. Pure.
 */
import type { ApprovalRow } from './approval-view';
import { compareCzech } from '../czech-order';
import { leadsFor, timing, type ReminderPolicy, type Urgency } from './reminders';
import type { TaskRow } from './task-view';

export type { Urgency } from './reminders';

export interface InboxItem {
  /** The source that listed it (a row of the registry): tells the screen where it leads. */
  source: string;
  /** Kind of record (ticket, task, order, invoice, prislib, contract…): picks the reminder lead times. */
  kind: string;
  id: string;
  orgId: string;
  title: string;
  /** What the person is to do, as a code the screen translates. */
  why: string;
  due?: string;
  urgency: Urgency;
  daysLeft?: number;
  /** The reminder reached: this many days before the deadline. */
  remindDays?: number;
}

export interface InboxTicket {
  id: string;
  orgId: string;
  title: string;
  status: string;
  requester?: string;
  assignee?: { userId?: string };
  priority?: string;
}

export interface InboxContext {
  userId: string;
  now: Date | number;
  policy?: ReminderPolicy;
}

/** Ticket states in which the assignee has work; `waiting` is the requester's turn. */
export const OPEN_TICKET = ['new', 'assigned', 'in_progress'] as const;

/** Tickets assigned to the person and open, or waiting for the person's answer. */
export function ticketItems(tickets: readonly InboxTicket[], ctx: InboxContext): InboxItem[] {
  const out: InboxItem[] = [];
  for (const t of tickets) {
    const assigned = t.assignee?.userId === ctx.userId && (OPEN_TICKET as readonly string[]).includes(t.status);
    const answer = t.requester === ctx.userId && t.status === 'waiting';
    if (!assigned && !answer) continue;
    out.push({
      source: 'tickets',
      kind: 'ticket',
      id: t.id,
      orgId: t.orgId,
      title: t.title,
      why: answer ? 'ticket-answer' : 'ticket-assigned',
      // A ticket's clock is its SLA (shown on the ticket); here an urgent one or an open question comes first.
      urgency: t.priority === 'P1' || answer ? 'today' : 'later'
    });
  }
  return out;
}

/**
 * The steps that are work waiting on the person. Passing a task on again while a worker holds
 * it is allowed (a change of worker) but waits on nobody: the worker has it.
 */
export function taskWork(r: Pick<TaskRow, 'actions' | 'status'>): TaskRow['actions'] {
  return r.actions
    .filter((a) => !(a === 'assign' && r.status.state === 'assigned'))
    .sort((a, b) => FORWARD.indexOf(a) - FORWARD.indexOf(b));
}

/** The step that moves a task on comes first in the inbox's "what to do" (a return is the exception). */
const FORWARD: readonly TaskRow['actions'][number][] = [
  'accept',
  'done',
  'confirm',
  'report',
  'accept-up',
  'assign',
  'return',
  'return-up',
  'comment',
  'evidence'
];

/** Tasks on which the person has a step to take (accept, do, check, accept back). */
export function taskItems(rows: readonly TaskRow[], ctx: InboxContext): InboxItem[] {
  return rows.flatMap((r) => {
    const work = taskWork(r);
    if (work.length === 0) return [];
    return [
      {
        source: 'tasks',
        kind: 'task',
        id: r.task.id,
        orgId: r.task.orgId,
        title: r.task.title,
        why: `task-${work[0]}`,
        due: r.task.dueAt,
        ...timing(r.task.dueAt, ctx.now, leadsFor('task', r.task.remindDays, ctx.policy))
      }
    ];
  });
}

/** Documents at a step the person may decide now. */
export function approvalItems(rows: readonly ApprovalRow[], ctx: InboxContext): InboxItem[] {
  return rows
    .filter((r) => r.myStep)
    .map((r) => ({
      source: 'approvals',
      kind: r.doc.type,
      id: r.doc.id,
      orgId: r.doc.orgId,
      title: `${r.doc.number} ${r.doc.supplier ?? r.doc.subject ?? ''}`.trim(),
      why: `approval-${r.myStep}`,
      due: r.doc.dueDate,
      ...timing(r.doc.dueDate, ctx.now, leadsFor(r.doc.type, undefined, ctx.policy))
    }));
}

const RANK: Record<Urgency, number> = { overdue: 0, today: 1, soon: 2, later: 3 };

/** One list from every source: by urgency, then the nearest deadline, then title. */
export function mergeInbox(...lists: readonly (readonly InboxItem[])[]): InboxItem[] {
  return lists
    .flat()
    .sort(
      (a, b) =>
        RANK[a.urgency] - RANK[b.urgency] ||
        (a.due ?? '9').localeCompare(b.due ?? '9') ||
        compareCzech(a.title, b.title)
    );
}

/** The inbox of the original three sources at once (tests, callers without the registry). */
export function inboxItems(input: {
  userId: string;
  tickets: readonly InboxTicket[];
  tasks: readonly TaskRow[];
  approvals: readonly ApprovalRow[];
  now: Date | number;
  policy?: ReminderPolicy;
}): InboxItem[] {
  const ctx: InboxContext = { userId: input.userId, now: input.now, policy: input.policy };
  return mergeInbox(ticketItems(input.tickets, ctx), taskItems(input.tasks, ctx), approvalItems(input.approvals, ctx));
}

/** Items per urgency group, for the groups' headings. */
export function countByUrgency(items: readonly InboxItem[]): Record<Urgency, number> {
  const out: Record<Urgency, number> = { overdue: 0, today: 0, soon: 0, later: 0 };
  for (const i of items) out[i.urgency]++;
  return out;
}

export const hasInboxWork = (items: readonly InboxItem[]) => items.length > 0;

/** An instant as ISO text (for the views that compare deadlines as text). */
export const isoAt = (ms: number) => new Date(ms).toISOString();
