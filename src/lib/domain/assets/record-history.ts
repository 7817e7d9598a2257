/**
 * History of the licence, telephony and contract records: an edit writes an `asset_history`
 * entry (who, when, field, from, to) beside the record, as an asset's edits do, so an agreement
 * or a contract edited for years keeps what it said before. A contract's entries live with it in
 * the contracts database (`contracts-db.ts`: history whose `refId` is a contract).
 */
type Rec = Record<string, unknown>;

/** Records whose edits are kept as history entries (`refId` prefixes). */
export const HISTORY_PARENT_PREFIXES = ['asset:', 'contract:', 'lic:', 'phone-range:'] as const;

export const hasHistory = (id: unknown): boolean =>
  typeof id === 'string' && HISTORY_PARENT_PREFIXES.some((p) => id.startsWith(p));

const IDENTITY = new Set(['id', 'orgId', 'type']);
const asText = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Field by field, what an edit of a flat record changed (at most 60 fields, values cut to 500 characters). */
export function diffRecord(before: Rec, after: Rec): { field: string; from?: string; to?: string }[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => !IDENTITY.has(f)).sort();
  const out: { field: string; from?: string; to?: string }[] = [];
  for (const field of fields) {
    const a = asText(before[field])?.slice(0, 500);
    const b = asText(after[field])?.slice(0, 500);
    if (a === b) continue;
    out.push({ field, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) });
  }
  return out.slice(0, 60);
}
