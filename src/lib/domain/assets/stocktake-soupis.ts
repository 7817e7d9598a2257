/**
 * The inventurní soupis (§ 30(7) of the accounting act): what was counted, where, how the
 * state was established, when the count started and ended, who counted, and the differences
 * (manko, přebytek, assets found at another site), with numbered rows for signatures. And the
 * differences as proposals for the register, which a manager confirms one by one: nothing in
 * the register changes because a phone scanned something.
 */
import type { MovedAsset, Reconciliation, RegisterAsset, ScanMethod, StocktakeScope, SurplusItem } from './stocktake';

export type RowStatus = 'found' | 'moved' | 'missing' | 'surplus';

export interface SoupisRow {
  /** Row number, from 1: soupis pages and rows are numbered. */
  no: number;
  status: RowStatus;
  inventoryNo: string;
  name?: string;
  kind?: string;
  /** Where the register has it. */
  registerSite?: string;
  /** Where it was counted. */
  countedSite?: string;
  method?: ScanMethod;
  countedBy?: string;
  countedAt?: string;
  /** Surplus: the label names another organization. */
  foreignOrg?: string;
  /** Surplus: the register knows the asset but not as present (retired, ordered). */
  registerState?: string;
}

export interface SoupisInput {
  scope: StocktakeScope;
  startedAt: string;
  /** When the stocktake was closed; an open one reports up to its last scan. */
  closedAt?: string;
  /** The committee named when the stocktake started. */
  committee: readonly string[];
}

export interface Soupis {
  scope: StocktakeScope;
  startedAt: string;
  endedAt?: string;
  committee: string[];
  /** Who actually scanned or typed codes. */
  counters: string[];
  /** How many codes were read by camera and how many typed. */
  methods: Record<ScanMethod, number>;
  rows: SoupisRow[];
  counts: { expected: number; found: number; moved: number; missing: number; surplus: number; duplicates: number };
}

const byInventoryNo = (a: { inventoryNo: string }, b: { inventoryNo: string }) =>
  a.inventoryNo < b.inventoryNo ? -1 : a.inventoryNo > b.inventoryNo ? 1 : 0;

export function buildSoupis(rec: Reconciliation, input: SoupisInput): Soupis {
  const found = rec.found.map(({ asset, scan }) => ({
    status: 'found' as const,
    ...assetCols(asset),
    countedSite: scan.site ?? input.scope.site ?? asset.site,
    method: scan.method,
    countedBy: scan.by,
    countedAt: scan.at
  }));
  const moved = rec.moved.map(({ asset, scan, toSite }) => ({
    status: 'moved' as const,
    ...assetCols(asset),
    countedSite: toSite,
    method: scan.method,
    countedBy: scan.by,
    countedAt: scan.at
  }));
  const missing = rec.missing.map((asset) => ({ status: 'missing' as const, ...assetCols(asset) }));
  const surplus = rec.surplus.map((s) => ({
    status: 'surplus' as const,
    inventoryNo: s.inventoryNo,
    countedSite: s.scan.site ?? input.scope.site,
    method: s.scan.method,
    countedBy: s.scan.by,
    countedAt: s.scan.at,
    foreignOrg: s.foreignOrg,
    registerState: s.registerState
  }));
  // Counted assets first (the books), then the differences, each group by inventory number.
  const rows = [...[...found, ...moved].sort(byInventoryNo), ...missing.sort(byInventoryNo), ...surplus].map(
    (r, i): SoupisRow => ({ no: i + 1, ...r })
  );
  const scans = rec.results.map((r) => r.scan);
  const lastScan = scans.reduce<string | undefined>((m, s) => (m === undefined || s.at > m ? s.at : m), undefined);
  return {
    scope: input.scope,
    startedAt: input.startedAt,
    endedAt: input.closedAt ?? lastScan,
    committee: [...input.committee],
    counters: [...new Set(scans.map((s) => s.by))].sort(),
    methods: {
      camera: scans.filter((s) => s.method === 'camera').length,
      typed: scans.filter((s) => s.method === 'typed').length
    },
    rows,
    counts: {
      expected: rec.expected.length,
      found: rec.found.length,
      moved: rec.moved.length,
      missing: rec.missing.length,
      surplus: rec.surplus.length,
      duplicates: rec.duplicates.length
    }
  };
}

function assetCols(a: RegisterAsset) {
  return { inventoryNo: a.inventoryNo, name: a.name, kind: a.kind, registerSite: a.site };
}

/** A change to the register that a difference suggests. `key` is stable across recomputations. */
export type Proposal =
  | { key: string; kind: 'missing'; assetId: string; inventoryNo: string; name: string; site?: string }
  | {
      key: string;
      kind: 'moved';
      assetId: string;
      inventoryNo: string;
      name: string;
      fromSite?: string;
      toSite?: string;
      room?: string;
    }
  | {
      key: string;
      kind: 'surplus';
      inventoryNo: string;
      site?: string;
      room?: string;
      foreignOrg?: string;
      assetId?: string;
      registerState?: string;
    };

export type ProposalKind = Proposal['kind'];

/**
 * Proposal keys are document-id-safe (they name the manager's decision document):
 * missing and moved by asset id, surplus by the inventory number read.
 */
export function proposalKey(kind: ProposalKind, ref: string): string {
  const safe = ref.replace(/[^A-Za-z0-9._-]/g, '_');
  // Replaced characters or a cut could make two references one key: a hash keeps them apart.
  return safe === ref && safe.length <= 48 ? `${kind}-${ref}` : `${kind}-${safe.slice(0, 40)}-${fnv1a(ref)}`;
}

/** 32-bit FNV-1a as 8 hex digits: short, stable, no dependency. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function proposalsOf(rec: Reconciliation, scope: StocktakeScope): Proposal[] {
  const missing = rec.missing.map((a): Proposal => ({
    key: proposalKey('missing', a.id),
    kind: 'missing',
    assetId: a.id,
    inventoryNo: a.inventoryNo,
    name: a.name,
    site: a.site
  }));
  const moved = rec.moved.map((m: MovedAsset): Proposal => ({
    key: proposalKey('moved', m.asset.id),
    kind: 'moved',
    assetId: m.asset.id,
    inventoryNo: m.asset.inventoryNo,
    name: m.asset.name,
    fromSite: m.asset.site,
    toSite: m.toSite,
    room: m.scan.room
  }));
  const surplus = rec.surplus.map((s: SurplusItem): Proposal => ({
    key: proposalKey('surplus', `${s.foreignOrg ? `${s.foreignOrg}_` : ''}${s.inventoryNo}`),
    kind: 'surplus',
    inventoryNo: s.inventoryNo,
    site: s.scan.site ?? scope.site,
    room: s.scan.room,
    foreignOrg: s.foreignOrg,
    assetId: s.assetId,
    registerState: s.registerState
  }));
  return [...missing, ...moved, ...surplus];
}
