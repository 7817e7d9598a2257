/**
 * The desk agent's queue in memory: filters by organization, district, status, priority,
 * assignee and SLA risk, most urgent first. Pure, so the filter a saved view stores is the
 * filter applied, and tests need no browser.
 */
import type { Priority, Ticket, TicketStatus } from '../../../lib/domain/schemas';
import type { SlaStatus } from '../../../lib/domain/sla';
import { AT_RISK, urgency } from '../../../lib/ui/sla/sla-view';
import { fold } from '../../../lib/ui/list/fold';

/** `''`: any; `unassigned`: nobody yet; `central`/`contractor`: the queue; `me`: the signed-in user; else a user id. */
export type AssigneeFilter = '' | 'unassigned' | 'central' | 'contractor' | 'me' | `user:${string}`;

export interface QueueFilter {
  orgId: string;
  district: string;
  status: TicketStatus | '' | 'open';
  priority: Priority | '';
  assignee: AssigneeFilter;
  /** `at_risk`: due soon or breached. */
  sla: '' | 'at_risk' | 'breached';
  text: string;
}

export const EMPTY_FILTER: QueueFilter = {
  orgId: '',
  district: '',
  status: 'open',
  priority: '',
  assignee: '',
  sla: '',
  text: ''
};

const OPEN: ReadonlySet<TicketStatus> = new Set(['new', 'assigned', 'in_progress', 'waiting']);

export interface QueueContext {
  userId: string;
  districtOf: (orgId: string) => string | undefined;
  slaOf: (t: Ticket) => SlaStatus;
}

export interface QueueRow {
  ticket: Ticket;
  sla: SlaStatus;
}

function matchesAssignee(t: Ticket, f: AssigneeFilter, userId: string): boolean {
  const a = t.assignee;
  switch (f) {
    case '':
      return true;
    case 'unassigned':
      return !a;
    case 'central':
    case 'contractor':
      return a?.queue === f;
    case 'me':
      return a?.userId === userId;
    default:
      return a?.userId === f.slice('user:'.length);
  }
}

export function filterQueue(tickets: readonly Ticket[], f: QueueFilter, ctx: QueueContext): QueueRow[] {
  const words = fold(f.text).split(/\s+/).filter(Boolean);
  const rows: QueueRow[] = [];
  for (const t of tickets) {
    if (f.status === 'open' ? !OPEN.has(t.status) : f.status && t.status !== f.status) continue;
    if (f.orgId && t.orgId !== f.orgId) continue;
    if (f.priority && t.priority !== f.priority) continue;
    if (f.district && ctx.districtOf(t.orgId) !== f.district) continue;
    if (!matchesAssignee(t, f.assignee, ctx.userId)) continue;
    if (words.length && !words.every((w) => fold(`${t.title} ${t.description} ${t.site ?? ''} ${t.id}`).includes(w)))
      continue;
    const sla = ctx.slaOf(t);
    if (f.sla === 'at_risk' && !AT_RISK.has(sla.state)) continue;
    if (f.sla === 'breached' && sla.state !== 'breached') continue;
    rows.push({ ticket: t, sla });
  }
  return rows.sort(
    (a, b) =>
      urgency(a.sla) - urgency(b.sla) ||
      a.ticket.priority.localeCompare(b.ticket.priority) ||
      a.ticket.id.localeCompare(b.ticket.id)
  );
}

/** A filter read back from storage or a URL: unknown keys dropped, missing ones defaulted. */
export function normalizeFilter(raw: unknown): QueueFilter {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out = { ...EMPTY_FILTER };
  for (const k of Object.keys(EMPTY_FILTER) as (keyof QueueFilter)[]) {
    if (typeof r[k] === 'string') (out as Record<string, string>)[k] = r[k] as string;
  }
  return out;
}
