import { AUDIT_REQUIRED, auditFields, idField, text, type CollectionSchema } from './common';

export const REPORT_TYPES = ['snow', 'black_ice', 'freezing_rain', 'drifts', 'fallen_tree', 'stuck_vehicle', 'accident', 'closure'] as const;

/** Winter dispatch entries: crew reports and the dispatcher's append-only log. */
export const dispatchSchema = {
  title: 'dispatch',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    entry: { type: 'string', enum: ['report', 'log', 'assignment', 'treatment'] },
    reportType: { type: 'string', enum: [...REPORT_TYPES] },
    severity: { type: 'integer', minimum: 1, maximum: 3 },
    sectionId: { type: 'string', maxLength: 60 },
    district: { type: 'string', maxLength: 10 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    text: text(5000),
    mediaId: idField
  },
  required: ['id', ...AUDIT_REQUIRED, 'entry'],
  indexes: ['updatedAt']
} satisfies CollectionSchema;
