/**
 * Stocktake reconciliation (inventarizace): the register's expected list against the scans.
 *
 * Every scan is its own append-only document, so two phones counting the same stocktake
 * offline never overwrite each other; the outcome is a pure function of the SET of scans:
 * scans are put in one total order (device time, then id) before they are judged, so the
 * result does not depend on which device synced first (property-tested). The order decides
 * only which of two scans of one label counts as "already scanned"; it never drops a scan.
 *
 * A scan is
 * - `found`: an asset of the register, counted where the register has it;
 * - `moved`: an asset of the organization counted at another site (found, register to move);
 * - `unknown`: a code that is no asset in use of this organization: přebytek (surplus), an
 *   inventory number the register lacks, another organization's label, a retired asset;
 * - `duplicate`: the same label scanned before (on this phone or another one).
 * Expected assets never counted are `missing` (manko).
 */
import { normalizeInventoryNo, parseCode } from './stocktake-code';

export type ScanOutcome = 'found' | 'moved' | 'unknown' | 'duplicate';
export type ScanMethod = 'camera' | 'typed';

/** What the reconciliation needs of an asset of the register. */
export interface RegisterAsset {
  id: string;
  inventoryNo: string;
  name: string;
  kind?: string;
  site?: string;
  room?: string;
  state?: string;
}

/** A stocktake counts one organization, or one of its sites. */
export interface StocktakeScope {
  orgId: string;
  site?: string;
}

export interface StocktakeScan {
  id: string;
  /** The text as scanned or typed. */
  code: string;
  method: ScanMethod;
  /** Device time of the scan. */
  at: string;
  by: string;
  deviceId?: string;
  /** Where the counter stood (for a site stocktake, the site); none: not said. */
  site?: string;
  room?: string;
}

export interface ScanResult {
  scan: StocktakeScan;
  outcome: ScanOutcome;
  inventoryNo: string;
  /** The register's asset, when the code names one (also for a retired asset, as `unknown`). */
  assetId?: string;
  /** For `unknown`: the label names another organization. */
  foreignOrg?: string;
  /** For `unknown`: the register has the asset, but not in use (retired or still ordered). */
  registerState?: string;
  /** For `duplicate`: the scan that counted the label first. */
  firstScanId?: string;
}

export interface MovedAsset {
  asset: RegisterAsset;
  scan: StocktakeScan;
  toSite?: string;
}

export interface SurplusItem {
  inventoryNo: string;
  scan: StocktakeScan;
  foreignOrg?: string;
  assetId?: string;
  registerState?: string;
}

export interface Reconciliation {
  expected: RegisterAsset[];
  /** Every scan once, in the order they were judged. */
  results: ScanResult[];
  found: { asset: RegisterAsset; scan: StocktakeScan }[];
  moved: MovedAsset[];
  /** Distinct surplus labels (a label scanned twice is one item). */
  surplus: SurplusItem[];
  duplicates: ScanResult[];
  missing: RegisterAsset[];
}

/** States in which an asset is expected to be found on site. */
const PRESENT_STATES = new Set(['in_use', 'in_stock', 'in_repair']);
const isPresent = (a: RegisterAsset) => a.state === undefined || PRESENT_STATES.has(a.state);

/** Sites are free text in older registers: compared without case and surrounding spaces. */
export const sameSite = (a: string | undefined, b: string | undefined): boolean =>
  (a ?? '').trim().toLocaleLowerCase('cs') === (b ?? '').trim().toLocaleLowerCase('cs');

/** The assets the committee should find: present, and at the stocktake's site if it has one. */
export function expectedAssets(register: readonly RegisterAsset[], scope: StocktakeScope): RegisterAsset[] {
  return register
    .filter((a) => isPresent(a) && (scope.site === undefined || sameSite(a.site, scope.site)))
    .sort((a, b) => compareText(a.inventoryNo, b.inventoryNo));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The one order every replica judges scans in: device time, then id (ids are unique). */
export function scanOrder(a: StocktakeScan, b: StocktakeScan): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  return compareText(a.id, b.id);
}

/** A register indexed by normalized inventory number (present assets win over retired ones). */
export function indexRegister(register: readonly RegisterAsset[]): Map<string, RegisterAsset> {
  const byNo = new Map<string, RegisterAsset>();
  for (const a of register) {
    const key = normalizeInventoryNo(a.inventoryNo);
    const had = byNo.get(key);
    if (!had || (!isPresent(had) && isPresent(a))) byNo.set(key, a);
  }
  return byNo;
}

/** Judges one scan against what was counted before it; `seen` maps a label key to its first scan. */
export function judgeScan(
  scan: StocktakeScan,
  scope: StocktakeScope,
  byNo: ReadonlyMap<string, RegisterAsset>,
  seen: Map<string, string>
): ScanResult {
  const parsed = parseCode(scan.code);
  const foreign = parsed.orgId !== undefined && parsed.orgId !== scope.orgId ? parsed.orgId : undefined;
  const asset = foreign ? undefined : byNo.get(parsed.inventoryNo);
  const key = asset ? `asset:${asset.id}` : `code:${foreign ?? ''}|${parsed.inventoryNo}`;
  const base = { scan, inventoryNo: parsed.inventoryNo };
  const first = seen.get(key);
  if (first !== undefined) return { ...base, outcome: 'duplicate', assetId: asset?.id, firstScanId: first };
  seen.set(key, scan.id);
  if (foreign) return { ...base, outcome: 'unknown', foreignOrg: foreign };
  if (!asset) return { ...base, outcome: 'unknown' };
  if (!isPresent(asset)) return { ...base, outcome: 'unknown', assetId: asset.id, registerState: asset.state };
  const where = scan.site ?? scope.site;
  const outcome = where === undefined || sameSite(where, asset.site) ? 'found' : 'moved';
  return { ...base, outcome, assetId: asset.id };
}

export function reconcile(
  register: readonly RegisterAsset[],
  scope: StocktakeScope,
  scans: readonly StocktakeScan[]
): Reconciliation {
  const expected = expectedAssets(register, scope);
  const byNo = indexRegister(register);
  const byId = new Map(register.map((a) => [a.id, a]));
  const seen = new Map<string, string>();
  const results = [...scans].sort(scanOrder).map((s) => judgeScan(s, scope, byNo, seen));

  const out: Reconciliation = { expected, results, found: [], moved: [], surplus: [], duplicates: [], missing: [] };
  const counted = new Set<string>();
  for (const r of results) {
    const asset = r.assetId ? byId.get(r.assetId) : undefined;
    switch (r.outcome) {
      case 'found':
        out.found.push({ asset: asset!, scan: r.scan });
        counted.add(asset!.id);
        break;
      case 'moved':
        out.moved.push({ asset: asset!, scan: r.scan, toSite: r.scan.site ?? scope.site });
        counted.add(asset!.id);
        break;
      case 'unknown':
        out.surplus.push({
          inventoryNo: r.inventoryNo,
          scan: r.scan,
          foreignOrg: r.foreignOrg,
          assetId: r.assetId,
          registerState: r.registerState
        });
        break;
      case 'duplicate':
        out.duplicates.push(r);
        break;
    }
  }
  out.missing = expected.filter((a) => !counted.has(a.id));
  return out;
}

/**
 * The part of the register a count depends on: the expected assets and every asset a scan
 * named. Kept with a closed stocktake, so its soupis stays what was signed when the register
 * changes afterwards (confirming its own differences changes it first). Reconciling the same
 * scans against the snapshot gives the same result (property-tested).
 */
export function registerSnapshot(rec: Reconciliation, register: readonly RegisterAsset[]): RegisterAsset[] {
  const named = new Set(rec.results.flatMap((r) => (r.assetId ? [r.assetId] : [])));
  for (const a of rec.expected) named.add(a.id);
  return register
    .filter((a) => named.has(a.id))
    .map(({ id, inventoryNo, name, kind, site, room, state }) => ({
      id,
      inventoryNo,
      name,
      ...(kind !== undefined ? { kind } : {}),
      ...(site !== undefined ? { site } : {}),
      ...(room !== undefined ? { room } : {}),
      ...(state !== undefined ? { state } : {})
    }));
}

/** The outcome of one scan within the whole count (what the phone shows right after scanning). */
export function outcomeOf(rec: Reconciliation, scanId: string): ScanResult | undefined {
  return rec.results.find((r) => r.scan.id === scanId);
}
