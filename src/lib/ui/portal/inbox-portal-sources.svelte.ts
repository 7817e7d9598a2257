/**
 * The inbox sources of the helpdesk and the portal: tickets and tasks (approval documents have
 * their own file, `approval-inbox.svelte.ts`, loaded only for people who read approvals).
 *
 * Tickets are the many records (10,000 on a helpdesk device): their source reads the
 * person's open tickets through the device's `[inbox.assignee, status, id]` index (and the ones
 * waiting for the person's answer through `[inbox.requester, status, id]`), one query per state,
 * each limited to `limit` documents, so its cost follows what the person has, never the
 * organization's tickets (`src/lib/db/ticket-inbox.ts`). Tasks read the rows the device
 * projects for the tasks list, those waiting for the person (`waitingQuery`), limited alike.
 */
import type { RxCollection, RxDocument } from 'rxdb';
import { combineLatest, map } from 'rxjs';
import { m } from '$lib/i18n';
import { OPEN_TICKET, taskItems, ticketItems, type InboxTicket } from '$lib/domain/portal/inbox';
import type { TaskRow } from '$lib/domain/portal/task-view';
import type { TaskAction } from '$lib/domain/schemas';
import { INBOX_ASSIGNEE, INBOX_REQUESTER } from '$lib/db/ticket-inbox';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import type { InboxSource } from './inbox-source';
import { taskActionLabel } from './task-labels';
import { issuedFilesOf } from '$lib/domain/portal/task-media';
import { prefetchScans } from './portal-data.svelte';
import { waitingRows } from './portal-lists.svelte';

type TicketQueryResult = { docs: InboxTicket[]; truncated: boolean };

export const ticketInbox: InboxSource = {
  id: 'tickets',
  open(ctx) {
    const found = live<TicketQueryResult>(
      () => {
        const c = session.db?.collections.tickets as RxCollection<InboxTicket> | undefined;
        if (!c || !ctx.userId) return null;
        // Each query is a range of one index (person, then state), so its cost is what it lists.
        const query = (field: typeof INBOX_ASSIGNEE | typeof INBOX_REQUESTER, status: string) =>
          c.find({
            selector: { [field]: ctx.userId, status },
            sort: [{ [field]: 'asc' }, { status: 'asc' }, { id: 'asc' }],
            limit: ctx.limit
          }).$;
        const queries = [
          ...OPEN_TICKET.map((status) => query(INBOX_ASSIGNEE, status)),
          query(INBOX_REQUESTER, 'waiting')
        ];
        return combineLatest(queries).pipe(
          map((lists: RxDocument<InboxTicket>[][]) => ({
            docs: lists.flat().map((d) => d.toJSON() as InboxTicket),
            truncated: lists.some((l) => l.length >= ctx.limit)
          }))
        );
      },
      { docs: [], truncated: false }
    );
    const items = $derived(ticketItems(found.current.docs, { userId: ctx.userId, now: ctx.now() }));
    return {
      get items() {
        return items;
      },
      get loaded() {
        return found.loaded;
      },
      get truncated() {
        return found.current.truncated;
      }
    };
  },
  href: (i) => `/tickets/${encodeURIComponent(i.id)}`,
  kindLabel: () => m.inbox_kind_ticket(),
  whyLabel: (i) => (i.why === 'ticket-answer' ? m.inbox_why_answer() : m.inbox_why_assigned())
};

export const taskInbox: InboxSource = {
  id: 'tasks',
  open(ctx) {
    const waiting = waitingRows<TaskRow>('task', ctx.limit);
    const items = $derived(taskItems(waiting.rows, { userId: ctx.userId, now: ctx.now(), policy: ctx.policy }));
    // The issuer's documents of the tasks in the inbox come onto the device while online, for reading offline.
    const files = $derived(issuedFilesOf(waiting.rows.filter((r) => items.some((i) => i.id === r.task.id))));
    $effect(() => prefetchScans(files));
    return {
      get items() {
        return items;
      },
      get loaded() {
        return waiting.loaded;
      },
      get truncated() {
        return waiting.truncated;
      }
    };
  },
  href: (i) => `/tasks/${encodeURIComponent(i.id)}`,
  kindLabel: () => m.inbox_kind_task(),
  whyLabel: (i) => m.inbox_why_task_action({ action: taskActionLabel(i.why.replace(/^task-/, '') as TaskAction) })
};
