/** The `asset` record: one piece of ICT equipment of an organization. */
import { ASSET_KINDS, ASSET_STATES, type AssetState } from '../schemas/assets';
import type { Doc } from '../write-rules';
import type { AssetDocType } from './doc-type';
import { isDay, oneOf, optionalDay, requireText } from './fields';
import { assetDocId, inventoryNoProblem, normalizeInventoryNo } from './ids';
import { retirementProblem, transitionProblem } from './lifecycle';

export const ASSET_FIELDS = [
  'inventoryNo',
  'kind',
  'name',
  'state',
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
  'stateSince',
  'stateReason',
  'retirement',
  'note',
  'lastSeenAt'
] as const;

export function validateAsset(doc: Doc): string | null {
  const orgId = String(doc.orgId ?? '');
  const inv = typeof doc.inventoryNo === 'string' ? doc.inventoryNo : '';
  const problem =
    requireText(doc, 'inventoryNo', 'inventory number') ??
    inventoryNoProblem(orgId, inv) ??
    (normalizeInventoryNo(inv) !== inv
      ? `the inventory number must be written as ${normalizeInventoryNo(inv)}`
      : null) ??
    requireText(doc, 'name') ??
    oneOf(doc, 'kind', ASSET_KINDS) ??
    oneOf(doc, 'state', ASSET_STATES) ??
    optionalDay(doc, 'purchaseDate', 'purchase date') ??
    optionalDay(doc, 'warrantyEnd', 'warranty end') ??
    optionalDay(doc, 'stateSince', 'state since');
  if (problem) return problem;
  if (doc.key !== inv) return 'key must repeat the inventory number (it is what the lists sort by)';
  if (doc.refId !== '') return 'an asset belongs to no other record (refId must be empty)';
  if (doc.day !== (doc.warrantyEnd ?? '')) return 'day must repeat the warranty end (or be empty without one)';
  if (doc.id !== assetDocId(orgId, inv))
    return `an asset's id is made from its organization and inventory number: expected ${assetDocId(orgId, inv)}`;
  if (typeof doc.price === 'number' && Math.round(doc.price * 100) !== doc.price * 100)
    return 'price has more than two decimal places';
  if (isDay(doc.purchaseDate) && isDay(doc.warrantyEnd) && doc.warrantyEnd < doc.purchaseDate)
    return 'the warranty ends before the purchase date';
  return null;
}

export const assetType: AssetDocType = {
  type: 'asset',
  fields: ASSET_FIELDS,
  validate: validateAsset,
  immutable: {
    inventoryNo:
      'the inventory number of an asset never changes (it is its identity in the register); retire it and register the new number'
  },
  checkRole(role, ctx) {
    const { before, after, user } = ctx;
    return (
      transitionProblem((before?.state as AssetState | undefined) ?? null, after.state as AssetState) ??
      retirementProblem(role, user.id, before, after)
    );
  }
};
