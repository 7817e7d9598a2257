/**
 * The comments of the tickets on screen, grouped by ticket. Comments are documents of their
 * own and a staff comment is a first response, so a list that shows SLA badges needs them;
 * it reads only the rows' comments, through the comments' `ticketId` index.
 */
import type { RxCollection } from 'rxdb';
import type { TicketComment } from '$lib/domain/schemas';
import { live } from '../live.svelte';
import { groupByTicket } from './comments-group';

export function commentsFor(source: () => { collection: RxCollection<TicketComment>; ids: readonly string[] } | null): {
  of(ticketId: string): readonly TicketComment[] | undefined;
} {
  const docs = live(() => {
    const s = source();
    if (!s || s.ids.length === 0) return null;
    return s.collection.find({ selector: { ticketId: { $in: [...s.ids] } } }).$;
  }, []);
  const byTicket = $derived(groupByTicket(docs.current.map((d) => d.toJSON() as TicketComment)));
  return { of: (ticketId) => byTicket.get(ticketId) };
}
