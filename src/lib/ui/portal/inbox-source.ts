/**
 * An inbox source: one kind of work that can wait on a person (tickets, tasks, approval
 * documents, contracts about to expire…). The inbox opens every source of the registry
 * (`inbox-sources.ts`) once, in the app frame, so the navigation badge and the home page
 * know the count without opening the inbox screen, and merges their items by urgency
 * (`mergeInbox`). A source keeps its own queries indexed and limited: the inbox must open
 * as fast with 10,000 tickets on the device as with ten.
 */
import type { Pathname } from '$app/types';
import type { InboxItem } from '$lib/domain/portal/inbox';
import type { ReminderPolicy } from '$lib/domain/portal/reminders';

export interface InboxFeed {
  /** The source's items (unordered; the inbox merges and orders them). */
  readonly items: readonly InboxItem[];
  /** False until the first answer of the source's queries. */
  readonly loaded: boolean;
  /** True when a query hit `limit`: there is more than the count says. */
  readonly truncated: boolean;
}

export interface InboxOpenContext {
  /** The signed-in person. */
  readonly userId: string;
  /** The clock, ticking once a minute (reminders and overdue marks move with it). */
  now(): number;
  /** Most records one query of a source may read. */
  readonly limit: number;
  /** Reminder lead times per kind of item. */
  readonly policy: ReminderPolicy;
}

export interface InboxSource {
  /** Stable id; also `InboxItem.source` of its items. */
  id: string;
  /**
   * Opens the live queries. Runs once, while a component initialises (runes may be used);
   * the queries end with that component.
   */
  open(ctx: InboxOpenContext): InboxFeed;
  /** Where an item leads (a path of the app; the screen resolves it). */
  href(item: InboxItem): Pathname;
  /** What kind of record the item is, and what the person is to do, in the person's language. */
  kindLabel(item: InboxItem): string;
  whyLabel(item: InboxItem): string;
}
