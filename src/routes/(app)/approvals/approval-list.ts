/** Filtering and CSV columns of the approvals list (pure). */
import type { ApprovalRow } from '$lib/domain/portal/approval-view';
import type { CsvColumn } from '$lib/domain/csv';

export interface ApprovalFilter {
  view: 'mine' | 'all';
  state: '' | 'pending' | 'approved' | 'rejected';
  text: string;
}

export function filterRows(rows: readonly ApprovalRow[], f: ApprovalFilter): ApprovalRow[] {
  const q = f.text.trim().toLocaleLowerCase('cs');
  return rows.filter(
    (r) =>
      (f.view === 'all' || r.myStep !== null) &&
      (!f.state || r.status.state === f.state) &&
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
