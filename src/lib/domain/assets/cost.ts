/**
 * IT cost per organization and month: assets bought (purchase price in the month of purchase),
 * licences (the price of agreements and renewals in the month they start) and contractor work
 * (the contractor report's reward less penalties for the organization's tickets resolved in
 * the month). Pure; the screen and the CSV read the same rows.
 */
import type { OrgInfo } from '../access';
import type { Ticket } from '../schemas/tickets';
import type { CatalogEntry } from '../sla/policy';
import { contractorReport } from '../tickets/report';

export interface CostRow {
  orgId: string;
  month: string;
  assets: number;
  licences: number;
  contractors: number;
  total: number;
}

/** A cost of one licence record: amount in CZK on a day. */
export interface LicenceCost {
  orgId: string;
  day: string;
  amount: number;
}

type Rec = Record<string, unknown>;
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * Licence costs from the module's records: a contract that licences were bought under (a
 * `licence` names it in `data.contractId`, or the contract lists `data.licenceIds`) costs its
 * value without VAT on the day it took effect (else was signed); a licence record carrying a
 * price of its own (`price`, `value`, `amount` at the top or in `data`) costs that on the day
 * it starts.
 */
export function licenceCosts(docs: readonly Rec[]): LicenceCost[] {
  const out: LicenceCost[] = [];
  const dataOf = (d: Rec) => (d.data && typeof d.data === 'object' ? d.data : {}) as Rec;
  const licenceContracts = new Set(
    docs.filter((d) => d.type === 'licence' && str(dataOf(d).contractId)).map((d) => str(dataOf(d).contractId))
  );
  for (const d of docs) {
    const data = dataOf(d);
    if (d.type === 'contract') {
      const forLicences =
        licenceContracts.has(str(d.id)) || (Array.isArray(data.licenceIds) && data.licenceIds.length > 0);
      const day = str(data.effectiveFrom) || str(data.signedOn);
      if (forLicences && num(data.valueExclVat) > 0 && /^\d{4}-\d\d/.test(day))
        out.push({ orgId: str(d.orgId), day, amount: num(data.valueExclVat) });
      continue;
    }
    if (!/^licen[cs]e/.test(str(d.type)) || /seat|assign/.test(str(d.type))) continue;
    const amount = num(d.price) || num(data.price) || num(data.value) || num(data.amount);
    const day = str(data.validFrom) || str(data.signedOn) || str(d.createdAt).slice(0, 10);
    if (amount > 0 && /^\d{4}-\d\d/.test(day)) out.push({ orgId: str(d.orgId), day, amount });
  }
  return out;
}

export interface CostInput {
  /** Asset records (type `asset`) of the organizations in view. */
  assets: readonly Rec[];
  licences: readonly LicenceCost[];
  tickets: readonly Ticket[];
  catalog: readonly CatalogEntry[];
  orgs: readonly Pick<OrgInfo, 'id' | 'district'>[];
  /** `YYYY-MM`, oldest first. */
  months: readonly string[];
}

export function itCost(input: CostInput): CostRow[] {
  const months = new Set(input.months);
  const rows = new Map<string, CostRow>();
  const row = (orgId: string, month: string) => {
    const key = `${orgId}|${month}`;
    let r = rows.get(key);
    if (!r) {
      r = { orgId, month, assets: 0, licences: 0, contractors: 0, total: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const o of input.orgs) for (const m of input.months) row(o.id, m);
  const inView = new Set(input.orgs.map((o) => o.id));
  for (const a of input.assets) {
    const month = str(a.purchaseDate).slice(0, 7);
    if (a.type === 'asset' && months.has(month) && inView.has(str(a.orgId)))
      row(str(a.orgId), month).assets += num(a.price);
  }
  for (const l of input.licences) {
    const month = l.day.slice(0, 7);
    if (months.has(month) && inView.has(l.orgId)) row(l.orgId, month).licences += l.amount;
  }
  const byOrg = new Map<string, Ticket[]>();
  for (const t of input.tickets) byOrg.set(t.orgId, [...(byOrg.get(t.orgId) ?? []), t]);
  for (const o of input.orgs) {
    const tickets = byOrg.get(o.id);
    if (!tickets) continue;
    for (const m of input.months)
      row(o.id, m).contractors += contractorReport(tickets, input.catalog, m, [o]).totals.total;
  }
  const out = [...rows.values()];
  for (const r of out) {
    r.assets = Math.round(r.assets * 100) / 100;
    r.total = Math.round((r.assets + r.licences + r.contractors) * 100) / 100;
  }
  return out.sort((a, b) => a.orgId.localeCompare(b.orgId) || a.month.localeCompare(b.month));
}

/** The last `n` months up to the one of `today` (`YYYY-MM-DD`), oldest first. */
export function lastMonths(today: string, n: number): string[] {
  let y = Number(today.slice(0, 4));
  let m = Number(today.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.unshift(`${y}-${String(m).padStart(2, '0')}`);
    m -= 1;
    if (m === 0) {
      m = 12;
      y -= 1;
    }
  }
  return out;
}
