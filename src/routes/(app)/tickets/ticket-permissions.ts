/**
 * Whether the UI offers a change at all: the same rules the gateway enforces, asked before
 * the write so a person is not invited to do what the server will refuse. The server still
 * decides; a refusal that slips through (rights changed while offline) is shown by the sync.
 */
import { rolesInOrg, type OrgInfo, type SessionUser } from '../../../lib/domain/access';
import { orgDb, parseDbName } from '../../../lib/domain/databases';
import type { Ticket } from '../../../lib/domain/schemas';
import { checkWrite } from '../../../lib/domain/write-rules';

export function canChangeTicket(
  user: SessionUser,
  databases: readonly { db: string; write: boolean }[],
  org: OrgInfo | undefined,
  ticket: Ticket,
  change: Partial<Ticket> = {}
): boolean {
  const name = orgDb(ticket.orgId, 'tickets');
  if (!databases.some((d) => d.db === name && d.write)) return false;
  const db = parseDbName(name);
  if (!db) return false;
  const roles = org ? rolesInOrg(user, org) : user.memberships.filter((x) => x.org === ticket.orgId).map((x) => x.role);
  const after = { ...ticket, ...change, updatedBy: user.id } as Record<string, unknown>;
  return checkWrite({ user, roles, db, org, before: ticket as unknown as Record<string, unknown>, after }) === null;
}
