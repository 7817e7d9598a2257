/**
 * Mapping between CouchDB documents and RxDB document states. RxDB keys documents by `id`
 * and marks deletions with `_deleted`; CouchDB keys them by `_id` and needs the current
 * `_rev` to update. The rev is never kept locally: the push handler reads it from the
 * server right before writing (compare-and-swap), as RxDB's own CouchDB plugin does.
 */

export type DocState = Record<string, unknown> & { id: string; _deleted: boolean };
export type CouchDoc = Record<string, unknown> & { _id: string; _rev?: string; _deleted?: boolean };

/**
 * Fields the server stamps on its own; a local state lacking them is not a different edit.
 * The gateway stamps them on the document and on each event of its event arrays
 * (`receipt-time.ts`): both levels are set aside.
 */
export const SERVER_OWNED_FIELDS = ['receivedAt'] as const;

export function fromCouch(doc: CouchDoc): DocState {
  const { _id, _rev: _ignoredRev, _attachments: _ignoredAttachments, _revisions: _ignoredRevisions, ...rest } = doc;
  return { ...rest, id: _id, _deleted: !!doc._deleted };
}

export function toCouch(state: DocState, rev: string | undefined): CouchDoc {
  const { id, _deleted, _meta: _m, _rev: _r, _attachments: _a, ...rest } = state;
  const doc: CouchDoc = { _id: id, ...rest };
  if (rev) doc._rev = rev;
  if (_deleted) doc._deleted = true;
  return doc;
}

/** Document content without storage metadata, for comparisons. */
export function contentOf(state: Record<string, unknown>, ignore: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) {
    if (k === '_meta' || k === '_rev' || k === '_attachments' || ignore.includes(k)) continue;
    if (k === '_deleted' && !v) continue;
    out[k] = v;
  }
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Same document content, storage metadata aside. RxDB calls this often, so it stays cheap. */
export function sameState(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return deepEqual(contentOf(a), contentOf(b));
}

const isStamped = (v: unknown) =>
  typeof v === 'object' && v !== null && SERVER_OWNED_FIELDS.some((f) => f in (v as object));

/** The document's content as its author wrote it: the server's stamps taken off, its events' too. */
function editOf(state: Record<string, unknown>): Record<string, unknown> {
  const out = contentOf(state, SERVER_OWNED_FIELDS);
  for (const [k, v] of Object.entries(out)) {
    if (!Array.isArray(v) || !v.some(isStamped)) continue;
    out[k] = v.map((item) =>
      isStamped(item) ? contentOf(item as Record<string, unknown>, SERVER_OWNED_FIELDS) : item
    );
  }
  return out;
}

/**
 * Same content as far as the client's edits go (server-stamped fields aside): a device's
 * version and the server's stamped copy of it are the same edit, so a deletion made before
 * the stamped copy was pulled stands instead of losing to it.
 */
export function sameEdit(a: Record<string, unknown> | null, b: Record<string, unknown> | null): boolean {
  if (!a || !b) return !a && !b;
  return deepEqual(editOf(a), editOf(b));
}

/** A stored document's own fields: RxDB's storage fields (`_meta`, `_rev`, `_attachments`, `_deleted`) taken off. */
export function plainDoc(raw: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _m, _rev: _r, _attachments: _a, _deleted: _d, ...rest } = raw;
  return rest;
}
