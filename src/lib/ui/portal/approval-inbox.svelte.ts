/**
 * The approval documents waiting on the person, as an inbox source: their step in each
 * document's approval order, from the portal data the approval screens use.
 */
import { m } from '$lib/i18n';
import { approvalItems, type InboxItem } from '$lib/domain/portal/inbox';
import type { ApprovalStep } from '$lib/domain/schemas';
import type { InboxSource } from './inbox-source';
import { stepLabel, typeLabel } from './labels';
import { portal } from './portal-data.svelte';

export const approvalInbox: InboxSource = {
  id: 'approvals',
  open(ctx) {
    const data = portal(ctx);
    const items = $derived(approvalItems(data.rows, { userId: ctx.userId, now: ctx.now(), policy: ctx.policy }));
    return {
      get items() {
        return items;
      },
      get loaded() {
        return data.loaded;
      },
      truncated: false
    };
  },
  href: (i) => `/approvals/${encodeURIComponent(i.id)}`,
  kindLabel: (i: InboxItem) =>
    i.kind === 'order' || i.kind === 'invoice' || i.kind === 'prislib' ? typeLabel(i.kind) : m.inbox_kind_approval(),
  whyLabel: (i) => m.inbox_why_step({ step: stepLabel(i.why.replace(/^approval-/, '') as ApprovalStep) })
};
