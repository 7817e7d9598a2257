/** Live reads of the device's projected list rows (`$lib/db/portal-rows`) for screens and the inbox. */
import type { MangoQuery, RxDocument } from 'rxdb';
import { map } from 'rxjs';
import { rowKey, viewRowOf, type PortalKind, type PortalRowDoc } from '$lib/domain/portal/portal-row';
import { liveRanges } from '$lib/ui/list/live-ranges';
import { live } from '$lib/ui/live.svelte';
import { session } from '$lib/ui/session.svelte';
import { WAITING_INDEX, waitingPrefix } from './portal-lists';

/** The computed rows waiting for the person, at most `limit` (`truncated` when there may be more). */
export function waitingRows<Row>(kind: 'approval' | 'task', limit: number) {
  const found = live<PortalRowDoc[]>(() => {
    const rows = session.db?.portalRows;
    return rows
      ? liveRanges<PortalRowDoc>(rows, WAITING_INDEX, [waitingPrefix(kind)], limit).pipe(map(([waiting]) => waiting))
      : null;
  }, []);
  const rows = $derived(found.current.map((d) => viewRowOf<Row>(d)));
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

/** The projected rows a query finds (an index range: by key, parent, department…), as they change. */
export function liveRows(query: () => MangoQuery<PortalRowDoc> | null) {
  const found = live<RxDocument<PortalRowDoc>[]>(() => {
    const q = query();
    return q ? session.db?.portalRows.find(q).$ : null;
  }, []);
  const rows = $derived(found.current.map((d) => d.toJSON() as PortalRowDoc));
  return {
    get current() {
      return rows;
    },
    get loaded() {
      return found.loaded;
    }
  };
}

/** One document's computed row, as it changes; `undefined` while it is not on the device. */
export function liveRow<Row>(kind: PortalKind, id: () => string) {
  const found = liveRows(() => ({ selector: { key: rowKey(kind, id()), kind } }));
  const row = $derived(found.current[0] ? viewRowOf<Row>(found.current[0]) : undefined);
  return {
    get current() {
      return row;
    },
    get loaded() {
      return found.loaded;
    }
  };
}

/** The projection is catching up with many documents: the list shown may still grow. */
export function liveFilling() {
  return live(() => session.db?.portalFilling$, false);
}
