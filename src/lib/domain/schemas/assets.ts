import {
  AUDIT_REQUIRED,
  auditFields,
  mergeFields,
  idField,
  isoTime,
  text,
  userRef,
  type CollectionSchema
} from './common';

export const ASSET_KINDS = [
  'workstation',
  'laptop',
  'server',
  'network',
  'printer',
  'phone',
  'tablet',
  'other'
] as const;
export const ASSET_STATES = ['ordered', 'in_use', 'in_repair', 'in_stock', 'retired'] as const;

export const assetSchema = {
  title: 'asset',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ...mergeFields,
    inventoryNo: { type: 'string', minLength: 1, maxLength: 60 },
    kind: { type: 'string', enum: [...ASSET_KINDS] },
    name: text(200, 1),
    site: text(200),
    holder: userRef,
    state: { type: 'string', enum: [...ASSET_STATES] },
    warrantyUntil: isoTime,
    serialNo: text(100),
    lastSeenAt: isoTime
  },
  required: ['id', ...AUDIT_REQUIRED, 'inventoryNo', 'kind', 'name', 'state'],
  indexes: ['inventoryNo', 'updatedAt']
} satisfies CollectionSchema;
