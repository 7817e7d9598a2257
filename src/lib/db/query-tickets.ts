/**
 * The tickets list: filters by status and organization run on indexes
 * (`[status, updatedAt]`, `[orgId, status, updatedAt]`, `[orgId, updatedAt]`), full-text
 * runs in memory over a lowercase text prepared once per document version, which keeps a
 * list of 10,000 tickets responsive without adding a search field to synced documents.
 */
import type { RxCollection } from 'rxdb';
import { map, type Observable } from 'rxjs';
import type { Ticket, TicketStatus } from '../domain/schemas';

export type TicketSort = 'updated-desc' | 'updated-asc' | 'created-desc' | 'priority';

export interface TicketQuery {
  status?: TicketStatus | TicketStatus[];
  orgId?: string;
  text?: string;
  sort?: TicketSort;
  limit?: number;
}

const searchText = new Map<string, { version: string; text: string }>();

/** Lowercase, accent-free text of a ticket: Czech users type "tiskarna" for "tiskárna". */
export function normalizeText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function haystack(t: Ticket): string {
  const version = `${t.updatedAt}|${t.events?.length ?? 0}`;
  const cached = searchText.get(t.id);
  if (cached && cached.version === version) return cached.text;
  const comments = (t.events ?? []).map((e) => e.text ?? '').join(' ');
  const text = normalizeText(
    `${t.id} ${t.title} ${t.description} ${t.category} ${t.site ?? ''} ${t.requester} ${comments}`
  );
  searchText.set(t.id, { version, text });
  return text;
}

export function matchesText(t: Ticket, text: string | undefined): boolean {
  if (!text?.trim()) return true;
  const h = haystack(t);
  return normalizeText(text)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => h.includes(word));
}

function selectorOf(q: TicketQuery): Record<string, unknown> {
  const selector: Record<string, unknown> = {};
  if (q.orgId) selector.orgId = q.orgId;
  if (Array.isArray(q.status)) selector.status = { $in: q.status };
  else if (q.status) selector.status = q.status;
  return selector;
}

function sortOf(sort: TicketSort | undefined): Record<string, 'asc' | 'desc'>[] {
  switch (sort) {
    case 'updated-asc':
      return [{ updatedAt: 'asc' }];
    case 'created-desc':
      return [{ createdAt: 'desc' }];
    case 'priority':
      return [{ priority: 'asc' }, { updatedAt: 'desc' }];
    default:
      return [{ updatedAt: 'desc' }];
  }
}

/** The document's stored data, read-only: skips the deep copy of `toJSON()` for 10,000 rows. */
const dataOf = (d: { _data: unknown }) => d._data as Ticket;

function finish(docs: Ticket[], q: TicketQuery): Ticket[] {
  const found = q.text ? docs.filter((t) => matchesText(t, q.text)) : docs;
  return q.limit ? found.slice(0, q.limit) : found;
}

/** Live list (read-only objects; edit through the collection): emits again whenever a matching ticket changes (locally or by sync). */
export function queryTickets(tickets: RxCollection, q: TicketQuery = {}): Observable<Ticket[]> {
  const limit = q.text ? undefined : q.limit;
  return tickets
    .find({ selector: selectorOf(q), sort: sortOf(q.sort), ...(limit ? { limit } : {}) })
    .$.pipe(map((docs) => finish(docs.map(dataOf), q)));
}

/** One-shot variant of `queryTickets`. */
export async function findTickets(tickets: RxCollection, q: TicketQuery = {}): Promise<Ticket[]> {
  const limit = q.text ? undefined : q.limit;
  const docs = await tickets
    .find({ selector: selectorOf(q), sort: sortOf(q.sort), ...(limit ? { limit } : {}) })
    .exec();
  return finish(docs.map(dataOf), q);
}
