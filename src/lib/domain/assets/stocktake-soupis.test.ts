import { describe, expect, it } from 'vitest';
import { reconcile, type RegisterAsset, type StocktakeScan } from './stocktake';
import { buildSoupis, proposalKey, proposalsOf } from './stocktake-soupis';

const asset = (inventoryNo: string, site = 'Budova A'): RegisterAsset => ({
  id: `a-${inventoryNo}`,
  inventoryNo,
  name: `PC ${inventoryNo}`,
  kind: 'workstation',
  site,
  state: 'in_use'
});
const scan = (id: string, code: string, at: string, over: Partial<StocktakeScan> = {}): StocktakeScan => ({
  id,
  code,
  at,
  method: 'camera',
  by: 'helpdesk',
  site: 'Budova A',
  ...over
});

const register = [asset('B-2'), asset('A-1'), asset('C-3'), asset('D-4', 'Budova B')];
const scope = { orgId: 'gym-kt', site: 'Budova A' };
const rec = reconcile(register, scope, [
  scan('s1', 'B-2', '2026-11-30T09:00:00.000Z'),
  scan('s2', 'D-4', '2026-11-30T09:05:00.000Z', { room: '204', by: 'reditel.gymkt', method: 'typed' }),
  scan('s3', 'ZZ/9', '2026-11-30T09:10:00.000Z'),
  scan('s4', 'b-2', '2026-11-30T09:11:00.000Z')
]);

describe('soupis', () => {
  const soupis = buildSoupis(rec, {
    scope,
    startedAt: '2026-11-30T08:30:00.000Z',
    committee: ['helpdesk', 'reditel.gymkt']
  });

  it('numbers the rows: counted by inventory number, then missing, then surplus', () => {
    expect(soupis.rows.map((r) => [r.no, r.inventoryNo, r.status])).toEqual([
      [1, 'B-2', 'found'],
      [2, 'D-4', 'moved'],
      [3, 'A-1', 'missing'],
      [4, 'C-3', 'missing'],
      [5, 'ZZ/9', 'surplus']
    ]);
  });

  it('records where each row was counted, how and by whom', () => {
    expect(soupis.rows[1]).toMatchObject({
      registerSite: 'Budova B',
      countedSite: 'Budova A',
      method: 'typed',
      countedBy: 'reditel.gymkt'
    });
    expect(soupis.counters).toEqual(['helpdesk', 'reditel.gymkt']);
    expect(soupis.methods).toEqual({ camera: 3, typed: 1 });
  });

  it('counts the differences', () => {
    expect(soupis.counts).toEqual({ expected: 3, found: 1, moved: 1, missing: 2, surplus: 1, duplicates: 1 });
  });

  it('ends at closing, or at the last scan while open', () => {
    expect(soupis.endedAt).toBe('2026-11-30T09:11:00.000Z');
    const closed = buildSoupis(rec, {
      scope,
      startedAt: soupis.startedAt,
      closedAt: '2026-11-30T12:00:00.000Z',
      committee: []
    });
    expect(closed.endedAt).toBe('2026-11-30T12:00:00.000Z');
  });
});

describe('proposals', () => {
  const proposals = proposalsOf(rec, scope);

  it('proposes a missing asset, a move and a surplus item', () => {
    expect(proposals.map((p) => [p.kind, p.inventoryNo])).toEqual([
      ['missing', 'A-1'],
      ['missing', 'C-3'],
      ['moved', 'D-4'],
      ['surplus', 'ZZ/9']
    ]);
    expect(proposals[2]).toMatchObject({ fromSite: 'Budova B', toSite: 'Budova A', room: '204' });
  });

  it('gives each proposal a key fit for a document id, stable and distinct', () => {
    for (const p of proposals) expect(p.key).toMatch(/^[A-Za-z0-9._-]{1,60}$/);
    expect(proposalKey('surplus', 'AB/1')).not.toBe(proposalKey('surplus', 'AB_1'));
    expect(proposalKey('surplus', 'AB/1')).toBe(proposalKey('surplus', 'AB/1'));
    expect(proposalKey('surplus', 'x'.repeat(60)).length).toBeLessThanOrEqual(60);
  });
});
