/**
 * The `asset_history` record: one change of an asset (who, when, what), its own document so
 * that an asset used for a decade does not carry a decade of history. Written once, never
 * changed; `refId` names the asset, `createdBy`/`createdAt` say who and when.
 */
import type { Doc } from '../write-rules';
import type { AssetDocType } from './doc-type';
import { requireText } from './fields';
import { HISTORY_PARENT_PREFIXES, hasHistory } from './record-history';

export const HISTORY_ACTIONS = [
  'created',
  'edited',
  'state',
  'retirement_requested',
  'retirement_approved',
  'retirement_refused',
  'imported',
  'stocktake'
] as const;

export function validateHistory(doc: Doc): string | null {
  const p = requireText(doc, 'refId', 'the asset (refId)') ?? requireText(doc, 'action');
  if (p) return p;
  if (!hasHistory(doc.refId))
    return `a history entry belongs to an asset, contract, licence agreement or number range (refId ${HISTORY_PARENT_PREFIXES.join('…, ')}…)`;
  if (!(HISTORY_ACTIONS as readonly string[]).includes(String(doc.action)))
    return `action must be one of ${HISTORY_ACTIONS.join(', ')}`;
  if (!Array.isArray(doc.changes)) return 'changes are required';
  return null;
}

export const historyType: AssetDocType = {
  type: 'asset_history',
  fields: ['refId', 'action', 'changes', 'note'],
  validate: validateHistory,
  appendOnly: true
};
