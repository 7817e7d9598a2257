/** Live reads of the device's projected list rows for the shell's sources (the inbox). */
import type { RxDocument } from 'rxdb';
import type { PortalRowDoc } from '$lib/domain/portal/portal-row';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import { waitingQuery } from './portal-lists';

/** The computed rows waiting for the person, at most `limit` (`truncated` when there may be more). */
export function waitingRows<Row>(kind: 'approval' | 'task', limit: number) {
  const found = live<RxDocument<PortalRowDoc>[]>(() => session.db?.portalRows.find(waitingQuery(kind, limit)).$, []);
  const rows = $derived(found.current.map((d) => d.toJSON().row as unknown as Row));
  return {
    get rows() {
      return rows;
    },
    get loaded() {
      return found.loaded;
    },
    get truncated() {
      return found.current.length >= limit;
    }
  };
}
