/**
 * The registry of inbox sources: what can wait on a person. A module that has such work adds
 * its source (an `InboxSource`, see `inbox-source.ts`) in its own file and ONE row here; the
 * inbox screen, the navigation badge and the home page pick it up with no other change.
 */
import { contractInbox } from '$lib/ui/contracts/inbox-contracts.svelte';
import type { InboxSource } from './inbox-source';
import { approvalInbox, taskInbox, ticketInbox } from './inbox-portal-sources.svelte';

export const INBOX_SOURCES: readonly InboxSource[] = [ticketInbox, taskInbox, approvalInbox, contractInbox];

export const sourceOf = (id: string): InboxSource | undefined => INBOX_SOURCES.find((s) => s.id === id);
