/**
 * When a refused change counts as resolved. A refusal is kept (with the refused version and
 * the server state it was built on) until the person resolves it; a later successful push of
 * the same document resolves it only if it was made on top of the refused version (it still
 * carries the refused change, or the person edited the refused version, e.g. undid the field).
 * After the server's newer version was pulled over the refused one, the document no longer
 * holds the change: pushing an unrelated edit then must not make the refusal disappear.
 */
import { deepEqual, type DocState } from './couch-doc';

/** Bookkeeping fields every edit touches; they are not what the person changed. */
const BOOKKEEPING = new Set([
  'updatedAt',
  'updatedBy',
  'fieldTimes',
  'editConflicts',
  'receivedAt',
  '_deleted',
  '_meta',
  '_rev',
  '_attachments'
]);

const entryId = (e: unknown) =>
  e && typeof e === 'object' && 'id' in e ? String((e as { id: unknown }).id) : JSON.stringify(e);

export function carriesRefusedChange(
  base: Record<string, unknown> | null,
  refused: DocState | undefined,
  written: DocState,
  appendOnly: readonly string[] = []
): boolean {
  if (!refused) return true;
  if (refused._deleted) return !!written._deleted;
  if (written._deleted) return false;
  const fields = new Set([...Object.keys(refused), ...Object.keys(base ?? {})]);
  for (const field of fields) {
    if (BOOKKEEPING.has(field)) continue;
    const before = base?.[field];
    const mine = refused[field];
    if (deepEqual(before, mine)) continue;
    if (appendOnly.includes(field) && Array.isArray(mine)) {
      // A history: every entry the refused version added must be in what was written.
      const had = new Set((Array.isArray(before) ? before : []).map(entryId));
      const now = new Set((Array.isArray(written[field]) ? (written[field] as unknown[]) : []).map(entryId));
      if (mine.some((e) => !had.has(entryId(e)) && !now.has(entryId(e)))) return false;
      continue;
    }
    if (!deepEqual(written[field], mine)) return false;
  }
  return true;
}

/**
 * Whether a local version was made on top of the refused one: it carries the refused change,
 * or RxDB's assumed server state does (the person saw the refused version and edited it, for
 * instance undoing the refused field). A version that lost the change to a pulled server
 * version is neither: its refusal stays until the person resolves it.
 */
export function buildsOnRefused(
  entry: { serverDoc: Record<string, unknown> | null; doc: DocState | undefined } | undefined,
  local: DocState,
  assumed: DocState | undefined,
  appendOnly: readonly string[] = []
): boolean {
  if (!entry) return false;
  return (
    carriesRefusedChange(entry.serverDoc, entry.doc, local, appendOnly) ||
    (!!assumed && carriesRefusedChange(entry.serverDoc, entry.doc, assumed, appendOnly))
  );
}
