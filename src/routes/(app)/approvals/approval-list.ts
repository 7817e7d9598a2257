/** Filtering of rows in memory and CSV columns of the approvals list (pure); its index plan is `approvalListPlan`. */
import type { ApprovalRow } from '$lib/domain/portal/approval-view';
import type { CsvColumn } from '$lib/domain/csv';
import { approvalMatcher, type ApprovalFilter } from '$lib/ui/portal/portal-lists';

export type { ApprovalFilter };

/** An amount typed in a filter ("12 500,50"); undefined when empty or not a number. */
export function parseAmountFilter(text: string): number | undefined {
  const t = text.replace(/\s/g, '').replace(',', '.');
  if (!t) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export function filterRows(rows: readonly ApprovalRow[], f: ApprovalFilter): ApprovalRow[] {
  const matches = approvalMatcher(f);
  return rows.filter(
    (r) =>
      (f.view === 'all' || r.myStep !== null) && (!f.state || r.status.state === f.state) && (!matches || matches(r))
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
