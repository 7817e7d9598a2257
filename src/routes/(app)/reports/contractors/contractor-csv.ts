/** The contractor report as CSV: one line per contractor and district with a totals line, or one per ticket. */
import { toCsv, type CsvColumn } from '$lib/domain/csv';
import type { ReportTotals } from '$lib/domain/tickets/report';
import { ticketNumber } from '$lib/domain/tickets/ids';
import { m } from '$lib/i18n';
import { locale } from '$lib/i18n';
import { priorityLabel } from '$lib/ui/labels';
import { categoryLabel, contractorName, districtLabel, orgLabel, type NameSources } from '../report-labels';
import type { CountedTicket, DrilledRow } from './contractor-drilldown';

/** Excel in a Czech locale splits on semicolons (the comma is the decimal separator there). */
const delimiter = () => (locale.current === 'cs' ? ';' : ',');

type Line = Omit<ReportTotals, 'month'> & { month: string; contractor: string; district: string };

export function rowsCsv(rows: readonly DrilledRow[], totals: ReportTotals, names: NameSources): string {
  const lines: Line[] = [...rows, { ...totals, contractor: '', district: '' }];
  const columns: CsvColumn<Line>[] = [
    { header: m.reports_month(), value: (r) => r.month },
    {
      header: m.reports_col_contractor(),
      value: (r) => (r.contractor ? contractorName(r.contractor, names) : m.reports_total())
    },
    { header: m.reports_col_user(), value: (r) => r.contractor },
    { header: m.reports_group_district(), value: (r) => (r.district ? districtLabel(r.district) : '') },
    { header: m.reports_col_resolved(), value: (r) => r.resolved },
    { header: m.reports_col_reward(), value: (r) => r.reward },
    { header: m.reports_col_breaches(), value: (r) => r.breaches },
    { header: m.reports_col_penalty(), value: (r) => r.penalty },
    { header: m.reports_col_total(), value: (r) => r.total }
  ];
  return toCsv(lines, columns, delimiter());
}

type TicketLine = CountedTicket & { row: DrilledRow };

export function ticketsCsv(rows: readonly DrilledRow[], names: NameSources): string {
  const lines: TicketLine[] = rows.flatMap((row) => row.tickets.map((t) => ({ ...t, row })));
  const columns: CsvColumn<TicketLine>[] = [
    { header: m.reports_month(), value: (t) => t.row.month },
    { header: m.reports_col_contractor(), value: (t) => contractorName(t.row.contractor, names) },
    { header: m.reports_group_district(), value: (t) => districtLabel(t.row.district) },
    { header: m.reports_group_org(), value: (t) => orgLabel(t.orgId, names) },
    { header: m.reports_col_ticket(), value: (t) => ticketNumber(t.id) },
    { header: 'ID', value: (t) => t.id },
    { header: m.reports_col_title(), value: (t) => t.title },
    { header: m.reports_col_category(), value: (t) => categoryLabel(t.category, names) },
    { header: m.reports_col_priority(), value: (t) => priorityLabel(t.priority) },
    { header: m.reports_col_price(), value: (t) => t.reward },
    { header: m.reports_col_breached(), value: (t) => (t.breached ? m.reports_yes() : m.reports_no()) },
    { header: m.reports_col_penalty(), value: (t) => t.penalty }
  ];
  return toCsv(lines, columns, delimiter());
}
