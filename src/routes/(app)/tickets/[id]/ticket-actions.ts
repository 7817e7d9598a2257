/**
 * The lifecycle buttons a person sees on a ticket: exactly the transitions the shared rules
 * (`allowedTransitions`) give their roles in the ticket's organization, each with the text it
 * needs. Assigning is not a button here (its own panel); moving to `assigned` is done by it.
 */
import type { Role } from '../../../../lib/domain/access';
import type { Assignee, Ticket, TicketStatus } from '../../../../lib/domain/schemas';
import type { EventInput } from '../../../../lib/domain/tickets/build';
import { allowedTransitions, mayAssign, textRequired } from '../../../../lib/domain/tickets/lifecycle';

export type ActionKind = 'start' | 'ask' | 'answer' | 'resume' | 'resolve' | 'confirm' | 'reopen' | 'cancel';

export interface TicketAction {
  kind: ActionKind;
  to: TicketStatus;
  /** What the form asks for; `question` and `answer` are required by the UI, not the domain. */
  text: 'summary' | 'reason' | 'question' | 'answer' | null;
}

function kindOf(from: TicketStatus, to: TicketStatus, requesterSide: boolean): ActionKind | null {
  if (to === 'in_progress') {
    if (from === 'resolved' || from === 'closed') return 'reopen';
    if (from === 'waiting') return requesterSide ? 'answer' : 'resume';
    return 'start';
  }
  if (to === 'waiting') return 'ask';
  if (to === 'resolved') return 'resolve';
  if (to === 'closed') return from === 'resolved' ? 'confirm' : 'cancel';
  return null;
}

export function ticketActions(t: Ticket, roles: readonly Role[], userId: string): TicketAction[] {
  const staff =
    roles.some((r) => r === 'agent' || r === 'admin') ||
    (roles.includes('contractor') && t.assignee?.userId === userId);
  const out: TicketAction[] = [];
  for (const to of allowedTransitions(t.status, roles, t, userId)) {
    const kind = kindOf(t.status, to, !staff);
    if (!kind) continue;
    const need = textRequired(t.status, to);
    const text = need ?? (kind === 'ask' ? 'question' : kind === 'answer' ? 'answer' : null);
    out.push({ kind, to, text });
  }
  return out;
}

/** Whether the action takes the ticket over from whoever has it: "start" by someone it is not assigned to. */
export const takesOver = (a: TicketAction, t: Ticket, userId: string) =>
  a.kind === 'start' && t.assignee?.userId !== userId;

/**
 * The events an action appends. Starting work on a ticket someone else has (or only a queue)
 * makes it the person's own first, as the button says ("take over"), where they may assign it
 * to themselves: the status alone left it with the contractor while the desk worked on it.
 */
export function actionEvents(
  a: TicketAction,
  t: Ticket,
  roles: readonly Role[],
  userId: string,
  text: string
): EventInput[] {
  const status: EventInput = { kind: 'status', to: a.to, ...(text ? { text } : {}) };
  if (!takesOver(a, t, userId)) return [status];
  const desk = roles.some((r) => r === 'agent' || r === 'admin');
  const self: Assignee = { queue: desk ? 'central' : 'contractor', userId };
  return mayAssign(t.status, self, roles, t, userId) ? [{ kind: 'assign', assignee: self }, status] : [status];
}

/** Where this person may assign the ticket, from the candidates the screen offers. */
export function assignable(
  t: Ticket,
  roles: readonly Role[],
  userId: string,
  candidates: readonly Assignee[]
): Assignee[] {
  return candidates.filter((a) => mayAssign(t.status, a, roles, t, userId));
}

/** Candidates: the central queue, the district's contractors (their queue and in person), IT people by name. */
export function assignCandidates(
  district: string | undefined,
  contractors: readonly { userId?: string; districts?: readonly string[] }[],
  centralPeople: readonly string[]
): Assignee[] {
  const out: Assignee[] = [{ queue: 'central' }];
  const ofDistrict = contractors.filter((c) => c.userId && district && c.districts?.includes(district));
  if (ofDistrict.length) out.push({ queue: 'contractor' });
  for (const c of ofDistrict) out.push({ queue: 'contractor', userId: c.userId });
  for (const p of centralPeople) out.push({ queue: 'central', userId: p });
  return out;
}

export const assigneeKey = (a: Assignee | undefined) => (a ? `${a.queue}:${a.userId ?? ''}` : '');
