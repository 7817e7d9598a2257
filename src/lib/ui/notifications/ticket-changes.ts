/**
 * "Something happened on a ticket of mine": events by other people newer than what this user
 * has seen. What was seen is kept per user on the device (localStorage): a baseline time set
 * on first use, so old history does not arrive as news, and the last seen event time per ticket.
 */
import { TICKET_STATUSES, type Ticket, type TicketEvent } from '../../domain/schemas';
import { seenChangesKey } from '../../db/local-names';

export interface SeenState {
  since: string;
  tickets: Record<string, string>;
}

export interface TicketChange {
  ticketId: string;
  title: string;
  event: TicketEvent;
}

type KeyValue = Pick<Storage, 'getItem' | 'setItem'>;
const seenKey = seenChangesKey;

export function loadSeen(store: KeyValue, userId: string, now: string): SeenState {
  try {
    const raw = JSON.parse(store.getItem(seenKey(userId)) ?? 'null') as Partial<SeenState> | null;
    if (raw && typeof raw.since === 'string') return { since: raw.since, tickets: { ...(raw.tickets ?? {}) } };
  } catch {
    // Unreadable state starts over from now.
  }
  const fresh = { since: now, tickets: {} };
  store.setItem(seenKey(userId), JSON.stringify(fresh));
  return fresh;
}

export function saveSeen(store: KeyValue, userId: string, seen: SeenState): void {
  store.setItem(seenKey(userId), JSON.stringify(seen));
}

/** Whether the ticket is the user's: they asked for it, reported it, or work on it. */
export function isMine(t: Ticket, userId: string): boolean {
  return t.requester === userId || t.createdBy === userId || t.assignee?.userId === userId;
}

/** Unseen events by others on the user's tickets, newest first. Internal notes reach staff only. */
export function unseenChanges(
  tickets: readonly Ticket[],
  userId: string,
  seen: SeenState,
  staff: boolean
): TicketChange[] {
  const out: TicketChange[] = [];
  for (const t of tickets) {
    if (!isMine(t, userId)) continue;
    const after = seen.tickets[t.id] ?? seen.since;
    for (const e of t.events) {
      if (e.by === userId || e.at <= after) continue;
      if (e.kind === 'note' && !staff) continue;
      out.push({ ticketId: t.id, title: t.title, event: e });
    }
  }
  return out.sort((a, b) => (a.event.at < b.event.at ? 1 : a.event.at > b.event.at ? -1 : 0));
}

/** Marks everything on the ticket up to its newest event as seen. */
export function markTicketSeen(seen: SeenState, t: Ticket): SeenState {
  const newest = t.events.reduce((max, e) => (e.at > max ? e.at : max), seen.tickets[t.id] ?? seen.since);
  return { ...seen, tickets: { ...seen.tickets, [t.id]: newest } };
}

/**
 * The queries for tickets changed since `since` (oldest first): one per status, each a single
 * range of the device's `[status, updatedAt]` index. The device keeps no index on `updatedAt`
 * alone (every index costs every write of a sync, `src/lib/db/collections.ts`), and a query
 * across statuses would read every ticket (100,000 on a regional desk) on each sync batch.
 */
export function changedSinceQueries(since: string) {
  return TICKET_STATUSES.map((status) => ({
    selector: { status, updatedAt: { $gt: since } },
    sort: [{ updatedAt: 'asc' as const }]
  }));
}

/** The answers of `changedSinceQueries` as one list, oldest change first. */
export function mergeChanged<T extends { updatedAt: string }>(byStatus: readonly (readonly T[])[]): T[] {
  return byStatus.flat().sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
}
