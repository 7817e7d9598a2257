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
import { isOpenStatus } from '../../src/lib/domain/tickets/lifecycle';
import { activeUserDocs } from '../auth/users';
import type { BeginPortalBatch } from '../portal/write-hook';
import { GatewayError } from './handlers';

const eventIds = (events: unknown): Set<unknown> =>
  new Set(Array.isArray(events) ? events.map((e) => (isPlainObject(e) ? e.id : undefined)) : []);

const userIdOf = (assignee: unknown): string | undefined =>
  isPlainObject(assignee) && typeof assignee.userId === 'string' ? assignee.userId : undefined;

/**
 * The people whose accounts judging one write may need: none for most writes of a worked ticket
 * (a status, a field), which neither assign nor change a resolved or closed ticket; reading their
 * assignee's account would be a request for nothing.
 * - A new ticket (or one whose stored version was not read): the `assignee` it is sent with. All
 *   its events are new, stamped with one receipt time, so the server orders them as the device
 *   did and derives that same person.
 * - A write that assigns (an `assign` event the stored version lacks): each person those events
 *   name, besides the sent `assignee`. New events sort after the stored ones in the server's
 *   order, so the person it derives is one of them even when the device, which ordered them by
 *   its own clock, sent another.
 * - A change to a resolved or closed ticket (a reopen, which the helpdesk's check and the
 *   requester's hand-on read): the stored assignee too.
 * Not every name of a ticket's history: an imported one may hold hundreds.
 */
function judgedPeople(doc: Record<string, unknown>, stored: ReadonlyMap<string, unknown> | undefined): string[] {
  const sent = userIdOf(doc.assignee);
  const before = stored?.get(String(doc._id));
  if (!isPlainObject(before)) return sent ? [sent] : [];
  // From the events, as the check reads it (the stored `status` is their cache).
  const status = Array.isArray(before.events) ? deriveStatus(before.events as TicketEvent[]) : before.status;
  const reopens = !isOpenStatus(String(status));
  const old = eventIds(before.events);
  const assigned = (Array.isArray(doc.events) ? doc.events : [])
    .filter((e) => isPlainObject(e) && e.kind === 'assign' && !old.has(e.id))
    .map((e) => userIdOf((e as Record<string, unknown>).assignee));
  if (!reopens && assigned.length === 0) return [];
  return [sent, ...assigned, reopens ? userIdOf(before.assignee) : undefined].filter(
    (id): id is string => id !== undefined
  );
}

/** The people whose accounts judging the batch's writes may need (`judgedPeople`), each once. */
export function namedAssignees(docs: readonly unknown[], stored?: ReadonlyMap<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const d of docs) if (isPlainObject(d)) for (const id of judgedPeople(d, stored)) ids.add(id);
  return [...ids];
}

/** People whose accounts one batch may have read: one per ticket of the largest batch. */
const MAX_PEOPLE = 1000;

export function assigneesBatch(couch: () => nano.ServerScope, orgs: () => readonly OrgInfo[]): BeginPortalBatch {
  return async (ref, docs, stored) => {
    if (ref.kind !== 'org' || ref.collection !== 'tickets') return null;
    const ids = namedAssignees(docs, stored);
    if (ids.length === 0) return null;
    if (ids.length > MAX_PEOPLE)
      throw new GatewayError(
        413,
        'too_large',
        `the batch assigns tickets to more than ${MAX_PEOPLE} people; send smaller batches`
      );
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
