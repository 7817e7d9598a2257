/**
 * The approval documents waiting on the person, as an inbox source: their step in each
 * document's approval order, from the rows the device projects for the approvals list
 * (`waitingRows`: an index range, at most the inbox's limit).
 */
import { m } from '$lib/i18n';
import { approvalItems, type InboxItem } from '$lib/domain/portal/inbox';
import type { ApprovalStep } from '$lib/domain/schemas';
import type { InboxSource } from './inbox-source';
import { stepLabel, typeLabel } from './labels';
import { waitingRows } from './portal-lists.svelte';
import type { ApprovalRow } from '$lib/domain/portal/approval-view';

export const approvalInbox: InboxSource = {
  id: 'approvals',
  open(ctx) {
    const waiting = waitingRows<ApprovalRow>('approval', ctx.limit);
    const items = $derived(approvalItems(waiting.rows, { userId: ctx.userId, now: ctx.now(), policy: ctx.policy }));
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
  href: (i) => `/approvals/${encodeURIComponent(i.id)}`,
  kindLabel: (i: InboxItem) =>
    i.kind === 'order' || i.kind === 'invoice' || i.kind === 'prislib' ? typeLabel(i.kind) : m.inbox_kind_approval(),
  whyLabel: (i) => m.inbox_why_step({ step: stepLabel(i.why.replace(/^approval-/, '') as ApprovalStep) })
};
