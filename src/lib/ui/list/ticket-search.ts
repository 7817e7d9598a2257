/**
 * Full-text search of the ticket list: title, description, comments, site and number. The
 * comments are documents of their own (`comments` collection, `tickets/comments.ts`): a
 * second source whose entries answer with their ticket (`ref: comment.ticketId`); comment
 * events still inside an old local copy of a ticket count too.
 */
import type { RxCollection } from 'rxdb';
import type { Ticket, TicketComment } from '../../domain/schemas';
import { searchIndexFor, type SearchIndex, type SearchSource } from './search-index';
import { TICKET_LIST_FIELDS, TICKET_ORDER_FIELDS } from './ticket-lists';

export const TICKET_SEARCH_FIELDS = ['title', 'description', 'comments', 'site', 'number'];

/** The ticket's words, and its list fields, so a search answers in the list's order. */
export function ticketText(t: Ticket): {
  ref: string;
  fields: Record<string, string>;
  values: Record<string, string>;
} {
  const comments = (t.events ?? [])
    .filter((e) => e.kind === 'comment' && e.text)
    .map((e) => e.text)
    .join('\n');
  return {
    ref: t.id,
    fields: { title: t.title, description: t.description ?? '', comments, site: t.site ?? '', number: t.id },
    values: Object.fromEntries(TICKET_LIST_FIELDS.map((f) => [f, String(t[f] ?? '')]))
  };
}

/** A comment document's words, found as its ticket's row; photos add no text. */
export function commentText(c: TicketComment): { ref: string; fields: Record<string, string> } | null {
  return c.kind === 'comment' && c.text ? { ref: c.ticketId, fields: { comments: c.text } } : null;
}

export function ticketSearch(tickets: RxCollection): SearchIndex {
  // The same user database holds the comments collection.
  const comments = (tickets.database.collections as Record<string, RxCollection | undefined>).comments;
  return searchIndexFor(tickets, () => ({
    fields: TICKET_SEARCH_FIELDS,
    values: [...TICKET_LIST_FIELDS],
    orders: Object.values(TICKET_ORDER_FIELDS).map((keys) => [...keys]),
    sources: [
      { name: 'tickets', collection: tickets, text: ticketText } as unknown as SearchSource,
      ...(comments ? [{ name: 'comments', collection: comments, text: commentText } as unknown as SearchSource] : [])
    ]
  }));
}
