/**
 * The ticket list's views as index plans: which index each filter and sort order reads, and
 * how its ranges combine. Every plan read through an index needs it in the local tickets schema
 * (the client indexes of `src/lib/db/collections.ts`; the test checks each one is there).
 *
 * The default order (last change first, the one every list opens with, and what the queue's
 * open work is read by before it is sorted by urgency) is read through the device's index:
 * `open` (four statuses) and `all` (six) become one range per status, merged, and an
 * organization narrows each range. The other orders (created, priority, title) have no index
 * on the device: the search index keeps every ticket's list fields in those orders and answers
 * the view (`bySearchIndex`), which spares every first sync three indexes (README).
 */
import { TICKET_STATUSES, type Priority, type TicketStatus } from '../../domain/schemas';
import type { ListPlan, ListRange } from './keyset';

export const TICKET_SORTS = ['updated', 'created', 'priority', 'title'] as const;
export type TicketListSort = (typeof TICKET_SORTS)[number];

export const OPEN_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting'];

export interface TicketListRow {
  id: string;
  orgId: string;
  title: string;
  status: TicketStatus;
  priority: Priority;
  createdAt: string;
  updatedAt: string;
}

export interface TicketListFilter {
  /** `open`: new, assigned, in progress or waiting; `''`: every status. */
  status: TicketStatus | 'open' | '';
  orgId?: string;
  /** Priorities to show (queue); all when absent or empty. */
  priorities?: readonly Priority[];
  sort: TicketListSort;
}

const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const asc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The orders, as the index walks them: ties go by id in the same direction. */
export const TICKET_ORDER: Record<TicketListSort, (a: TicketListRow, b: TicketListRow) => number> = {
  updated: (a, b) => desc(a.updatedAt, b.updatedAt) || desc(a.id, b.id),
  created: (a, b) => desc(a.createdAt, b.createdAt) || desc(a.id, b.id),
  priority: (a, b) => asc(a.priority, b.priority) || desc(a.updatedAt, b.updatedAt) || desc(a.id, b.id),
  // Code-point order, as the index stores it (Czech letters with a háček sort after z).
  title: (a, b) => asc(a.title, b.title) || asc(a.id, b.id)
};

/** `TICKET_ORDER` as fields (ties by id in the last one's direction), for the search index. */
export const TICKET_ORDER_FIELDS: Record<TicketListSort, readonly { field: keyof TicketListRow; desc?: boolean }[]> = {
  updated: [{ field: 'updatedAt', desc: true }],
  created: [{ field: 'createdAt', desc: true }],
  priority: [{ field: 'priority' }, { field: 'updatedAt', desc: true }],
  title: [{ field: 'title' }]
};

/** The row fields the ticket search index keeps, so it answers in any of these views. */
export const TICKET_LIST_FIELDS = ['status', 'priority', 'orgId', 'updatedAt', 'createdAt', 'title'] as const;

export function statusesOf(status: TicketListFilter['status']): readonly TicketStatus[] {
  return status === 'open' ? OPEN_STATUSES : status === '' ? TICKET_STATUSES : [status];
}

/** The plan of one filter and sort order; `where` adds what no index holds (e.g. "mine"). */
export function ticketListPlan<T extends TicketListRow>(f: TicketListFilter, where?: (row: T) => boolean): ListPlan<T> {
  const statuses = statusesOf(f.status);
  const priorities = f.priorities?.length ? f.priorities : null;
  const org = f.orgId || null;
  const compare = TICKET_ORDER[f.sort] as (a: T, b: T) => number;
  const checks: ((row: T) => boolean)[] = [];
  if (where) checks.push(where);
  let index: string[];
  let ranges: ListRange[];
  // The device indexes the default order only; the other orders and one organization's list
  // come from the search index (`collections.ts`).
  const bySearchIndex = f.sort !== 'updated' || !!org;
  if (!bySearchIndex) {
    index = ['status', 'updatedAt'];
    ranges = statuses.map((s) => ({ prefix: [s] }));
    if (priorities) checks.push((row) => priorities.includes(row.priority));
  } else {
    // The fields of the view the search index answers (not an index of the device): each
    // range one combination of the organization, a status and a priority.
    index = [...(org ? ['orgId'] : []), 'status', ...(priorities ? ['priority'] : [])];
    ranges = statuses.flatMap((s) =>
      (priorities ?? [null]).map((p) => ({ prefix: [...(org ? [org] : []), s, ...(p ? [p] : [])] }))
    );
  }
  return {
    index,
    ranges,
    direction: f.sort === 'title' ? 'asc' : 'desc',
    compare,
    order: TICKET_ORDER_FIELDS[f.sort],
    ...(bySearchIndex ? { bySearchIndex } : {}),
    ...(checks.length ? { where: (row: T) => checks.every((c) => c(row)) } : {})
  };
}
