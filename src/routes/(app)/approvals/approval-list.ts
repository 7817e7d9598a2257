/** Filtering and CSV columns of the approvals list (pure). */
import type { ApprovalRow } from '$lib/domain/portal/approval-view';
import type { CsvColumn } from '$lib/domain/csv';

export interface ApprovalFilter {
  view: 'mine' | 'all';
  state: '' | 'pending' | 'approved' | 'rejected';
  /** Number, supplier (name or IČO) or subject. */
  text: string;
  /** Amount range, inclusive (in the document's currency); absent: no bound. */
  minAmount?: number;
  maxAmount?: number;
  /** Registration day range (YYYY-MM-DD), inclusive; absent or '': no bound. */
  from?: string;
  to?: string;
}

/** An amount typed in a filter ("12 500,50"); undefined when empty or not a number. */
export function parseAmountFilter(text: string): number | undefined {
  const t = text.replace(/\s/g, '').replace(',', '.');
  if (!t) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function inRange(r: ApprovalRow, f: ApprovalFilter): boolean {
  const amount = r.doc.amount;
  if (f.minAmount !== undefined && !(amount >= f.minAmount)) return false;
  if (f.maxAmount !== undefined && !(amount <= f.maxAmount)) return false;
  const day = r.doc.registeredOn ?? '';
  if (f.from && day < f.from) return false;
  if (f.to && day > f.to) return false;
  return true;
}

export function filterRows(rows: readonly ApprovalRow[], f: ApprovalFilter): ApprovalRow[] {
  const q = f.text.trim().toLocaleLowerCase('cs');
  return rows.filter(
    (r) =>
      (f.view === 'all' || r.myStep !== null) &&
      (!f.state || r.status.state === f.state) &&
      inRange(r, f) &&
      (!q ||
        [r.doc.number, r.doc.supplier, r.doc.subject, r.doc.supplierIco].some((v) =>
          v?.toLocaleLowerCase('cs').includes(q)
        ))
  );
}

export function csvColumns(labels: {
  headers: Record<
    'number' | 'type' | 'org' | 'supplier' | 'ico' | 'amount' | 'currency' | 'registered' | 'due' | 'state' | 'round',
    string
  >;
  type: (r: ApprovalRow) => string;
  state: (r: ApprovalRow) => string;
  org: (id: string) => string;
}): CsvColumn<ApprovalRow>[] {
  const h = labels.headers;
  return [
    { header: h.number, value: (r) => r.doc.number },
    { header: h.type, value: labels.type },
    { header: h.org, value: (r) => labels.org(r.doc.orgId) },
    { header: h.supplier, value: (r) => r.doc.supplier ?? '' },
    { header: h.ico, value: (r) => r.doc.supplierIco ?? '' },
    { header: h.amount, value: (r) => r.doc.amount },
    { header: h.currency, value: (r) => r.doc.currency },
    { header: h.registered, value: (r) => r.doc.registeredOn },
    { header: h.due, value: (r) => r.doc.dueDate ?? '' },
    { header: h.state, value: labels.state },
    { header: h.round, value: (r) => r.doc.round }
  ];
}
