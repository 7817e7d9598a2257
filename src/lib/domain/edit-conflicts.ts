/**
 * Bounds a document's `editConflicts` history so it can never push the document past its
 * schema (`maxItems`), however many replicas merged into it.
 *
 * Why: the history is merged as a union by id. Two devices that each kept the newest 200
 * records of a busy document, merged, hold up to 400; the server refuses that version, and
 * the refused document can then no longer be written from anywhere. The cap keeps the newest
 * records (server receipt time, then device time, then id) in the document; every older one
 * known to the merge (from the local version, the server's version or the result) is handed
 * back as overflow, for the caller to keep where it stays visible (the device's sync-issues
 * store), so nothing is dropped silently.
 */
import { mergeFields } from './schemas/common';

export interface EditConflictRecord {
  id: string;
  at: string;
  by: string;
  kind: 'conflict';
  field?: string;
  kept?: string;
  lost?: string;
  receivedAt?: string;
}

/** The schema's own limit: one number for the document, the gateway and this cap. */
export const EDIT_CONFLICTS_MAX = mergeFields.editConflicts.maxItems;

const records = (v: unknown): EditConflictRecord[] =>
  Array.isArray(v)
    ? v.filter((r): r is EditConflictRecord => !!r && typeof r === 'object' && typeof r.id === 'string')
    : [];

const order = (a: EditConflictRecord, b: EditConflictRecord) => {
  const ta = a.receivedAt || a.at || '';
  const tb = b.receivedAt || b.at || '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  if ((a.at || '') !== (b.at || '')) return (a.at || '') < (b.at || '') ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * `doc` with at most `max` records in `editConflicts` (the newest), and every record of
 * `doc` or of the `seen` versions that is not kept. A document within the cap is returned
 * unchanged, and then the overflow is empty.
 */
export function capEditConflicts<T extends object>(
  doc: T,
  seen: readonly object[] = [],
  max: number = EDIT_CONFLICTS_MAX
): { doc: T; overflow: EditConflictRecord[] } {
  const own = records((doc as { editConflicts?: unknown }).editConflicts);
  const byId = new Map<string, EditConflictRecord>();
  for (const r of [...seen.flatMap((d) => records((d as { editConflicts?: unknown }).editConflicts)), ...own])
    byId.set(r.id, r);
  const ownIds = new Set(own.map((r) => r.id));
  if (own.length <= max) {
    // Records a merge already cut away (it keeps its own newest `max`) are still overflow.
    return { doc, overflow: [...byId.values()].filter((r) => !ownIds.has(r.id)).sort(order) };
  }
  const sorted = [...own].sort(order);
  const kept = sorted.slice(-max);
  const keptIds = new Set(kept.map((r) => r.id));
  const overflow = [...byId.values()].filter((r) => !keptIds.has(r.id)).sort(order);
  return { doc: { ...doc, editConflicts: kept }, overflow };
}
