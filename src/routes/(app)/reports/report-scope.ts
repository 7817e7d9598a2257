/**
 * Whose figures a person sees in the reports. The device holds only what the person may
 * replicate, so this narrows further, never widens: the helpdesk and administrators see the
 * whole region, a contractor the tickets they were assigned or resolved (so only their own
 * payment rows), a manager the tickets of the organizations they manage.
 */
import { hasRole, orgsInScope, type OrgInfo, type SessionUser } from '../../../lib/domain/access';
import type { Ticket } from '../../../lib/domain/schemas';
import { deriveAssignee, resolvingEvent } from '../../../lib/domain/tickets/events';

export interface ReportScope {
  all: boolean;
  contractor?: string;
  orgIds: ReadonlySet<string>;
}

export function reportScope(user: SessionUser, orgs: readonly OrgInfo[]): ReportScope {
  const all = hasRole(user, 'admin') || hasRole(user, 'agent');
  const orgIds = new Set(
    user.memberships.filter((m) => m.role === 'manager').flatMap((m) => orgsInScope(m, orgs).map((o) => o.id))
  );
  return { all, contractor: hasRole(user, 'contractor') ? user.id : undefined, orgIds };
}

export function mayViewReports(scope: ReportScope): boolean {
  return scope.all || scope.contractor !== undefined || scope.orgIds.size > 0;
}

export function inScope(scope: ReportScope, t: Pick<Ticket, 'orgId' | 'events'>): boolean {
  if (scope.all || scope.orgIds.has(t.orgId)) return true;
  if (!scope.contractor) return false;
  return resolvingEvent(t.events)?.by === scope.contractor || deriveAssignee(t.events)?.userId === scope.contractor;
}
