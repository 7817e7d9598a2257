/**
 * The contract archive as an inbox source: reminders of expiry, the notice deadline and
 * publication in the register, for the responsible person, from the contracts on the device
 * (few per person: one query of the collection's contract records).
 */
import { m } from '$lib/i18n';
import { CONTRACT_INBOX_SOURCE, contractInboxItems, contractOfItem } from '$lib/domain/assets/contracts-inbox';
import type { InboxSource } from '$lib/ui/portal/inbox-source';
import { contractData } from './contracts-data.svelte';
import { reminderText } from './labels';

export const contractInbox: InboxSource = {
  id: CONTRACT_INBOX_SOURCE,
  open(ctx) {
    const data = contractData();
    const items = $derived(
      contractInboxItems(data.contracts, { userId: ctx.userId, now: ctx.now(), rules: data.rules, policy: ctx.policy })
    );
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
  href: (i) => `/contracts/${encodeURIComponent(contractOfItem(i))}`,
  kindLabel: () => m.ctr_inbox_kind(),
  whyLabel: (i) => reminderText(i.why, i.due)
};
