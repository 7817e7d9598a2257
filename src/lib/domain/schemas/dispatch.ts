import { AUDIT_REQUIRED, auditFields, idField, isoTime, text, userRef, type CollectionSchema } from './common';

/** Road surface and incident types a crew reports (the terms SÚS dispatchers use). */
export const REPORT_TYPES = [
  'snow',
  'slush',
  'packed_snow',
  'black_ice',
  'freezing_rain',
  'drifts',
  'snow_tongues',
  'fallen_tree',
  'stuck_vehicle',
  'accident',
  'closure'
] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

/** Every kind of deník entry; each has its own fields (see `domain/dispatch/entry-types.ts`). */
export const ENTRY_TYPES = [
  'report',
  'treatment',
  'confirmation',
  'assignment',
  'calamity',
  'position',
  'log',
  'correction'
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export const TREATMENT_METHODS = ['gritting', 'ploughing', 'both'] as const;
export const GRIT_MATERIALS = ['salt', 'brine', 'grit', 'none'] as const;

const district = { type: 'string', enum: ['PM', 'PS', 'PJ', 'KT', 'DO', 'TC', 'RO'], maxLength: 2 };

/**
 * The winter dispatch module: ONE collection (`org_sus_dispatch`) of append-only deník
 * entries, told apart by `entry`. A document is never edited: a correction is a later entry
 * whose `refId` names the earlier one.
 */
export const dispatchSchema = {
  title: 'dispatch',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    entry: { type: 'string', enum: [...ENTRY_TYPES], maxLength: 20 },
    district,
    sectionId: idField,
    /** The earlier entry this one confirms or corrects. */
    refId: idField,
    reportType: { type: 'string', enum: [...REPORT_TYPES] },
    severity: { type: 'integer', minimum: 1, maximum: 3 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    /** GPS accuracy in metres, as the device reported it. */
    accuracy: { type: 'number', minimum: 0, maximum: 100000 },
    text: text(5000),
    mediaId: idField,
    /** assignment: the crew member sent and the vehicle. */
    crew: userRef,
    vehicle: text(40),
    /** treatment: when it started and ended (device time), how and with what. */
    startedAt: isoTime,
    endedAt: isoTime,
    method: { type: 'string', enum: [...TREATMENT_METHODS] },
    material: { type: 'string', enum: [...GRIT_MATERIALS] },
    amountT: { type: 'number', minimum: 0, maximum: 100 },
    /** calamity: whether the district enters (true) or leaves (false) calamity mode. */
    calamity: { type: 'boolean' }
  },
  required: ['id', ...AUDIT_REQUIRED, 'entry'],
  indexes: ['updatedAt']
} satisfies CollectionSchema;
