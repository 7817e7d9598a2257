import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { labelPayload, normalizeInventoryNo, parseCode } from './stocktake-code';
import {
  expectedAssets,
  reconcile,
  registerSnapshot,
  type RegisterAsset,
  type StocktakeScan,
  type StocktakeScope
} from './stocktake';

const asset = (inventoryNo: string, over: Partial<RegisterAsset> = {}): RegisterAsset => ({
  id: `a-${inventoryNo}`,
  inventoryNo,
  name: `PC ${inventoryNo}`,
  kind: 'workstation',
  site: 'Budova A',
  state: 'in_use',
  ...over
});

let seq = 0;
const scan = (code: string, over: Partial<StocktakeScan> = {}): StocktakeScan => ({
  id: `s-${String(++seq).padStart(4, '0')}`,
  code,
  method: 'camera',
  at: new Date(Date.UTC(2026, 10, 30, 9, 0, seq)).toISOString(),
  by: 'helpdesk',
  deviceId: 'dev-1',
  site: 'Budova A',
  ...over
});

const register = [
  asset('GKT-001'),
  asset('GKT-002'),
  asset('GKT-003'),
  asset('GKT-010', { site: 'Budova B' }),
  asset('GKT-020', { state: 'retired' }),
  asset('GKT-021', { state: 'ordered' })
];
const siteScope: StocktakeScope = { orgId: 'gym-kt', site: 'Budova A' };

describe('codes', () => {
  it('reads our label payload with its organization', () => {
    expect(parseCode(labelPayload('gym-kt', 'GKT-001'))).toEqual({ orgId: 'gym-kt', inventoryNo: 'GKT-001' });
  });
  it.each([
    ['GKT-001', 'GKT-001'],
    ['  gkt-001 \n', 'GKT-001'],
    ['DHM/2019/ 12', 'DHM/2019/12'],
    ['ICT1|Bad Org|X', 'ICT1|BADORG|X'],
    ['https://example.com/x', 'HTTPS://EXAMPLE.COM/X']
  ])('takes %j as inventory number %j', (raw, no) => {
    expect(parseCode(raw).inventoryNo).toBe(no);
    expect(parseCode(raw).orgId).toBeUndefined();
  });
  it('cuts an over-long text instead of refusing it', () => {
    expect(normalizeInventoryNo('x'.repeat(500))).toHaveLength(60);
  });
});

describe('expected list', () => {
  it('holds present assets of the site only, sites compared without case', () => {
    const ids = expectedAssets(register, { orgId: 'gym-kt', site: ' budova a' }).map((a) => a.inventoryNo);
    expect(ids).toEqual(['GKT-001', 'GKT-002', 'GKT-003']);
  });
  it('holds every present asset of the organization without a site', () => {
    expect(expectedAssets(register, { orgId: 'gym-kt' })).toHaveLength(4);
  });
});

describe('reconcile', () => {
  it('finds, flags moved, unknown, duplicate, and lists the missing', () => {
    const s1 = scan('GKT-001');
    const s2 = scan(labelPayload('gym-kt', 'GKT-010'));
    const s3 = scan('NEZNAMY-7', { method: 'typed' });
    const s4 = scan('gkt-001', { deviceId: 'dev-2', by: 'reditel.gymkt' });
    const rec = reconcile(register, siteScope, [s4, s3, s2, s1]);
    expect(rec.results.map((r) => [r.scan.id, r.outcome])).toEqual([
      [s1.id, 'found'],
      [s2.id, 'moved'],
      [s3.id, 'unknown'],
      [s4.id, 'duplicate']
    ]);
    expect(rec.results[3].firstScanId).toBe(s1.id);
    expect(rec.moved[0]).toMatchObject({ asset: { id: 'a-GKT-010' }, toSite: 'Budova A' });
    expect(rec.surplus.map((s) => s.inventoryNo)).toEqual(['NEZNAMY-7']);
    expect(rec.missing.map((a) => a.inventoryNo)).toEqual(['GKT-002', 'GKT-003']);
  });

  it('takes the scan site of an organization-wide count to tell moved from found', () => {
    const rec = reconcile(register, { orgId: 'gym-kt' }, [
      scan('GKT-001', { site: 'Budova B' }),
      scan('GKT-010', { site: 'Budova B' }),
      scan('GKT-002', { site: undefined })
    ]);
    expect(rec.results.map((r) => r.outcome)).toEqual(['moved', 'found', 'found']);
    expect(rec.missing.map((a) => a.inventoryNo)).toEqual(['GKT-003']);
  });

  it('records another organization label as surplus, naming that organization', () => {
    const rec = reconcile(register, siteScope, [scan(labelPayload('sos-do', 'GKT-001'))]);
    expect(rec.results[0]).toMatchObject({ outcome: 'unknown', foreignOrg: 'sos-do', inventoryNo: 'GKT-001' });
    expect(rec.missing).toHaveLength(3);
  });

  it('records a retired or ordered asset found on site as surplus with its register state', () => {
    const rec = reconcile(register, siteScope, [scan('GKT-020'), scan('GKT-021')]);
    expect(rec.surplus.map((s) => [s.assetId, s.registerState])).toEqual([
      ['a-GKT-020', 'retired'],
      ['a-GKT-021', 'ordered']
    ]);
  });

  it('counts an unknown label scanned by two phones once', () => {
    const rec = reconcile(register, siteScope, [
      scan('X-1', { deviceId: 'dev-1' }),
      scan('x-1', { deviceId: 'dev-2' })
    ]);
    expect(rec.surplus).toHaveLength(1);
    expect(rec.duplicates).toHaveLength(1);
  });

  it('lets the earlier device time count first, whatever order the scans arrived in', () => {
    const late = scan('GKT-002', { at: '2026-11-30T10:00:00.000Z', deviceId: 'dev-1', id: 'a-late' });
    const early = scan('GKT-002', { at: '2026-11-30T08:00:00.000Z', deviceId: 'dev-2', id: 'z-early' });
    const rec = reconcile(register, siteScope, [late, early]);
    expect(rec.found[0].scan.id).toBe('z-early');
    expect(rec.duplicates[0]).toMatchObject({ scan: { id: 'a-late' }, firstScanId: 'z-early' });
  });

  it('prefers a present asset when a retired one shares its number', () => {
    const reg = [asset('GKT-030', { id: 'old', state: 'retired' }), asset('GKT-030', { id: 'new' })];
    expect(reconcile(reg, siteScope, [scan('GKT-030')]).found[0].asset.id).toBe('new');
  });

  it('with no scans, everything expected is missing', () => {
    const rec = reconcile(register, siteScope, []);
    expect(rec.missing).toEqual(rec.expected);
    expect(rec.results).toEqual([]);
  });
});

// ---- properties ------------------------------------------------------------------------------

const codes = ['GKT-001', 'GKT-002', 'GKT-003', 'GKT-010', 'GKT-020', 'X-1', 'x-1', labelPayload('sos-do', 'GKT-001')];
const arbScan = (device: string) =>
  fc
    .record({
      code: fc.constantFrom(...codes),
      t: fc.integer({ min: 0, max: 50 }),
      n: fc.nat(1e6),
      site: fc.constantFrom('Budova A', 'Budova B', undefined)
    })
    .map(({ code, t, n, site }): StocktakeScan => ({
      id: `${device}:${n}`,
      code,
      method: 'camera',
      at: new Date(Date.UTC(2026, 10, 30, 9, 0, t)).toISOString(),
      by: device,
      deviceId: device,
      site
    }));
const uniqueScans = (device: string) => fc.uniqueArray(arbScan(device), { selector: (s) => s.id, maxLength: 25 });
const scopes = fc.constantFrom<StocktakeScope>(siteScope, { orgId: 'gym-kt' });
const summary = (rec: ReturnType<typeof reconcile>) => ({
  results: rec.results.map((r) => [r.scan.id, r.outcome, r.assetId ?? r.inventoryNo]),
  missing: rec.missing.map((a) => a.id)
});

describe('properties', () => {
  it('two phones counting offline merge to the same result in any order of arrival', () => {
    fc.assert(
      fc.property(uniqueScans('dev-1'), uniqueScans('dev-2'), scopes, fc.nat(), (a, b, scope, cut) => {
        // The second phone's scans arrive in two batches around the first phone's.
        const k = b.length ? cut % b.length : 0;
        const orders = [[...a, ...b], [...b, ...a], [...b.slice(0, k), ...a, ...b.slice(k)], [...a, ...b].reverse()];
        const [first, ...rest] = orders.map((o) => summary(reconcile(register, scope, o)));
        for (const r of rest) expect(r).toEqual(first);
      })
    );
  });

  it('loses no scan and counts no asset twice', () => {
    fc.assert(
      fc.property(uniqueScans('dev-1'), uniqueScans('dev-2'), scopes, (a, b, scope) => {
        const all = [...a, ...b];
        const rec = reconcile(register, scope, all);
        expect(rec.results.map((r) => r.scan.id).sort()).toEqual(all.map((s) => s.id).sort());
        const counted = [...rec.found, ...rec.moved].map((f) => f.asset.id);
        expect(new Set(counted).size).toBe(counted.length);
        // Every expected asset is counted (found or moved) or missing, never both.
        for (const e of rec.expected) {
          expect(Number(counted.includes(e.id)) + Number(rec.missing.some((m) => m.id === e.id))).toBe(1);
        }
        expect(rec.found.length + rec.moved.length + rec.surplus.length + rec.duplicates.length).toBe(all.length);
      })
    );
  });

  it('a duplicate always points at a scan judged before it', () => {
    fc.assert(
      fc.property(uniqueScans('dev-1'), uniqueScans('dev-2'), (a, b) => {
        const rec = reconcile(register, siteScope, [...a, ...b]);
        const pos = new Map(rec.results.map((r, i) => [r.scan.id, i]));
        for (const d of rec.duplicates) expect(pos.get(d.firstScanId!)!).toBeLessThan(pos.get(d.scan.id)!);
      })
    );
  });

  it('a closed count reconciled against its register snapshot is the same count', () => {
    fc.assert(
      fc.property(uniqueScans('dev-1'), uniqueScans('dev-2'), scopes, (a, b, scope) => {
        const rec = reconcile(register, scope, [...a, ...b]);
        const again = reconcile(registerSnapshot(rec, register), scope, [...b, ...a]);
        expect(summary(again)).toEqual(summary(rec));
      })
    );
  });
});
