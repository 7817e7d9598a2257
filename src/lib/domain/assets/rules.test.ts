import { describe, expect, it } from 'vitest';
import type { Membership, Role, SessionUser } from '../access';
import { parseDbName, type DbRef } from '../databases';
import { checkAudit, checkWrite, type Doc, type WriteContext } from '../write-rules';
import { assetDocId, inventoryNoProblem, normalizeInventoryNo } from './ids';
import { transitionProblem } from './lifecycle';
import { checkAssetDoc } from './rules';

const T = '2026-11-10T08:00:00.000Z';
const user = (id: string, ...memberships: Membership[]): SessionUser => ({ id, name: id, memberships });
const db = parseDbName('org_gym-kt_assets') as DbRef;
const ctx = (u: SessionUser, roles: Role[], before: Doc | null, after: Doc): WriteContext => ({
  user: u,
  roles,
  db,
  before,
  after
});

const helpdesk = user('helpdesk', { role: 'agent', org: 'ku' });
const reditel = user('reditel.gymkt', { role: 'manager', org: 'gym-kt' });
const ucitel = user('ucitel.gymkt', { role: 'requester', org: 'gym-kt' });
const technik = user('technik.kt', { role: 'contractor', districts: ['KT'] });

function asset(by: string, extra: Doc = {}): Doc {
  const inventoryNo = (extra.inventoryNo as string) ?? 'GYMKT-PC-0001';
  return {
    id: assetDocId('gym-kt', inventoryNo),
    type: 'asset',
    orgId: 'gym-kt',
    inventoryNo,
    key: inventoryNo,
    refId: '',
    day: (extra.warrantyEnd as string) ?? '',
    kind: 'workstation',
    name: 'Počítač Dell OptiPlex 7010',
    state: 'in_use',
    createdBy: 'helpdesk',
    createdAt: T,
    updatedBy: by,
    updatedAt: T,
    ...extra
  };
}
const edit = (doc: Doc, by: string, extra: Doc) => ({ ...doc, updatedBy: by, ...extra });

describe('asset ids', () => {
  it('are made from the organization and the normalized inventory number', () => {
    expect(normalizeInventoryNo('  dhm/2019   0042 ')).toBe('DHM/2019 0042');
    expect(assetDocId('gym-kt', 'dhm/2019 0042')).toBe('asset:gym-kt:DHM_002f2019_00200042');
    expect(assetDocId('gym-kt', 'GYMKT-PC-0001')).toBe('asset:gym-kt:GYMKT-PC-0001');
  });

  it('keep different numbers apart and fit the id field', () => {
    expect(assetDocId('gym-kt', 'A/1')).not.toBe(assetDocId('gym-kt', 'A_1'));
    expect(assetDocId('gym-kt', 'A_1')).toBe('asset:gym-kt:A_005f1');
    expect(assetDocId('gym-kt', 'Č-1')).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/);
    expect(inventoryNoProblem('gym-kt', ' ')).toMatch(/empty/);
    expect(inventoryNoProblem('gym-kt', 'x'.repeat(41))).toMatch(/longer than 40/);
    expect(inventoryNoProblem('gym-kt', '/'.repeat(12))).toMatch(/special characters/);
    expect(inventoryNoProblem('gym-kt', 'DHM/2019/0042')).toBeNull();
  });
});

describe('record types', () => {
  it('accepts a valid asset and a history entry', () => {
    expect(checkAssetDoc(asset('helpdesk'))).toBeNull();
    expect(
      checkAssetDoc({
        id: 'hist:1',
        type: 'asset_history',
        key: '',
        state: '',
        day: '',
        orgId: 'gym-kt',
        refId: assetDocId('gym-kt', 'GYMKT-PC-0001'),
        action: 'edited',
        changes: [{ field: 'site', from: 'A', to: 'B' }]
      })
    ).toBeNull();
  });

  it.each([
    ['an unknown type', { type: 'spaceship' }, /unknown record type "spaceship"/],
    ['a field of another type', { data: { x: 1 } }, /a asset record has no field "data"/],
    ['no name', { name: ' ' }, /name is required/],
    ['an unknown kind', { kind: 'toaster' }, /kind must be one of/],
    ['an id not made from the number', { id: 'asset-1' }, /expected asset:gym-kt:GYMKT-PC-0001/],
    ['a number not normalized', { inventoryNo: 'gymkt-pc-0001' }, /must be written as GYMKT-PC-0001/],
    ['an impossible date', { purchaseDate: '2026-02-30' }, /purchase date must be a date/],
    [
      'a warranty ending before purchase',
      { purchaseDate: '2026-02-01', warrantyEnd: '2025-01-01' },
      /warranty ends before/
    ],
    ['a price with three decimals', { price: 10.005 }, /two decimal places/]
  ])('refuses %s', (_what, extra, reason) => {
    expect(checkAssetDoc(asset('helpdesk', extra as Doc))).toMatch(reason);
  });

  it('refuses a history entry that is not about an asset', () => {
    expect(
      checkAssetDoc({
        id: 'h',
        type: 'asset_history',
        key: '',
        state: '',
        day: '',
        orgId: 'gym-kt',
        refId: 'tk-1',
        action: 'edited',
        changes: []
      })
    ).toMatch(/belongs to an asset/);
  });
});

describe('who writes the register', () => {
  it('lets the agent and the manager write, the contractor and the requester not', () => {
    expect(checkWrite(ctx(helpdesk, ['agent'], null, asset('helpdesk')))).toBeNull();
    const byManager = { ...asset('reditel.gymkt'), createdBy: 'reditel.gymkt' };
    expect(checkWrite(ctx(reditel, ['manager'], null, byManager))).toBeNull();
    expect(checkWrite(ctx(technik, ['contractor'], null, asset('technik.kt')))).toMatch(
      /contractor may not write assets/
    );
    expect(checkWrite(ctx(ucitel, ['requester'], null, asset('ucitel.gymkt')))).toMatch(
      /requester may not write assets/
    );
  });

  it('refuses a second asset with the same inventory number, readably', () => {
    const first = asset('helpdesk');
    const second = asset('reditel.gymkt', {
      createdBy: 'reditel.gymkt',
      createdAt: '2026-11-11T08:00:00.000Z',
      name: 'Jiný'
    });
    expect(checkAudit(ctx(reditel, ['manager'], first, second))).toMatch(
      /inventory number GYMKT-PC-0001 is already in this organization's register \(Počítač Dell/
    );
    expect(checkAudit(ctx(reditel, ['manager'], first, edit(first, 'reditel.gymkt', { site: 'Aula' })))).toBeNull();
  });

  it('keeps history entries as written', () => {
    const h = {
      id: 'hist:1',
      type: 'asset_history',
      key: '',
      state: '',
      day: '',
      orgId: 'gym-kt',
      refId: assetDocId('gym-kt', 'GYMKT-PC-0001'),
      action: 'edited',
      changes: [{ field: 'site', to: 'B' }],
      createdBy: 'helpdesk',
      createdAt: T,
      updatedBy: 'helpdesk',
      updatedAt: T
    };
    expect(checkWrite(ctx(helpdesk, ['agent'], null, h))).toBeNull();
    expect(checkWrite(ctx(helpdesk, ['agent'], h, { ...h, action: 'state' }))).toMatch(
      /written once and never changed/
    );
  });

  it('never lets the inventory number or the type change', () => {
    const a = asset('helpdesk');
    expect(checkWrite(ctx(helpdesk, ['agent'], a, edit(a, 'helpdesk', { inventoryNo: 'GYMKT-PC-0002' })))).toMatch(
      /never changes/
    );
    expect(checkAudit(ctx(helpdesk, ['agent'], a, { ...a, type: 'asset_history' }))).toMatch(/type may not change/);
  });
});

describe('lifecycle and retirement', () => {
  it('moves forward and back but never out of retired', () => {
    expect(transitionProblem('ordered', 'in_stock')).toBeNull();
    expect(transitionProblem('in_repair', 'in_use')).toBeNull();
    expect(transitionProblem('in_use', 'ordered')).toMatch(/cannot go from in_use to ordered/);
    expect(transitionProblem('retired', 'in_use')).toMatch(/stays retired/);
  });

  const inUse = asset('helpdesk');
  const request = { reason: 'Vadná deska', requestedBy: 'helpdesk', requestedAt: T };
  const requested = edit(inUse, 'helpdesk', { retirement: request });
  const approved = edit(requested, 'reditel.gymkt', {
    retirement: { ...request, decision: 'approved', decidedBy: 'reditel.gymkt', decidedAt: T }
  });

  it('refuses a retirement without approval, from the agent and the manager alike', () => {
    expect(checkWrite(ctx(helpdesk, ['agent'], inUse, edit(inUse, 'helpdesk', { state: 'retired' })))).toMatch(
      /needs the manager's approval/
    );
    expect(checkWrite(ctx(reditel, ['manager'], inUse, edit(inUse, 'reditel.gymkt', { state: 'retired' })))).toMatch(
      /needs the manager's approval/
    );
  });

  it('lets the agent ask, only the manager approve, then either retire it', () => {
    expect(checkWrite(ctx(helpdesk, ['agent'], inUse, requested))).toBeNull();
    const selfApproved = edit(requested, 'helpdesk', {
      retirement: { ...request, decision: 'approved', decidedBy: 'helpdesk', decidedAt: T }
    });
    expect(checkWrite(ctx(helpdesk, ['agent'], requested, selfApproved))).toMatch(
      /only the organization's manager decides/
    );
    expect(checkWrite(ctx(reditel, ['manager'], requested, approved))).toBeNull();
    expect(checkWrite(ctx(helpdesk, ['agent'], approved, edit(approved, 'helpdesk', { state: 'retired' })))).toBeNull();
    // The manager may approve and retire in one step.
    expect(checkWrite(ctx(reditel, ['manager'], requested, { ...approved, state: 'retired' }))).toBeNull();
  });

  it('refuses a request signed for someone else and a decision signed by another', () => {
    const forged = edit(inUse, 'helpdesk', { retirement: { ...request, requestedBy: 'reditel.gymkt' } });
    expect(checkWrite(ctx(helpdesk, ['agent'], inUse, forged))).toMatch(/must be made by helpdesk/);
    const signedByOther = edit(requested, 'reditel.gymkt', {
      retirement: { ...request, decision: 'approved', decidedBy: 'zastupce.gymkt', decidedAt: T }
    });
    expect(checkWrite(ctx(reditel, ['manager'], requested, signedByOther))).toMatch(/signed by reditel.gymkt/);
  });

  it('refuses a new asset created as retired', () => {
    expect(checkWrite(ctx(helpdesk, ['agent'], null, asset('helpdesk', { state: 'retired' })))).toMatch(
      /needs the manager's approval/
    );
  });
});
