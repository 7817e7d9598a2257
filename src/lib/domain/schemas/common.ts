/**
 * Building blocks of the collection schemas. Schemas are written in RxDB's JSON-schema
 * dialect (primaryKey, version, indexes); `toJsonSchema` strips those keywords so the
 * server validates every written document with the very same definition the client uses.
 */

export type JsonSchema = Record<string, unknown>;

export interface CollectionSchema {
  title: string;
  version: number;
  primaryKey: string;
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: string[];
  indexes?: (string | string[])[];
  additionalProperties?: boolean;
}

/** Document ids: readable, URL-safe, never starting with `_` (CouchDB reserves those). */
export const idField = { type: 'string', maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' } as const;
export const isoTime = { type: 'string', format: 'date-time', maxLength: 40 } as const;
export const userRef = { type: 'string', maxLength: 60, pattern: '^[a-z0-9._-]{2,60}$' } as const;
export const orgRef = { type: 'string', maxLength: 40, pattern: '^[a-z0-9-]{2,40}$' } as const;
export const text = (max: number, min = 0) => ({ type: 'string', minLength: min, maxLength: max });

/** Fields every organization document carries; `createdBy`, `createdAt` and `orgId` never change. */
export const auditFields = {
  orgId: orgRef,
  createdBy: userRef,
  createdAt: isoTime,
  updatedBy: userRef,
  updatedAt: isoTime,
  /** Stamped by the server when it first accepts the document; clients never set it. */
  receivedAt: isoTime
} as const;

export const AUDIT_REQUIRED = ['orgId', 'createdBy', 'createdAt', 'updatedBy', 'updatedAt'];
export const IMMUTABLE_FIELDS = ['orgId', 'createdBy', 'createdAt'] as const;

/** An append-only record inside a document (comment, status change, decision). */
export function eventSchema(kinds: readonly string[], extra: Record<string, JsonSchema>): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'at', 'by', 'kind'],
    properties: {
      id: idField,
      at: isoTime,
      by: userRef,
      kind: { type: 'string', enum: [...kinds] },
      /** Stamped by the server when it first accepts the event (see `receipt-time.ts`); clients never set it. */
      receivedAt: isoTime,
      ...extra
    }
  };
}

/**
 * Merge bookkeeping carried by documents edited on several devices: `fieldTimes` maps a
 * field path to the time of its last edit (what makes merges of three or more replicas
 * converge), and `editConflicts` keeps every edit a merge could not apply, so it is shown
 * and never dropped silently. Both are append-only in spirit and merged by the client.
 */
export const mergeFields = {
  fieldTimes: { type: 'object', additionalProperties: isoTime },
  editConflicts: {
    type: 'array',
    maxItems: 200,
    items: eventSchema(['conflict'], { field: text(200), kept: text(5000), lost: text(5000) })
  }
} as const;

const RXDB_ONLY = new Set([
  'primaryKey',
  'version',
  'indexes',
  'encrypted',
  'keyCompression',
  'attachments',
  'final',
  'ref'
]);

/** Plain JSON Schema (for ajv) from a collection schema. */
export function toJsonSchema(schema: CollectionSchema): JsonSchema {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node as Record<string, unknown>)
          .filter(([k]) => !RXDB_ONLY.has(k))
          .map(([k, v]) => [
            k,
            k === 'properties'
              ? Object.fromEntries(Object.entries(v as object).map(([pk, pv]) => [pk, strip(pv)]))
              : strip(v)
          ])
      );
    }
    return node;
  };
  return { additionalProperties: false, ...(strip(schema) as JsonSchema) };
}
