/**
 * The approvals and tasks lists as ranges of the device's projected rows (`$lib/db/portal-rows`,
 * indexes in its schema), and what the filters no index holds check on the rows read. Pure.
 */
import type { MangoQuery } from 'rxdb';
import type { ApprovalState } from '$lib/domain/portal/approval';
import type { ApprovalRow } from '$lib/domain/portal/approval-view';
import { byUrgencyKey, viewRowOf, type PortalRowDoc } from '$lib/domain/portal/portal-row';
import { isOverdue, type TaskRow } from '$lib/domain/portal/task-view';
import type { ListPlan } from '$lib/ui/list/keyset';

export interface ApprovalFilter {
  view: 'mine' | 'all';
  state: '' | 'pending' | 'approved' | 'rejected';
  /** Number, supplier (name or IČO) or subject. */
  text: string;
  /** Amount range, inclusive (in the document's currency); absent: no bound. */
  minAmount?: number;
  maxAmount?: number;
  /** Registration day range (YYYY-MM-DD), inclusive; absent or '': no bound. */
  from?: string;
  to?: string;
}

function inRange(r: ApprovalRow, f: ApprovalFilter): boolean {
  const amount = r.doc.amount;
  if (f.minAmount !== undefined && !(amount >= f.minAmount)) return false;
  if (f.maxAmount !== undefined && !(amount <= f.maxAmount)) return false;
  const day = r.doc.registeredOn ?? '';
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  return true;
}

/** The filters no index holds: text, amount and registration day. */
export function approvalMatcher(f: ApprovalFilter): ((r: ApprovalRow) => boolean) | null {
  const q = f.text.trim().toLocaleLowerCase('cs');
  if (!q && f.minAmount === undefined && f.maxAmount === undefined && !f.from && !f.to) return null;
  return (r) =>
    inRange(r, f) &&
    (!q ||
      [r.doc.number, r.doc.supplier, r.doc.subject, r.doc.supplierIco].some((v) =>
        v?.toLocaleLowerCase('cs').includes(q)
      ));
}

const STATES: readonly ApprovalState[] = ['pending', 'approved', 'rejected'];

/**
 * The list as ranges of the device's projected rows (`portal-rows.ts`), in urgency order: what
 * waits for me through `[kind, mine, state, urgency]` (one range per state, merged), all
 * documents through `[kind, state, urgency]` or `[kind, urgency]`; text, amount and days are
 * checked on the rows read.
 */
export function approvalListPlan(f: ApprovalFilter): ListPlan<PortalRowDoc> {
  const states = f.state ? [f.state] : STATES;
  const base =
    f.view === 'mine'
      ? { index: ['kind', 'mine', 'state', 'urgency'], ranges: states.map((s) => ({ prefix: ['approval', 1, s] })) }
      : f.state
        ? { index: ['kind', 'state', 'urgency'], ranges: [{ prefix: ['approval', f.state] }] }
        : { index: ['kind', 'urgency'], ranges: [{ prefix: ['approval'] }] };
  const matches = approvalMatcher(f);
  return {
    ...base,
    direction: 'asc',
    compare: byUrgencyKey,
    ...(matches ? { where: (r: PortalRowDoc) => matches(viewRowOf<ApprovalRow>(r)) } : {})
  };
}

/** The row a projected list row shows. */
export const approvalRowOfList = (r: PortalRowDoc): ApprovalRow => viewRowOf<ApprovalRow>(r);

/**
 * "My tasks": every task on the device, those I may act on first, then by due time, through
 * `[kind, urgency]`; a founder's department sees its own issues in their roll-ups instead.
 */
export function myTasksPlan(department: string | undefined): ListPlan<PortalRowDoc> {
  return {
    index: ['kind', 'urgency'],
    ranges: [{ prefix: ['task'] }],
    direction: 'asc',
    compare: byUrgencyKey,
    ...(department ? { where: (r: PortalRowDoc) => r.issuedBy !== department } : {})
  };
}

/** Every task a department issued, oldest first, through `[kind, issuedBy, createdAt]`. */
export const issuedQuery = (department: string): MangoQuery<PortalRowDoc> => ({
  selector: { kind: 'task', issuedBy: department },
  sort: [{ kind: 'asc' }, { issuedBy: 'asc' }, { createdAt: 'asc' }]
});

/** A projected task row as shown now: being overdue depends on the clock, not on the documents. */
export function taskRowNow(r: PortalRowDoc, now: string): TaskRow {
  const row = viewRowOf<TaskRow>(r);
  return { ...row, overdue: isOverdue(row.task, row.status.state, now) };
}

/**
 * The rows waiting for the person (an approval step, a task action): the range `[kind, 1]` of
 * the index `[kind, mine, state, urgency]`, read at most the inbox's limit at a time by its
 * approval and task sources (`waitingRows`).
 */
export const WAITING_INDEX = ['kind', 'mine', 'state', 'urgency'] as const;
export const waitingPrefix = (kind: 'approval' | 'task'): [string, number] => [kind, 1];
