import {
  AUDIT_REQUIRED,
  auditFields,
  mergeFields,
  idField,
  isoTime,
  orgRef,
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
  'projector',
  'phone',
  'tablet',
  'sim',
  'other'
] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Lifecycle order: ordered → in stock → in use → in repair → retired (see `domain/assets/lifecycle.ts`). */
export const ASSET_STATES = ['ordered', 'in_stock', 'in_use', 'in_repair', 'retired'] as const;
export type AssetState = (typeof ASSET_STATES)[number];

/** A calendar day, `YYYY-MM-DD` (purchase, warranty end, a lifecycle change, a term's end). */
export const isoDate = { type: 'string', format: 'date', maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
/** Money in CZK, two decimals at most. */
const czk = { type: 'number', minimum: 0, maximum: 1e10 } as const;

/**
 * The asset module is ONE collection (`org_<org>_assets` on the server): every kind of its
 * records (asset, its history entries, licence agreements, seat assignments, number ranges,
 * contracts, stocktakes, scans, …) is a document of this schema told apart by `type`.
 *
 * The schema is an envelope: the audit fields, `type`, a handful of shared fields that the
 * lists index (same meaning in every type that uses them), the asset's own fields, and
 * `data`, a free object for the fields of the other types. Which fields a type may use and
 * what they must hold is checked per type (`domain/assets/registry.ts`) on the device and at
 * the gateway, so adding a type changes neither this schema nor its version.
 */
export const assetSchema = {
  title: 'asset',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ...mergeFields,
    /** The kind of record; only types in the registry are accepted. */
    type: { type: 'string', maxLength: 40, pattern: '^[a-z][a-z0-9_]{1,39}$' },
    // The indexed fields: every record carries them ('' when they mean nothing for its type),
    // because IndexedDB (Dexie) refuses an index over a field a document may lack.
    /** What a list of the type sorts and looks up by: an asset's inventory number, a phone number, a contract number. */
    key: { type: 'string', maxLength: 60 },
    /** The record this one belongs to: the asset of a history entry, the stocktake of a scan, an agreement's seat. */
    refId: { type: 'string', maxLength: 100, pattern: '^$|^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$' },
    /** Where the record is in its life: an asset's lifecycle state, a stocktake's open/closed. */
    state: { type: 'string', maxLength: 40 },
    /** The day lists filter by: an asset's warranty end, a licence's valid-to, a contract's expiry. */
    day: { type: 'string', maxLength: 10, pattern: '^$|^\\d{4}-\\d{2}-\\d{2}$' },
    name: text(200),
    kind: { type: 'string', maxLength: 40 },
    site: text(200),
    /** The person holding it, when they have an account (what "my equipment" lists). */
    holder: userRef,
    inventoryNo: text(40),
    warrantyEnd: isoDate,
    /** Asset fields. */
    holderName: text(200),
    room: text(100),
    manufacturer: text(100),
    model: text(100),
    serialNo: text(100),
    purchaseDate: isoDate,
    /** Purchase price in CZK including VAT. */
    price: czk,
    supplier: text(200),
    /** The contract the asset was bought under (a `contract` record of this collection). */
    contractId: idField,
    /** Day and reason of the last lifecycle change. */
    stateSince: isoDate,
    stateReason: text(500),
    /** A retirement asked for by IT and decided by the organization's manager. */
    retirement: {
      type: 'object',
      additionalProperties: false,
      required: ['reason', 'requestedBy', 'requestedAt'],
      properties: {
        reason: text(500, 1),
        requestedBy: userRef,
        requestedAt: isoTime,
        decision: { type: 'string', enum: ['approved', 'refused'] },
        decidedBy: userRef,
        decidedAt: isoTime
      }
    },
    note: text(2000),
    lastSeenAt: isoTime,
    /** History entry: what changed (field, old and new value as text). */
    changes: {
      type: 'array',
      maxItems: 60,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['field'],
        properties: { field: text(60, 1), from: text(500), to: text(500) }
      }
    },
    /** History entry: what happened (`created`, `edited`, `state`, `retirement_requested`, …). */
    action: { type: 'string', maxLength: 40 },
    /** The organization a record names when it is not the database's own (a seat given to another one). */
    otherOrgId: orgRef,
    /** Fields of the other types, checked by their own validator. */
    data: { type: 'object' }
  },
  required: ['id', ...AUDIT_REQUIRED, 'type', 'key', 'refId', 'state', 'day'],
  indexes: [
    ['type', 'orgId', 'key'],
    ['type', 'key'],
    ['type', 'state', 'key'],
    ['type', 'day'],
    ['refId', 'createdAt'],
    ['type', 'updatedAt']
  ]
} satisfies CollectionSchema;

/** The fields of the envelope every type carries (the rest is per type). */
export const ASSET_ENVELOPE_FIELDS = [
  'id',
  ...Object.keys(auditFields),
  ...Object.keys(mergeFields),
  'type',
  'key',
  'refId',
  'state',
  'day'
] as const;

export interface AssetDoc {
  id: string;
  orgId: string;
  type: 'asset';
  /** The inventory number again (the indexed key). */
  key: string;
  refId: '';
  /** The warranty end again, or '' (the indexed day). */
  day: string;
  inventoryNo: string;
  kind: AssetKind;
  name: string;
  state: AssetState;
  site?: string;
  room?: string;
  holder?: string;
  holderName?: string;
  manufacturer?: string;
  model?: string;
  serialNo?: string;
  purchaseDate?: string;
  price?: number;
  supplier?: string;
  contractId?: string;
  warrantyEnd?: string;
  stateSince?: string;
  stateReason?: string;
  retirement?: {
    reason: string;
    requestedBy: string;
    requestedAt: string;
    decision?: 'approved' | 'refused';
    decidedBy?: string;
    decidedAt?: string;
  };
  note?: string;
  lastSeenAt?: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  receivedAt?: string;
  fieldTimes?: Record<string, string>;
}

export interface AssetHistoryDoc {
  id: string;
  orgId: string;
  type: 'asset_history';
  key: '';
  refId: string;
  state: '';
  day: '';
  action: string;
  changes: { field: string; from?: string; to?: string }[];
  note?: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  receivedAt?: string;
}
