import { resolve } from '$app/paths';

/** A document the server refused, as the data layer reports it, and where the person can fix it. */
export interface RejectedItem {
  id: string;
  collectionName?: string;
  docId?: string;
  reason?: string;
  /** Why, as a stable code (`no-access`: the person lost access to the document's organization). */
  code?: string;
  at?: string;
  doc?: Record<string, unknown>;
}

/** What a person recognises the document by. */
export function rejectedTitle(item: RejectedItem): string {
  const t = item.doc?.title;
  return typeof t === 'string' && t ? t : (item.docId ?? item.id);
}

const EDIT_ROUTES: Record<string, (docId: string) => string> = {
  tickets: (id) => resolve(`/tickets/${encodeURIComponent(id)}`)
};

/** The organization whose access was withdrawn, when that is why the change was refused. */
export function withdrawnOrg(item: RejectedItem): string | null {
  if (item.code !== 'no-access') return null;
  const org = item.doc?.orgId;
  return typeof org === 'string' ? org : null;
}

export function editHref(item: RejectedItem): string | null {
  // The document left the device with the organization: there is nothing to open and edit.
  if (withdrawnOrg(item)) return null;
  const route = item.collectionName ? EDIT_ROUTES[item.collectionName] : undefined;
  return route && item.docId ? route(item.docId) : null;
}
