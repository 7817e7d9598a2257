/**
 * Who may move a ticket where, like a service desk (GLPI, Jira Service Management):
 *
 * | role       | on which tickets           | transitions                                                   |
 * |------------|----------------------------|---------------------------------------------------------------|
 * | requester  | own (requester or creator) | cancel new → closed, answer waiting → in_progress,            |
 * |            |                            | confirm resolved → closed, reopen resolved/closed → in_progress |
 * | manager    | every ticket of the org    | as requester                                                  |
 * | contractor | assigned to them           | assigned → in_progress, in_progress ↔ waiting,                |
 * |            |                            | in_progress → resolved                                        |
 * | agent      | all                        | every transition of the graph                                 |
 * | admin      | all                        | every transition of the graph                                 |
 *
 * Resolving needs a summary, reopening and cancelling need a reason. Comments: everyone
 * above on the tickets they act on; internal notes: agent, contractor, admin. Assigning:
 * agent and admin; a contractor may take an unclaimed contractor-queue ticket or hand one
 * of theirs back to the central queue. Nobody assigns a resolved or closed ticket.
 */
import { rolesInOrg, type DbAccess, type OrgInfo, type Role, type SessionUser } from '../access';
import { writableOrgIds } from '../databases';
import type { Assignee, Ticket, TicketEventKind, TicketStatus } from '../schemas/tickets';

/** Every transition that exists, whoever makes it. */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['assigned', 'in_progress', 'closed'],
  assigned: ['in_progress', 'closed'],
  in_progress: ['waiting', 'resolved'],
  waiting: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress']
};

type Edge = `${TicketStatus}>${TicketStatus}`;
const ALL_EDGES = Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}` as Edge));
const REQUESTER_EDGES: Edge[] = [
  'new>closed',
  'waiting>in_progress',
  'resolved>closed',
  'resolved>in_progress',
  'closed>in_progress'
];
const CONTRACTOR_EDGES: Edge[] = [
  'assigned>in_progress',
  'in_progress>waiting',
  'waiting>in_progress',
  'in_progress>resolved'
];

export const TICKET_ROLES = ['requester', 'manager', 'contractor', 'agent', 'admin'] as const;
export type TicketRole = (typeof TICKET_ROLES)[number];

/** What of a ticket the rules look at; `assignee` is the one at the moment of the action. */
export type TicketFacts = Pick<Ticket, 'requester' | 'createdBy' | 'assignee'>;

/** Whether work is still to be done on a ticket in this status (not resolved or closed). */
export const isOpenStatus = (status: string) => status !== 'resolved' && status !== 'closed';

export const isOwn = (t: TicketFacts, userId: string) => t.requester === userId || t.createdBy === userId;
export const isAssignedTo = (t: TicketFacts, userId: string) =>
  t.assignee?.queue === 'contractor' && t.assignee.userId === userId;

/** The roles that act on this ticket, each with the tickets it covers applied. */
export function actingRoles(roles: readonly Role[], t: TicketFacts, userId: string): TicketRole[] {
  const acting = new Set<TicketRole>();
  for (const r of roles) {
    if (r === 'agent' || r === 'admin' || r === 'manager') acting.add(r);
    else if (r === 'requester' && isOwn(t, userId)) acting.add(r);
    else if (r === 'contractor' && isAssignedTo(t, userId)) acting.add(r);
  }
  return [...acting];
}

function edgesOf(role: TicketRole): readonly Edge[] {
  if (role === 'agent' || role === 'admin') return ALL_EDGES;
  return role === 'contractor' ? CONTRACTOR_EDGES : REQUESTER_EDGES;
}

/** Statuses this user may move the ticket to from `status`. */
export function allowedTransitions(
  status: TicketStatus,
  roles: readonly Role[],
  t: TicketFacts,
  userId: string
): TicketStatus[] {
  const edges = new Set(actingRoles(roles, t, userId).flatMap(edgesOf));
  return TRANSITIONS[status].filter((to) => edges.has(`${status}>${to}`));
}

export type TextNeed = 'summary' | 'reason' | null;

/** Text a status change must carry: a resolution summary, or the reason of a reopen or cancel. */
export function textRequired(from: TicketStatus, to: TicketStatus): TextNeed {
  if (to === 'resolved') return 'summary';
  if (to === 'in_progress' && (from === 'resolved' || from === 'closed')) return 'reason';
  if (to === 'closed' && (from === 'new' || from === 'assigned')) return 'reason';
  return null;
}

/** Whether the user may add an event of this kind (status and assign have their own rules). */
export function mayAdd(
  kind: Exclude<TicketEventKind, 'status' | 'assign'>,
  roles: readonly Role[],
  t: TicketFacts,
  userId: string
): boolean {
  const acting = actingRoles(roles, t, userId);
  if (kind === 'note') return acting.some((r) => r === 'agent' || r === 'admin' || r === 'contractor');
  return acting.length > 0;
}

export function mayAssign(
  status: TicketStatus,
  to: Assignee,
  roles: readonly Role[],
  t: TicketFacts,
  userId: string
): boolean {
  if (!isOpenStatus(status)) return false;
  const acting = actingRoles(roles, t, userId);
  if (acting.includes('agent') || acting.includes('admin')) return true;
  if (!roles.includes('contractor')) return false;
  const handBack = isAssignedTo(t, userId) && to.queue === 'central' && to.userId === undefined;
  const take =
    t.assignee?.queue === 'contractor' && !t.assignee.userId && to.queue === 'contractor' && to.userId === userId;
  return handBack || take;
}

/**
 * Whether a person holding `roles` in the ticket's organization can work it once it is theirs:
 * the central queue's people are the helpdesk (agent or admin), the contractor queue's are the
 * district's contractors. A ticket named to anyone else lands where nobody can read it.
 */
export function mayBeAssigned(to: Assignee, roles: readonly Role[]): boolean {
  if (to.userId === undefined) return true;
  return to.queue === 'central' ? roles.some((r) => r === 'agent' || r === 'admin') : roles.includes('contractor');
}

/** Who may create a ticket in an organization, and for whom. */
export function mayCreate(roles: readonly Role[], requester: string, userId: string): boolean {
  if (roles.some((r) => r === 'agent' || r === 'admin' || r === 'manager')) return true;
  return roles.includes('requester') && requester === userId;
}

/**
 * The organizations, of those whose tickets the person may write (their `databases`), where
 * they may report a problem of their own: a contractor writes the tickets of a district (the
 * work given to them) but creates none, and a form offering one would only be refused.
 */
export function orgsToReportIn(user: SessionUser, databases: readonly DbAccess[], orgs: readonly OrgInfo[]): string[] {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  // An organization not read yet (a new device's first minutes): the roles that may create are
  // held in the organization itself or region-wide, never through its district.
  return writableOrgIds(databases, 'tickets').filter((id) =>
    mayCreate(rolesInOrg(user, byId.get(id) ?? { id, district: '' }), user.id, user.id)
  );
}
