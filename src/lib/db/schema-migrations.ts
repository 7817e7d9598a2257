/**
 * Local schema versions. A device keeps its collections between app versions, and RxDB refuses
 * to open a collection whose stored schema differs from the code's under the same version
 * number, which would leave the whole app unable to open (and the person's unsent work out of
 * reach). So every change of a collection's schema bumps its version in the shared schema and
 * adds a step here; `schema-migrations.test.ts` fails when a version has no step.
 *
 * Version 1 (server receipt times on events, the winter and portal document types, notes in
 * their own database): documents keep their shape; tickets drop legacy `note` events, which
 * the server has moved to the staff-only notes database.
 *
 * Tickets version 2 (the list's indexes, see `src/lib/ui/list/ticket-lists.ts`): documents
 * keep their shape; the storage is rewritten once with the new indexes.
 *
 * Tickets version 3: the device's own `assigneeId` (the person named in `assignee`, else ''),
 * indexed for the inbox; the server's documents do not change (replaced in version 5).
 *
 * Tickets version 4: three indexes fewer (`updatedAt`, `status`, `[orgId, updatedAt]`, each the
 * prefix of or a set of ranges on one that stays, see `collections.ts`); documents keep their
 * shape, the storage is rewritten once without them.
 *
 * Tickets version 5: the device's `inbox` object (`ticket-inbox.ts`: the named assignee of an
 * open ticket, the requester of a waiting one) replaces `assigneeId`, and the inbox indexes hold
 * only the tickets an inbox lists. Version 3's `assigneeId` is left to version 5 to remove.
 *
 * Tickets version 6: three indexes fewer (`[status, createdAt]`, `[status, priority, updatedAt]`
 * and `[status, title]`: the ticket list and the queue's history in those orders are answered by
 * the search index, `ticket-lists.ts`); documents keep their shape, the storage is rewritten once
 * without them.
 *
 * Assets version 2: the asset module's one collection holds every kind of its records, told
 * apart by `type` (`domain/assets/registry.ts`); what the device has is an asset, and its
 * warranty end becomes a calendar day.
 *
 * Tasks version 2: the optional reminder lead times (`remindDays`); documents keep their shape.
 *
 * Approvals version 2: a decision records what its decider saw (`seen`: amount, currency,
 * supplier); documents keep their shape.
 *
 * Dispatch version 2: the device's own `decidedAt` (the server's receipt, else the creation),
 * indexed alone and after `entry` for the winter screens (`dispatch-time.ts`); the server's
 * documents do not change.
 *
 * Region version 3: a person's card may carry `desk` (on the helpdesk, `onHelpdesk`), which the
 * ticket's assign list offers by name; documents keep their shape.
 */
import type { MigrationStrategies } from 'rxdb';
import { withoutNoteEvents } from '../domain/tickets/notes';
import type { DataCollection } from './collections';
import { withInboxFields } from './ticket-inbox';
import { withDecidedAt } from './dispatch-time';

const same = (doc: unknown) => doc;

function assetV2(doc: Record<string, unknown>) {
  const { warrantyUntil, ...rest } = doc;
  const warrantyEnd = typeof warrantyUntil === 'string' ? warrantyUntil.slice(0, 10) : undefined;
  return {
    ...rest,
    type: 'asset',
    key: typeof rest.inventoryNo === 'string' ? rest.inventoryNo.slice(0, 40) : '',
    refId: '',
    state: typeof rest.state === 'string' ? rest.state : '',
    day: warrantyEnd ?? '',
    ...(warrantyEnd ? { warrantyEnd } : {})
  };
}

export const MIGRATIONS: Partial<Record<DataCollection, MigrationStrategies>> = {
  tickets: {
    1: (doc) => withoutNoteEvents(doc),
    2: same,
    3: same,
    4: same,
    // `withInboxFields` also drops version 3's retired `assigneeId`.
    5: (doc) => withInboxFields(doc),
    6: same,
    7: same
  },
  tasks: { 1: same, 2: same },
  approvals: { 1: same, 2: same },
  assets: { 1: same, 2: assetV2 },
  dispatch: { 1: same, 2: (doc) => withDecidedAt(doc) },
  // Region version 1: catalog entries may carry SLA calendar fields; version 2: an organization's
  // dated finance flags; version 3: a person's card may say they are on the helpdesk (`desk`).
  // Documents keep their shape.
  region: { 1: same, 2: same, 3: same }
};
