/** The "my work" inbox as live state: the user's tickets, tasks and documents waiting on them. */
import type { RxCollection, RxDocument } from 'rxdb';
import { inboxItems, isoAt, type InboxTicket } from '$lib/domain/portal/inbox';
import { taskRows } from '$lib/domain/portal/task-view';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import { portalData } from './portal-data.svelte';

export function liveInbox() {
  const data = portalData();
  const userId = $derived(session.me?.user.id ?? '');
  // Only the tickets that can be the user's work: assigned to them, or waiting for their answer.
  const tickets = live(() => {
    const c = session.db?.collections.tickets as RxCollection<InboxTicket> | undefined;
    if (!c || !userId) return null;
    return c.find({ selector: { $or: [{ 'assignee.userId': userId }, { requester: userId, status: 'waiting' }] } }).$;
  }, [] as RxDocument<InboxTicket>[]);
  const items = $derived.by(() => {
    const me = session.me;
    if (!me) return [];
    const now = Date.now();
    return inboxItems({
      userId: me.user.id,
      now,
      tickets: tickets.current.map((t) => t.toJSON() as InboxTicket),
      tasks: taskRows(data.tasks, data.orgs, me.user, isoAt(now), data.unsentTasks),
      approvals: data.rows
    });
  });
  return {
    get items() {
      return items;
    },
    get loaded() {
      return tickets.loaded && data.loaded;
    },
    orgName: data.orgName
  };
}
