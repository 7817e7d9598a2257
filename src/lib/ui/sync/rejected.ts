import { resolve } from '$app/paths';

/** A document the server refused, as the data layer reports it, and where the person can fix it. */
export interface RejectedItem {
  id: string;
  collectionName?: string;
  docId?: string;
  reason?: string;
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

export function editHref(item: RejectedItem): string | null {
  const route = item.collectionName ? EDIT_ROUTES[item.collectionName] : undefined;
  return route && item.docId ? route(item.docId) : null;
}
