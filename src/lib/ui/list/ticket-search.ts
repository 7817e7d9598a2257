/**
 * Full-text search of the ticket list: title, description, comments, site and number. The
 * comments come from the ticket's own events today; when they move into documents of their
 * own, that collection becomes a second source here with `ref: comment.ticketId`.
 */
import type { RxCollection } from 'rxdb';
import type { Ticket } from '../../domain/schemas';
import { searchIndexFor, type SearchIndex, type SearchSource } from './search-index';

export const TICKET_SEARCH_FIELDS = ['title', 'description', 'comments', 'site', 'number'];

export function ticketText(t: Ticket): { ref: string; fields: Record<string, string> } {
  const comments = (t.events ?? [])
    .filter((e) => e.kind === 'comment' && e.text)
    .map((e) => e.text)
    .join('\n');
  return {
    ref: t.id,
    fields: { title: t.title, description: t.description ?? '', comments, site: t.site ?? '', number: t.id }
  };
}

export function ticketSearch(tickets: RxCollection): SearchIndex {
  return searchIndexFor(tickets, () => ({
    fields: TICKET_SEARCH_FIELDS,
    boost: { title: 3, number: 2 },
    sources: [{ name: 'tickets', collection: tickets, text: ticketText } as unknown as SearchSource]
  }));
}
