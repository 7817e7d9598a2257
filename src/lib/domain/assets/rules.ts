/**
 * Write rules of the asset module's database, called from `write-rules.ts` for
 * `org_<org>_assets`: the type is known and its fields are its own, its content is valid, it
 * keeps its identity (a second asset under a used inventory number is refused as a
 * duplicate, not merged into the first), append-only types are never edited, and the type's
 * own role rules. Agents and the organization's managers write (the role table); contractors
 * and requesters only read, which `ORG_RIGHTS` already decides.
 */
import type { Role } from '../access';
import { ASSET_ENVELOPE_FIELDS } from '../schemas/assets';
import type { Doc, WriteContext } from '../write-rules';
import { assetDocType } from './registry';
import { checkRecordPlacement, type AssetsDbCollection } from './contracts-db';

/** The module's databases: the register and the contract archive (same envelope, same rules). */
export const isAssetsDb = (collection: string): collection is AssetsDbCollection =>
  collection === 'assets' || collection === 'contracts';

const ENVELOPE = new Set<string>(ASSET_ENVELOPE_FIELDS);

/** The document's type, fields and content, for any writer (null: fine). */
export function checkAssetDoc(doc: Doc): string | null {
  const t = assetDocType(doc.type);
  if (!t) return `unknown record type "${String(doc.type)}" in the asset register`;
  const own = new Set(t.fields);
  for (const k of Object.keys(doc)) {
    if (!ENVELOPE.has(k) && !own.has(k)) return `a ${t.type} record has no field "${k}"`;
  }
  return t.validate(doc);
}

/**
 * Runs before the audit check: a document that exists already under a new record's id is,
 * for assets, another asset with the same inventory number (ids are made from it). Without
 * this the writer would read "createdAt may not change", which explains nothing.
 */
export function checkAssetIdentity(before: Doc | null, after: Doc): string | null {
  if (!before) return null;
  if (before.type !== after.type) return `the record type may not change (it is ${String(before.type)})`;
  const recreated = before.createdAt !== after.createdAt || before.createdBy !== after.createdBy;
  if (!recreated) return null;
  const own = assetDocType(after.type)?.duplicate?.(before, after);
  if (own) return own;
  if (after.type === 'asset')
    return `inventory number ${String(after.inventoryNo)} is already in this organization's register (${String(before.name ?? '')})`;
  return `a ${String(after.type)} record with id ${String(after.id)} already exists`;
}

/** The content checks and append-only rule, once per write (all roles, the administrator too). */
export function checkAssetsWrite(ctx: WriteContext): string | null {
  if (ctx.db.kind === 'org' && isAssetsDb(ctx.db.collection)) {
    const misplaced = checkRecordPlacement(ctx.db.collection, ctx.after);
    if (misplaced) return misplaced;
  }
  const fixed = assetDocType(ctx.after.type)?.immutable ?? {};
  for (const [field, why] of Object.entries(fixed)) {
    if (ctx.before && JSON.stringify(ctx.before[field]) !== JSON.stringify(ctx.after[field])) return why;
  }
  const problem = checkAssetDoc(ctx.after);
  if (problem) return problem;
  const t = assetDocType(ctx.after.type)!;
  if (t.appendOnly && ctx.before) return `a ${t.type} record is written once and never changed`;
  return null;
}

/** The type's own role rule for one role of the writer. */
export function checkAssetsRole(role: Role, ctx: WriteContext): string | null {
  const t = assetDocType(ctx.after.type);
  return t?.checkRole ? t.checkRole(role, ctx) : null;
}
