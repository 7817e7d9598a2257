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
import { activeUserDocs } from '../auth/users';
import type { BeginPortalBatch } from '../portal/write-hook';
import { GatewayError } from './handlers';

/**
 * The people the documents leave their tickets with (each one's `assignee`, which the lifecycle
 * check holds to the ticket's last assignment): at most one name a document, not every name of
 * its history.
 */
export function namedAssignees(docs: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const d of docs) {
    if (isPlainObject(d) && isPlainObject(d.assignee) && typeof d.assignee.userId === 'string')
      ids.add(d.assignee.userId);
  }
  return [...ids];
}

export function assigneesBatch(couch: () => nano.ServerScope, orgs: () => readonly OrgInfo[]): BeginPortalBatch {
  return async (ref, docs) => {
    if (ref.kind !== 'org' || ref.collection !== 'tickets') return null;
    const ids = namedAssignees(docs);
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
