import { describe, expect, it } from 'vitest';
import { assetSchema, type AssetDoc } from '$lib/domain/schemas/assets';
import { assetListPlan, type AssetListFilter } from './asset-list';

const base: AssetListFilter = { orgIds: [], kind: '', state: '', warrantyDays: 0, today: '2026-11-30' };
const a = (extra: Partial<AssetDoc>) =>
  ({ id: 'x', orgId: 'gym-kt', key: 'A', day: '', kind: 'laptop', state: 'in_use', ...extra }) as AssetDoc;

describe('register list plans', () => {
  it('reads one index range per organization of a district, merged by inventory number', () => {
    const plan = assetListPlan({ ...base, orgIds: ['sos-do', 'gym-kt'] });
    expect(plan.index).toEqual(['type', 'orgId', 'key']);
    expect(plan.ranges).toEqual([{ prefix: ['asset', 'gym-kt'] }, { prefix: ['asset', 'sos-do'] }]);
    expect(plan.where).toBeUndefined();
  });

  it('reads a state across the region through the state index, and the whole register by number', () => {
    expect(assetListPlan({ ...base, state: 'in_repair' }).ranges).toEqual([{ prefix: ['asset', 'in_repair'] }]);
    expect(assetListPlan(base).index).toEqual(['type', 'key']);
  });

  it('filters what no index holds: kind, holder, warranty ending within the days asked', () => {
    const plan = assetListPlan({ ...base, kind: 'laptop', warrantyDays: 30, holder: 'ucitel.gymkt' });
    expect(plan.index).toEqual(['type', 'day']);
    const mine = { holder: 'ucitel.gymkt' };
    expect(plan.where!(a({ ...mine, day: '2026-12-15' }))).toBe(true);
    expect(plan.where!(a({ ...mine, day: '2027-02-01' }))).toBe(false);
    expect(plan.where!(a({ ...mine, day: '2026-11-01' }))).toBe(false);
    expect(plan.where!(a({ ...mine, day: '' }))).toBe(false);
    expect(plan.where!(a({ ...mine, day: '2026-12-15', kind: 'printer' }))).toBe(false);
    expect(plan.where!(a({ day: '2026-12-15' }))).toBe(false);
  });

  it('reads only indexes the local schema declares', () => {
    const declared = new Set(assetSchema.indexes.map((i) => JSON.stringify(i)));
    for (const f of [
      base,
      { ...base, orgIds: ['gym-kt'] },
      { ...base, state: 'retired' as const },
      { ...base, warrantyDays: 90 }
    ])
      expect(declared.has(JSON.stringify(assetListPlan(f).index))).toBe(true);
  });
});
