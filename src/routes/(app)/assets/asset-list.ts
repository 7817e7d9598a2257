/**
 * The register's list views as index plans (`$lib/ui/list/keyset`): one organization or a
 * district's organizations read `[type, orgId, key]` (one range per organization, merged by
 * inventory number), a state across the region reads `[type, state, key]`, warranty ending
 * reads `[type, day]`, everything else `[type, key]`; what no index holds is a filter.
 */
import type { AssetDoc, AssetKind, AssetState } from '$lib/domain/schemas/assets';
import type { ListPlan } from '$lib/ui/list/keyset';

export interface AssetListFilter {
  /** Organizations to show; empty: all the person holds. */
  orgIds: readonly string[];
  kind: AssetKind | '';
  state: AssetState | '';
  /** Show only warranties ending within this many days from `today`; 0: no such filter. */
  warrantyDays: number;
  today: string;
  /** Only assets this account holds ("my equipment"). */
  holder?: string;
}

const asc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a: AssetDoc, b: AssetDoc) => asc(a.key, b.key) || asc(a.id, b.id);
const byDay = (a: AssetDoc, b: AssetDoc) => asc(a.day, b.day) || asc(a.id, b.id);

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function assetListPlan(f: AssetListFilter): ListPlan<AssetDoc> {
  const checks: ((a: AssetDoc) => boolean)[] = [];
  const orgs = new Set(f.orgIds);
  if (f.kind) checks.push((a) => a.kind === f.kind);
  if (f.holder) checks.push((a) => a.holder === f.holder);
  let plan: Omit<ListPlan<AssetDoc>, 'where'>;
  if (f.warrantyDays > 0) {
    const until = addDays(f.today, f.warrantyDays);
    checks.push((a) => a.day >= f.today && a.day <= until);
    if (orgs.size) checks.push((a) => orgs.has(a.orgId));
    if (f.state) checks.push((a) => a.state === f.state);
    plan = { index: ['type', 'day'], ranges: [{ prefix: ['asset'] }], direction: 'asc', compare: byDay };
  } else if (f.state && orgs.size !== 1) {
    if (orgs.size) checks.push((a) => orgs.has(a.orgId));
    plan = {
      index: ['type', 'state', 'key'],
      ranges: [{ prefix: ['asset', f.state] }],
      direction: 'asc',
      compare: byKey
    };
  } else if (orgs.size) {
    if (f.state) checks.push((a) => a.state === f.state);
    plan = {
      index: ['type', 'orgId', 'key'],
      ranges: [...orgs].sort().map((o) => ({ prefix: ['asset', o] })),
      direction: 'asc',
      compare: byKey
    };
  } else {
    plan = { index: ['type', 'key'], ranges: [{ prefix: ['asset'] }], direction: 'asc', compare: byKey };
  }
  return checks.length ? { ...plan, where: (a) => checks.every((c) => c(a)) } : plan;
}
