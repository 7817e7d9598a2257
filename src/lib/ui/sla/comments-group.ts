/** Ticket comments grouped by ticket, for the SLA of list rows (see comments-for.svelte.ts). */
import type { RxCollection } from 'rxdb';
import type { TicketComment } from '$lib/domain/schemas';

export function groupByTicket(comments: readonly TicketComment[]): Map<string, TicketComment[]> {
  const out = new Map<string, TicketComment[]>();
  for (const c of comments) {
    const list = out.get(c.ticketId);
    if (list) list.push(c);
    else out.set(c.ticketId, [c]);
  }
  return out;
}

/** All comments of `ids` at once (CSV export of a whole list). */
export async function commentsOf(
  collection: RxCollection<TicketComment>,
  ids: readonly string[]
): Promise<Map<string, TicketComment[]>> {
  if (ids.length === 0) return new Map();
  const docs = await collection.find({ selector: { ticketId: { $in: [...ids] } } }).exec();
  return groupByTicket(docs.map((d) => d.toJSON() as TicketComment));
}
