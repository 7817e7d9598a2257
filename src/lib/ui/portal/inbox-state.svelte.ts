/**
 * The person's inbox, shared by the frame: fed once by `InboxFeeder.svelte` (mounted with the
 * navigation), read by the inbox screen, the navigation badge and the home page, so none of
 * them opens the sources again.
 */
import type { InboxItem } from '$lib/domain/portal/inbox';

/** Most records one query of a source reads; more are counted as "more than". */
export const INBOX_LIMIT = 500;

class InboxState {
  items = $state.raw<readonly InboxItem[]>([]);
  loaded = $state(false);
  /** Some source had more than `INBOX_LIMIT`: the count is a lower bound. */
  truncated = $state(false);
  count = $derived(this.items.length);
  /** The items are the device's snapshot of the last session (`inbox-snapshot.ts`), not yet the live answer. */
  fromSnapshot = $state(false);

  set(items: readonly InboxItem[], loaded: boolean, truncated: boolean): void {
    // Until the live sources have answered, the snapshot stays on screen.
    if (this.fromSnapshot && !loaded) return;
    this.fromSnapshot = false;
    this.items = items;
    this.loaded = loaded;
    this.truncated = truncated;
  }

  /** Shows the snapshot as the inbox until the live sources answer. */
  restore(items: readonly InboxItem[], truncated: boolean): void {
    this.items = items;
    this.loaded = true;
    this.truncated = truncated;
    this.fromSnapshot = true;
  }

  reset(): void {
    this.fromSnapshot = false;
    this.set([], false, false);
  }
}

export const inboxState = new InboxState();

/** The badge's text: the count, "500+" when a source had more than it read. */
export const badgeText = (count: number, truncated: boolean) => (truncated ? `${count}+` : String(count));
