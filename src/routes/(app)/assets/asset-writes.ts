/**
 * Writes of the register on the device: every change is checked with the gateway's own rules
 * first (a refusal is shown at once, in words), and writes its history record beside it.
 */
import type { RxCollection } from 'rxdb';
import type { OrgInfo, SessionUser } from '$lib/domain/access';
import { diffAsset, historyEntry, newAsset, withAssetKeys, type AssetInput } from '$lib/domain/assets/build';
import { checkAssetsOnDevice } from '$lib/domain/assets/device-check';
import { assetDocId, inventoryNoProblem } from '$lib/domain/assets/ids';
import type { AssetDoc, AssetHistoryDoc } from '$lib/domain/schemas/assets';
import { m } from '$lib/i18n';

type Doc = Record<string, unknown>;
export type AssetsCollection = RxCollection<AssetDoc | AssetHistoryDoc>;

export async function createAsset(
  assets: AssetsCollection,
  user: SessionUser,
  org: OrgInfo,
  input: AssetInput
): Promise<AssetDoc> {
  const problem = inventoryNoProblem(org.id, input.inventoryNo);
  if (problem) throw new Error(problem);
  const now = new Date();
  const asset = newAsset(org.id, input, user.id, now);
  const existing = await assets.findOne(assetDocId(org.id, input.inventoryNo)).exec();
  if (existing)
    throw new Error(
      m.assets_duplicate({ number: asset.inventoryNo, name: String((existing.toJSON() as Doc).name ?? '') })
    );
  const refusal = checkAssetsOnDevice(user, org, null, asset as unknown as Doc, now);
  if (refusal) throw new Error(refusal);
  await assets.bulkInsert([asset, historyEntry(asset, 'created', diffAsset(null, asset), user.id, now)]);
  return asset;
}

/** Sets (or, with undefined or '', removes) fields of an asset and records what changed. */
export async function changeAsset(
  assets: AssetsCollection,
  user: SessionUser,
  org: OrgInfo,
  id: string,
  patch: Partial<AssetDoc>,
  action: AssetHistoryDoc['action'],
  note?: string
): Promise<void> {
  const doc = await assets.findOne(id).exec();
  if (!doc) throw new Error(m.assets_not_found());
  const now = new Date();
  const apply = (d: AssetDoc): AssetDoc => {
    const next: Doc = { ...d, updatedBy: user.id, updatedAt: now.toISOString() };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') delete next[k];
      else next[k] = v;
    }
    return withAssetKeys(next as unknown as AssetDoc) as AssetDoc;
  };
  const before = doc.toJSON() as AssetDoc;
  const after = apply(before);
  const refusal = checkAssetsOnDevice(user, org, before as unknown as Doc, after as unknown as Doc, now);
  if (refusal) throw new Error(refusal);
  const changes = diffAsset(before, after);
  if (changes.length === 0) return;
  await doc.incrementalModify((d) => apply(d as AssetDoc));
  await assets.insert(historyEntry(after, action, changes, user.id, now, note));
}
