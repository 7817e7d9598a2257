/**
 * In-app notifications about the user's tickets: fed by the live tickets query (so changes
 * pulled by sync arrive without a reload), a toast for news and a count for the nav badge.
 * Seen state is per user on the device; opening a ticket marks it seen.
 */
import type { Ticket } from '../../domain/schemas';
import { loadSeen, markTicketSeen, saveSeen, unseenChanges, type SeenState, type TicketChange } from './ticket-changes';

export interface Toast {
  id: string;
  ticketId: string;
  title: string;
  change: TicketChange;
  more: number;
}

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);

class TicketNotifications {
  #userId = '';
  #staff = false;
  #announced = new Set<string>();
  seen = $state.raw<SeenState | null>(null);
  tickets = $state.raw<readonly Ticket[]>([]);
  toasts = $state.raw<Toast[]>([]);
  changes = $derived(this.seen ? unseenChanges(this.tickets, this.#userId, this.seen, this.#staff) : []);
  /** Tickets with something unseen. */
  count = $derived(new Set(this.changes.map((c) => c.ticketId)).size);

  attach(userId: string, staff: boolean): void {
    if (this.#userId === userId && this.seen) return;
    this.#userId = userId;
    this.#staff = staff;
    this.#announced.clear();
    this.toasts = [];
    const store = storage();
    this.seen = store
      ? loadSeen(store, userId, new Date().toISOString())
      : { since: new Date().toISOString(), tickets: {} };
  }

  /** New tickets from the live query; toasts what was not announced yet in this session. */
  update(tickets: readonly Ticket[]): void {
    this.tickets = tickets;
    const fresh = this.changes.filter((c) => !this.#announced.has(c.event.id));
    for (const c of fresh) this.#announced.add(c.event.id);
    if (fresh.length === 0) return;
    const newest = fresh[0];
    const toast: Toast = {
      id: newest.event.id,
      ticketId: newest.ticketId,
      title: newest.title,
      change: newest,
      more: fresh.length - 1
    };
    this.toasts = [...this.toasts.slice(-2), toast];
  }

  dismiss(id: string): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  markSeen(ticket: Ticket): void {
    if (!this.seen) return;
    const next = markTicketSeen(this.seen, ticket);
    if (next.tickets[ticket.id] === this.seen.tickets[ticket.id]) return;
    this.seen = next;
    const store = storage();
    if (store) saveSeen(store, this.#userId, next);
    this.toasts = this.toasts.filter((t) => t.ticketId !== ticket.id);
  }
}

export const notifications = new TicketNotifications();
