/**
 * The write rule of the tickets collection, run by the gateway on every pushed ticket (and by
 * the client before it saves, to say no early). A ticket changes by appending events; each new
 * event is judged against the state the ticket was in at that event's place in (at, id) order,
 * so a decision made offline is checked again when it reaches the server.
 */
import type { Role, SessionUser } from '../access';
import { deepEqual } from '../merge';
import type { Assignee, Ticket, TicketEvent } from '../schemas/tickets';
import { SYSTEM_USER, type AssigneeRoles, type AssignRules } from './auto-assign';
import { assigneeOfOrdered, deriveStatus, sameAssignee, sortEvents, statusOfOrdered } from './events';
import {
  actingRoles,
  allowedTransitions,
  isOpenStatus,
  mayAdd,
  mayAssign,
  mayBeAssigned,
  mayCreate,
  textRequired,
  type TicketFacts
} from './lifecycle';

export interface TicketCatalog {
  categories: readonly string[];
  priorities?: readonly string[];
  /** The district rule the server routes new tickets by (see `routingEvent`). */
  assign?: AssignRules;
}

/** Only the server knows other people's roles; a device's own check goes without. */
export type { AssigneeRoles };

const TRIAGE_FIELDS = ['category', 'priority'] as const;
const TEXT_FIELDS = ['title', 'description', 'site', 'assetId'] as const;

/** `before`: the ticket's events ahead of `e`, in (at, id) order. */
function checkEvent(
  e: TicketEvent,
  before: readonly TicketEvent[],
  user: SessionUser,
  roles: readonly Role[],
  ticket: Ticket
): string | null {
  if (e.by !== user.id) return `Event ${e.id} must be recorded by you (${user.id}), not by ${e.by}.`;
  const status = statusOfOrdered(before);
  const facts: TicketFacts = {
    requester: ticket.requester,
    createdBy: ticket.createdBy,
    assignee: assigneeOfOrdered(before)
  };
  switch (e.kind) {
    case 'status': {
      if (!e.to) return `Status change ${e.id} has no target status.`;
      if (!allowedTransitions(status, roles, facts, user.id).includes(e.to)) {
        return `You may not move this ticket from ${status} to ${e.to}.`;
      }
      const need = textRequired(status, e.to);
      if (need && !e.text?.trim()) {
        return need === 'summary'
          ? 'Resolving a ticket needs a summary of the solution.'
          : `Moving a ticket from ${status} to ${e.to} needs a reason.`;
      }
      return null;
    }
    case 'assign':
      if (!e.assignee) return `Assignment ${e.id} names nobody.`;
      return mayAssign(status, e.assignee, roles, facts, user.id)
        ? null
        : `You may not assign this ticket now (it is ${status}).`;
    case 'note':
      return mayAdd('note', roles, facts, user.id) ? null : 'Only IT staff may add internal notes.';
    case 'comment':
    case 'attachment':
      if (e.kind === 'comment' && !e.text?.trim()) return 'A comment needs some text.';
      if (e.kind === 'attachment' && !e.mediaId) return 'An attachment must name its file.';
      return mayAdd(e.kind, roles, facts, user.id) ? null : 'You may not add to this ticket.';
  }
}

function assigneeRefusal(to: Assignee | undefined, assigneeRoles: AssigneeRoles | undefined): string | null {
  if (to?.userId === undefined || !assigneeRoles) return null;
  const held = assigneeRoles(to.userId);
  if (!held) return `There is no active account ${to.userId} to assign this ticket to.`;
  if (mayBeAssigned(to, held)) return null;
  return to.queue === 'central'
    ? `${to.userId} is not on the helpdesk of this organization and could not work on the ticket; assign it to someone of the helpdesk.`
    : `${to.userId} is not a contractor of this organization's district and could not work on the ticket; assign it to one who is.`;
}

function checkFields(user: SessionUser, roles: readonly Role[], before: Ticket, after: Ticket): string | null {
  const changed = (f: keyof Ticket) => !deepEqual(before[f], after[f]);
  const acting = actingRoles(roles, before, user.id);
  const staff = acting.includes('agent') || acting.includes('admin');
  const requesterSide = acting.includes('requester') || acting.includes('manager');
  // Routing by the server (`system`) is not the helpdesk taking the ticket: the requester may
  // still correct it until a person of IT has acted on it.
  const stillNew =
    ['new', 'assigned'].includes(deriveStatus(before.events)) &&
    before.events.every((e) => e.by === SYSTEM_USER || e.by === before.requester || e.by === before.createdBy);
  if (changed('requester') && !staff) return 'Only the helpdesk may change who a ticket is for.';
  for (const f of [...TRIAGE_FIELDS, ...TEXT_FIELDS]) {
    if (!changed(f) || staff || (requesterSide && stillNew)) continue;
    return requesterSide
      ? `The ${f} can no longer be changed: the helpdesk has taken the ticket.`
      : `You may not change the ${f} of this ticket.`;
  }
  return null;
}

/** Null when `user` (with `roles` in the ticket's organization) may turn `before` into `after`; else why not. */
export function checkTicketChange(
  user: SessionUser,
  roles: readonly Role[],
  before: Ticket | undefined,
  after: Ticket,
  catalog?: TicketCatalog,
  assigneeRoles?: AssigneeRoles
): string | null {
  if (!before && !mayCreate(roles, after.requester, user.id))
    return 'You may not create tickets for this person in this organization.';
  if (!before && after.createdBy !== user.id) return 'A new ticket must be created by you.';

  // A new ticket mostly comes with no events at all: the sets are made only where there is
  // something to compare (a batch judges a thousand tickets).
  if (after.events.length > 1) {
    const ids = new Set<string>();
    for (const e of after.events) {
      if (ids.has(e.id)) return `Event id ${e.id} is used twice.`;
      ids.add(e.id);
    }
  }
  // The stored events' ids, none for a new ticket.
  let old: Set<string> | null = null;
  if (before?.events.length) {
    const afterById = new Map(after.events.map((e) => [e.id, e]));
    for (const e of before.events) {
      const now = afterById.get(e.id);
      if (!now) return `Event ${e.id} was removed; ticket history is append-only.`;
      if (!deepEqual(now, e)) return `Event ${e.id} was changed; ticket history is append-only.`;
    }
    old = new Set(before.events.map((e) => e.id));
  }

  const all = sortEvents(after.events);
  for (let i = 0; i < all.length; i++) {
    if (old?.has(all[i].id)) continue;
    const reason = checkEvent(all[i], all.slice(0, i), user, roles, after);
    if (reason) return reason;
  }

  // `all` is in order: status and assignee read it without sorting it again.
  const status = statusOfOrdered(all);
  const assignee = assigneeOfOrdered(all);
  if (after.status !== status) return `The status must be ${status}, as the ticket's events say, not ${after.status}.`;
  if (!sameAssignee(after.assignee, assignee)) return "The assignee must match the ticket's last assignment.";
  // The assignment this write leaves in force on an open ticket, when the write assigns it or the
  // helpdesk reopens it (a resolved one's assignee was not judged): a closed ticket's, say an
  // imported history naming people since gone, holds no work. A requester's reopen is not
  // refused for it: the server hands such a ticket on (`requeueReopened`).
  const assigns = all.some((e) => !old?.has(e.id) && e.kind === 'assign');
  const reopens =
    !!before &&
    !isOpenStatus(deriveStatus(before.events)) &&
    actingRoles(roles, before, user.id).some((r) => r === 'agent' || r === 'admin');
  if (isOpenStatus(status) && (assigns || reopens)) {
    const reason = assigneeRefusal(assignee, assigneeRoles);
    if (reason) return reason;
  }

  if (before) {
    const reason = checkFields(user, roles, before, after);
    if (reason) return reason;
  }
  if (catalog && (!before || before.category !== after.category) && !catalog.categories.includes(after.category)) {
    return `Unknown category ${after.category}.`;
  }
  if (
    catalog?.priorities &&
    (!before || before.priority !== after.priority) &&
    !catalog.priorities.includes(after.priority)
  ) {
    return `Unknown priority ${after.priority}.`;
  }
  return null;
}
