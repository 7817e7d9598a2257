/** CSV of a ticket list as it is filtered on screen, in the current language. */
import type { Ticket } from '$lib/domain/schemas';
import type { SlaStatus } from '$lib/domain/sla';
import { toCsv, type CsvColumn } from '$lib/domain/csv';
import { ticketNumber } from '$lib/domain/tickets/ids';
import { m } from '$lib/i18n';
import { assigneeLabel } from './assignee-label';
import { priorityLabel, statusLabel } from './labels';
import { slaStateLabel } from './sla/sla-labels';

export interface TicketCsvRow {
  ticket: Ticket;
  sla: SlaStatus;
}

export function ticketsCsv(
  rows: readonly TicketCsvRow[],
  names: {
    org: ReadonlyMap<string, string>;
    category: ReadonlyMap<string, string>;
    person: ReadonlyMap<string, string>;
  }
): string {
  const columns: CsvColumn<TicketCsvRow>[] = [
    { header: m.csv_number(), value: (r) => ticketNumber(r.ticket.id) },
    { header: m.ticket_field_title(), value: (r) => r.ticket.title },
    { header: m.ticket_field_org(), value: (r) => names.org.get(r.ticket.orgId) ?? r.ticket.orgId },
    { header: m.ticket_field_category(), value: (r) => names.category.get(r.ticket.category) ?? r.ticket.category },
    { header: m.ticket_field_priority(), value: (r) => priorityLabel(r.ticket.priority) },
    { header: m.tickets_status(), value: (r) => statusLabel(r.ticket.status) },
    { header: m.ticket_assignee(), value: (r) => assigneeLabel(r.ticket.assignee, names.person) },
    { header: m.ticket_requester(), value: (r) => names.person.get(r.ticket.requester) ?? r.ticket.requester },
    { header: m.ticket_reported_at(), value: (r) => r.ticket.createdAt },
    { header: m.ticket_received_at(), value: (r) => r.ticket.receivedAt ?? '' },
    { header: m.sla_label(), value: (r) => slaStateLabel(r.sla.state) },
    { header: m.csv_sla_minutes_left(), value: (r) => Math.round(r.sla.remainingMinutes) },
    { header: m.csv_resolution_due(), value: (r) => r.sla.resolutionDueAt }
  ];
  return toCsv(rows, columns);
}
