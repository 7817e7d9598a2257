import { describe, expect, it } from 'vitest';
import type { AssetDoc } from '../schemas/assets';
import { validateAsset } from './asset';
import { assetDocId } from './ids';
import { applyProposal, decidedKeys, type ApplyInput } from './stocktake-apply';
import { decisionId } from './stocktake-docs';
import type { Proposal } from './stocktake-soupis';

const NOW = new Date('2026-11-30T10:00:00.000Z');
const asset: AssetDoc = {
  id: assetDocId('gym-kt', 'GYMKT-PC-0001'),
  orgId: 'gym-kt',
  type: 'asset',
  key: 'GYMKT-PC-0001',
  refId: '',
  day: '',
  inventoryNo: 'GYMKT-PC-0001',
  kind: 'workstation',
  name: 'Počítač Dell',
  state: 'in_use',
  site: 'Tělocvična',
  room: 'kabinet',
  createdBy: 'helpdesk',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedBy: 'helpdesk',
  updatedAt: '2025-01-01T00:00:00.000Z'
};
const base = (proposal: Proposal, extra: Partial<ApplyInput> = {}): ApplyInput => ({
  orgId: 'gym-kt',
  stocktakeId: 'stocktake:abc-def',
  stocktakeName: 'Inventura 2026',
  userId: 'reditel.gymkt',
  proposal,
  decision: 'confirmed',
  asset,
  newAssetName: 'Nalezeno při inventuře',
  now: NOW,
  ...extra
});
const ok = (r: ReturnType<typeof applyProposal>) => {
  if ('problem' in r) throw new Error(r.problem);
  return r;
};

describe('a confirmed proposal changes the register', () => {
  it('missing: retired, approved by the manager who confirms, with a history entry', () => {
    const r = ok(
      applyProposal(
        base({ key: 'missing-a', kind: 'missing', assetId: asset.id, inventoryNo: asset.inventoryNo, name: asset.name })
      )
    );
    expect(r.asset).toMatchObject({ state: 'retired', stateSince: '2026-11-30', updatedBy: 'reditel.gymkt' });
    expect(r.asset?.retirement).toMatchObject({
      decision: 'approved',
      decidedBy: 'reditel.gymkt',
      requestedBy: 'reditel.gymkt'
    });
    expect(r.history).toMatchObject({
      type: 'asset_history',
      refId: asset.id,
      action: 'stocktake',
      changes: [{ field: 'state', from: 'in_use', to: 'retired' }]
    });
    expect(r.decision.id).toBe(decisionId('stocktake:abc-def', 'missing-a'));
    expect(validateAsset(r.asset as never)).toBeNull();
  });

  it('moved: the new site and room, seen now', () => {
    const r = ok(
      applyProposal(
        base({
          key: 'moved-a',
          kind: 'moved',
          assetId: asset.id,
          inventoryNo: asset.inventoryNo,
          name: asset.name,
          fromSite: 'Tělocvična',
          toSite: 'Pavilon B',
          room: '204'
        })
      )
    );
    expect(r.asset).toMatchObject({ site: 'Pavilon B', room: '204', lastSeenAt: NOW.toISOString() });
    expect(r.asset?.fieldTimes).toMatchObject({ site: NOW.toISOString(), room: NOW.toISOString() });
    expect(r.history?.changes).toEqual([
      { field: 'site', from: 'Tělocvična', to: 'Pavilon B' },
      { field: 'room', from: 'kabinet', to: '204' }
    ]);
  });

  it('surplus: a new asset in use at the site where it was found', () => {
    const r = ok(
      applyProposal(
        base({ key: 'surplus-x', kind: 'surplus', inventoryNo: 'PROJ-7', site: 'Tělocvična' }, { asset: undefined })
      )
    );
    expect(r.asset).toMatchObject({
      id: assetDocId('gym-kt', 'PROJ-7'),
      inventoryNo: 'PROJ-7',
      state: 'in_use',
      kind: 'other',
      site: 'Tělocvična'
    });
    expect(validateAsset(r.asset as never)).toBeNull();
  });
});

describe('what only records the decision', () => {
  it('a rejection', () => {
    const r = ok(
      applyProposal(
        base(
          { key: 'missing-a', kind: 'missing', assetId: asset.id, inventoryNo: asset.inventoryNo, name: asset.name },
          { decision: 'rejected' }
        )
      )
    );
    expect(r.asset).toBeUndefined();
    expect(r.decision.data.decision).toBe('rejected');
  });
  it("another organization's label and a retired asset found", () => {
    expect(
      ok(applyProposal(base({ key: 's1', kind: 'surplus', inventoryNo: 'X-1', foreignOrg: 'sos-do' }))).asset
    ).toBeUndefined();
    expect(
      ok(
        applyProposal(
          base({
            key: 's2',
            kind: 'surplus',
            inventoryNo: 'X-2',
            assetId: 'asset:gym-kt:X-2',
            registerState: 'retired'
          })
        )
      ).asset
    ).toBeUndefined();
  });
  it('a missing asset already retired', () => {
    const r = ok(
      applyProposal(
        base(
          { key: 'm', kind: 'missing', assetId: asset.id, inventoryNo: asset.inventoryNo, name: asset.name },
          { asset: { ...asset, state: 'retired' } }
        )
      )
    );
    expect(r.asset).toBeUndefined();
  });
});

describe('problems', () => {
  it('a surplus number that cannot be an inventory number, and an asset gone from the device', () => {
    expect(applyProposal(base({ key: 's', kind: 'surplus', inventoryNo: 'X'.repeat(41) }))).toMatchObject({
      problem: expect.stringContaining('40')
    });
    expect(
      applyProposal(
        base({ key: 'm', kind: 'moved', assetId: 'gone', inventoryNo: 'G', name: 'G' }, { asset: undefined })
      )
    ).toMatchObject({ problem: expect.any(String) });
  });
  it('decided keys', () => {
    const r = ok(applyProposal(base({ key: 'k', kind: 'surplus', inventoryNo: 'Y', foreignOrg: 'sos-do' })));
    expect(decidedKeys([r.decision]).get('k')?.data.decision).toBe('confirmed');
  });
});
