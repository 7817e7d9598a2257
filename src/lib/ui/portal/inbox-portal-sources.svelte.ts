/**
 * The inbox sources of the helpdesk and the portal: tickets and tasks (approval documents have
 * their own file, `approval-inbox.svelte.ts`, loaded only for people who read approvals).
 *
 * Tickets are the many records (10,000 on a helpdesk device): their source reads the
 * person's open tickets through the device's `[inbox.assignee, status, id]` index (and the ones
 * waiting for the person's answer through `[inbox.requester, status, id]`), one query per state,
 * each limited to `limit` documents, so its cost follows what the person has, never the
 * organization's tickets (`src/lib/db/ticket-inbox.ts`). Tasks read the rows the device
 * projects for the tasks list, those waiting for the person (`waitingRows`), limited alike.
 * Both read their ranges with `getAll` and again after changes (`live-ranges.ts`), not as RxDB
 * queries, whose cursor walks cost a task per row at every page load; the tickets' less often
 * while a first sync is writing them.
 */
import type { RxCollection } from 'rxdb';
import { combineLatest, map } from 'rxjs';
import { m } from '$lib/i18n';
import { OPEN_TICKET, taskItems, ticketItems, type InboxTicket } from '$lib/domain/portal/inbox';
import type { TaskRow } from '$lib/domain/portal/task-view';
import type { TaskAction } from '$lib/domain/schemas';
import { INBOX_ASSIGNEE, INBOX_REQUESTER } from '$lib/db/ticket-inbox';
import { liveRanges } from '$lib/ui/list/live-ranges';
import { firstSyncRunning } from '$lib/db/sync-status';
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
        const c = session.db?.collections.tickets as RxCollection | undefined;
        const me = ctx.userId;
        const sync = session.db?.sync;
        if (!c || !me) return null;
        const catchingUp = () => firstSyncRunning(sync?.progress);
        // Each list is a range of one index (person, then state), so its cost is what it lists.
        return combineLatest([
          liveRanges<InboxTicket>(
            c,
            [INBOX_ASSIGNEE, 'status'],
            OPEN_TICKET.map((status) => [me, status]),
            ctx.limit,
            catchingUp
          ),
          liveRanges<InboxTicket>(c, [INBOX_REQUESTER, 'status'], [[me, 'waiting']], ctx.limit, catchingUp)
        ]).pipe(
          map(([assigned, waiting]) => ({
            docs: [...assigned.flat(), ...waiting.flat()],
            truncated: [...assigned, ...waiting].some((l) => l.length >= ctx.limit)
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
