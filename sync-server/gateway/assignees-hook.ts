/**
 * Who a batch's tickets are assigned to, read before the batch is judged: an open ticket may be
 * left with a named person only if they can work it in its organization (the helpdesk in the
 * central queue, a contractor of its district in theirs, `mayBeAssigned`). Another person's
 * roles live in their account, which only the server reads; the device offers the directory's
 * helpdesk people and the catalog's contractors, and this keeps anyone else out (a founder, a
 * teacher, an account that is gone), who would hold a ticket they cannot even read.
 */
import type nano from 'nano';
import { rolesInOrg, type OrgInfo, type Role } from '../../src/lib/domain/access';
import { isPlainObject } from '../../src/lib/domain/merge';
import type { TicketEvent } from '../../src/lib/domain/schemas/tickets';
import { deriveStatus } from '../../src/lib/domain/tickets/events';
import { activeUserDocs } from '../auth/users';
import type { BeginPortalBatch } from '../portal/write-hook';
import { GatewayError } from './handlers';

const eventIds = (events: unknown): Set<unknown> =>
  new Set(Array.isArray(events) ? events.map((e) => (isPlainObject(e) ? e.id : undefined)) : []);

/**
 * Whether a write may have its assignee judged: one that assigns (an `assign` event the stored
 * version lacks) or changes a resolved or closed ticket (a reopen, which the helpdesk's check
 * and the requester's hand-on read). Most writes of a worked ticket do neither (a status, a
 * field); reading their assignee's account would be a request for nothing. A document whose
 * stored version was not read (a new one) may.
 */
function mayBeJudged(doc: Record<string, unknown>, stored: ReadonlyMap<string, unknown> | undefined): boolean {
  const before = stored?.get(String(doc._id));
  if (!isPlainObject(before)) return true;
  // From the events, as the check reads it (the stored `status` is their cache).
  const status = Array.isArray(before.events) ? deriveStatus(before.events as TicketEvent[]) : before.status;
  if (status === 'resolved' || status === 'closed') return true;
  const old = eventIds(before.events);
  return Array.isArray(doc.events) && doc.events.some((e) => isPlainObject(e) && e.kind === 'assign' && !old.has(e.id));
}

/**
 * The people the documents leave their tickets with (each one's `assignee`, which the lifecycle
 * check holds to the ticket's last assignment), of the writes that may have it judged: at most
 * one name a document, not every name of its history.
 */
export function namedAssignees(docs: readonly unknown[], stored?: ReadonlyMap<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const d of docs) {
    if (
      isPlainObject(d) &&
      isPlainObject(d.assignee) &&
      typeof d.assignee.userId === 'string' &&
      mayBeJudged(d, stored)
    )
      ids.add(d.assignee.userId);
  }
  return [...ids];
}

export function assigneesBatch(couch: () => nano.ServerScope, orgs: () => readonly OrgInfo[]): BeginPortalBatch {
  return async (ref, docs, stored) => {
    if (ref.kind !== 'org' || ref.collection !== 'tickets') return null;
    const ids = namedAssignees(docs, stored);
    if (ids.length === 0) return null;
    const org = orgs().find((o) => o.id === ref.orgId);
    const accounts = await activeUserDocs(couch(), ids).catch(() => {
      throw new GatewayError(
        502,
        'unavailable',
        'could not read the accounts the tickets are assigned to; nothing was written, try again'
      );
    });
    const roles = new Map<string, readonly Role[] | null>();
    ids.forEach((id, i) => {
      const account = accounts[i];
      roles.set(
        id,
        account && org ? rolesInOrg({ id, name: account.name, memberships: account.memberships }, org) : null
      );
    });
    return { hooks: { assigneeRoles: (id) => roles.get(id) }, release() {} };
  };
}
