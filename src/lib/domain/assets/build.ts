/**
 * Building asset records on the device: the indexed envelope fields (`key`, `refId`, `day`)
 * are derived here, once, so no screen has to remember them.
 */
import type { AssetDoc, AssetHistoryDoc } from '../schemas/assets';
import { assetDocId, newRecordId, normalizeInventoryNo } from './ids';

/** Fields of an asset a person edits (everything but identity, audit and derived fields). */
export type AssetInput = Omit<
  AssetDoc,
  | 'id'
  | 'orgId'
  | 'type'
  | 'key'
  | 'refId'
  | 'day'
  | 'createdBy'
  | 'createdAt'
  | 'updatedBy'
  | 'updatedAt'
  | 'receivedAt'
  | 'fieldTimes'
>;

/** The derived envelope fields of an asset, from its own. */
export function withAssetKeys<T extends Partial<AssetDoc>>(
  doc: T
): T & Pick<AssetDoc, 'type' | 'key' | 'refId' | 'day'> {
  const inventoryNo = normalizeInventoryNo(doc.inventoryNo ?? '');
  return { ...doc, type: 'asset', inventoryNo, key: inventoryNo, refId: '', day: doc.warrantyEnd ?? '' };
}

export function newAsset(orgId: string, input: AssetInput, userId: string, now: Date): AssetDoc {
  const at = now.toISOString();
  const inventoryNo = normalizeInventoryNo(input.inventoryNo);
  return withAssetKeys({
    ...stripEmpty(input),
    id: assetDocId(orgId, inventoryNo),
    orgId,
    inventoryNo,
    createdBy: userId,
    createdAt: at,
    updatedBy: userId,
    updatedAt: at
  }) as AssetDoc;
}

/** Optional fields left empty in a form are absent, not blank: the schema and the merge expect that. */
export function stripEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== null)) as T;
}

/** Fields shown in the history, in the order a person reads them. */
export const TRACKED_FIELDS = [
  'name',
  'kind',
  'state',
  'stateSince',
  'stateReason',
  'site',
  'room',
  'holder',
  'holderName',
  'manufacturer',
  'model',
  'serialNo',
  'purchaseDate',
  'price',
  'supplier',
  'contractId',
  'warrantyEnd',
  'note',
  'retirement'
] as const;

const asText = (v: unknown): string | undefined =>
  v === undefined || v === null
    ? undefined
    : typeof v === 'object'
      ? JSON.stringify(v).slice(0, 500)
      : String(v).slice(0, 500);

/** What changed between two versions of an asset, as history entries read it. */
export function diffAsset(before: Partial<AssetDoc> | null, after: Partial<AssetDoc>): AssetHistoryDoc['changes'] {
  const out: AssetHistoryDoc['changes'] = [];
  for (const f of TRACKED_FIELDS) {
    const a = asText(before?.[f]);
    const b = asText(after[f]);
    if (a === b) continue;
    out.push({ field: f, ...(a !== undefined ? { from: a } : {}), ...(b !== undefined ? { to: b } : {}) });
  }
  return out;
}

export function historyEntry(
  asset: Pick<AssetDoc, 'id' | 'orgId'>,
  action: AssetHistoryDoc['action'],
  changes: AssetHistoryDoc['changes'],
  userId: string,
  now: Date,
  note?: string
): AssetHistoryDoc {
  const at = now.toISOString();
  return {
    id: newRecordId('hist', now),
    orgId: asset.orgId,
    type: 'asset_history',
    key: '',
    refId: asset.id,
    state: '',
    day: '',
    action,
    changes: changes.slice(0, 60),
    ...(note ? { note: note.slice(0, 2000) } : {}),
    createdBy: userId,
    createdAt: at,
    updatedBy: userId,
    updatedAt: at
  };
}
