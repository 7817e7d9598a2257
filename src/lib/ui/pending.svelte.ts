/** Ids of documents with local changes the server has not confirmed yet, per collection. */
import type { AppDb } from '$lib/db';
import { live } from './live.svelte';

export function pendingIds(db: () => AppDb | null, collection: string): { has(id: string): boolean } {
  const list = live(() => db()?.pending.list$, []);
  // Rebuilt on every emission and never mutated, so a plain Set is enough.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const ids = $derived(new Set(list.current.filter((i) => i.collectionName === collection).map((i) => i.docId)));
  return { has: (id) => ids.has(id) };
}
