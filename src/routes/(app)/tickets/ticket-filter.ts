/** Filtering and sorting the ticket list in memory: 10,000 tickets take a few milliseconds. */
import type { Priority, TicketStatus } from '../../../lib/domain/schemas';

export const SORTS = ['updated', 'created', 'priority', 'title'] as const;
export type TicketSort = (typeof SORTS)[number];

export interface TicketFilter {
  status?: TicketStatus | '' | 'open';
  orgId?: string;
  text?: string;
  sort: TicketSort;
}

interface Listable {
  id: string;
  orgId: string;
  title: string;
  description: string;
  status: TicketStatus;
  priority: Priority;
  site?: string;
  createdAt: string;
  updatedAt: string;
}

const OPEN: ReadonlySet<TicketStatus> = new Set(['new', 'assigned', 'in_progress', 'waiting']);

/** Lowercase without diacritics, so "tiskarna" finds "Tiskárna". */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function filterTickets<T extends Listable>(tickets: readonly T[], f: TicketFilter): T[] {
  const words = fold(f.text ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const out = tickets.filter((t) => {
    if (f.status === 'open' ? !OPEN.has(t.status) : f.status && t.status !== f.status) return false;
    if (f.orgId && t.orgId !== f.orgId) return false;
    if (words.length === 0) return true;
    const hay = fold(`${t.title} ${t.description} ${t.site ?? ''} ${t.id}`);
    return words.every((w) => hay.includes(w));
  });
  return out.sort(comparators[f.sort]);
}

const byDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const comparators: Record<TicketSort, (a: Listable, b: Listable) => number> = {
  updated: (a, b) => byDesc(a.updatedAt, b.updatedAt) || a.id.localeCompare(b.id),
  created: (a, b) => byDesc(a.createdAt, b.createdAt) || a.id.localeCompare(b.id),
  priority: (a, b) => a.priority.localeCompare(b.priority) || byDesc(a.updatedAt, b.updatedAt),
  title: (a, b) => a.title.localeCompare(b.title, 'cs') || a.id.localeCompare(b.id)
};
