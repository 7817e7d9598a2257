/**
 * The person's inbox as last shown on this device, kept so that a reload paints the landing
 * page at once from it, before the data layer (RxDB, its storage, the replication) has loaded;
 * the live queries replace it as soon as they answer. It holds what the device already stores
 * in its database (titles, deadlines, organization names) and goes with every sign-out.
 */
import { holdsSessionOf } from '$lib/api';
import type { InboxItem } from '$lib/domain/portal/inbox';

const KEY = 'ict.inbox';
/** Enough for the first screen and its counts; a larger inbox shows "N+" until the live count. */
export const SNAPSHOT_LIMIT = 500;

export interface InboxSnapshot {
  userId: string;
  items: InboxItem[];
  truncated: boolean;
  /** Short names of the items' organizations, as the inbox shows them. */
  orgNames: Record<string, string>;
}

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);

export function readInboxSnapshot(userId: string): InboxSnapshot | null {
  try {
    const raw = storage()?.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<InboxSnapshot>;
    if (s.userId !== userId || !Array.isArray(s.items)) return null;
    return { userId, items: s.items, truncated: !!s.truncated, orgNames: s.orgNames ?? {} };
  } catch {
    return null;
  }
}

/** The organization names the inbox screen last showed (see `rememberOrgNames`). */
let knownNames: ReadonlyMap<string, string> | null = null;

/** Keeps the inbox of `userId`, with the names of its organizations as far as they are known. */
export function writeInboxSnapshot(userId: string, items: readonly InboxItem[], truncated: boolean): void {
  write(userId, items, truncated, readInboxSnapshot(userId)?.orgNames ?? {});
}

/** `kept`: the names the stored snapshot has, for organizations the screen has not named yet. */
function write(userId: string, items: readonly InboxItem[], truncated: boolean, kept: Record<string, string>): void {
  // Another window's sign-out: this one's inbox, left as it learns of it, is not kept.
  if (!holdsSessionOf(userId)) return;
  const names: Record<string, string> = {};
  for (const i of items.slice(0, SNAPSHOT_LIMIT)) {
    const name = knownNames?.get(i.orgId) ?? kept[i.orgId];
    if (name) names[i.orgId] = name;
  }
  const snapshot: InboxSnapshot = {
    userId,
    items: items.slice(0, SNAPSHOT_LIMIT),
    truncated: truncated || items.length > SNAPSHOT_LIMIT,
    orgNames: names
  };
  try {
    storage()?.setItem(KEY, JSON.stringify(snapshot));
  } catch {
    // Storage full or refused: the next reload paints once the database answers, as before.
    forgetInboxSnapshot();
  }
}

/** The organization names the inbox screen shows, for this snapshot and the next ones of `userId`. */
export function rememberOrgNames(userId: string, orgNames: ReadonlyMap<string, string>): void {
  knownNames = orgNames;
  const s = readInboxSnapshot(userId);
  if (s) write(userId, s.items, s.truncated, s.orgNames);
}

export function forgetInboxSnapshot(): void {
  knownNames = null;
  try {
    storage()?.removeItem(KEY);
  } catch {
    // Nothing stored to forget.
  }
}
