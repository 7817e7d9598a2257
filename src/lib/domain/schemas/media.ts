import { AUDIT_REQUIRED, auditFields, idField, text, type CollectionSchema } from './common';

/** Maximum size of one attachment, enforced by the gateway. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'] as const;

/** Metadata of a photo or scanned document; the bytes are the CouchDB attachment `file`. */
export const mediaSchema = {
  title: 'media',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    fileName: text(200, 1),
    contentType: { type: 'string', enum: [...MEDIA_TYPES] },
    /** What it belongs to, e.g. `tickets/<id>`. */
    ref: { type: 'string', maxLength: 120 },
    width: { type: 'integer', minimum: 0 },
    height: { type: 'integer', minimum: 0 }
  },
  required: ['id', ...AUDIT_REQUIRED, 'fileName', 'contentType']
} satisfies CollectionSchema;
