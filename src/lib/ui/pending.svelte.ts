/** Ids of documents with local changes the server has not confirmed yet, per collection. */
import type { AppDb } from '$lib/db';
import { live } from './live.svelte';

export function pendingIds(db: () => AppDb | null, collection: string): { has(id: string): boolean } {
  const list = live(() => db()?.pending.list$, []);
  const ids = $derived(new Set(list.current.filter((i) => i.collectionName === collection).map((i) => i.docId)));
  return { has: (id) => ids.has(id) };
}
