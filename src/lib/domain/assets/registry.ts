/**
 * Every kind of record of the asset module, by its `type`. A module adds its type with ONE
 * line here (see docs/architecture.md, "Asset module"); the device and the gateway refuse a
 * `type` that is not listed.
 */
import { assetType } from './asset';
import { CONTRACT_DOC_TYPES } from './contracts-types';
import type { AssetDocType } from './doc-type';
import { historyType } from './history';
import { licenceCoverType } from './licence-covers';
import { stocktakeDecisionType, stocktakeScanType, stocktakeType } from './stocktake-docs';

export const ASSET_DOC_TYPES: Readonly<Record<string, AssetDocType>> = Object.fromEntries(
  [
    assetType,
    historyType,
    ...CONTRACT_DOC_TYPES,
    stocktakeType,
    stocktakeScanType,
    stocktakeDecisionType,
    licenceCoverType
    // one line per type
  ].map((t) => [t.type, t])
);

export function assetDocType(type: unknown): AssetDocType | undefined {
  return typeof type === 'string' && Object.hasOwn(ASSET_DOC_TYPES, type) ? ASSET_DOC_TYPES[type] : undefined;
}
