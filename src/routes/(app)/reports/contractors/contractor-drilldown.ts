/**
 * The contractor report with, under each row, the tickets it counts. Each ticket is put
 * through the domain's own `contractorReport` alone, so a ticket's line says exactly what it
 * adds to its row (reward, breach, penalty) and the lines always sum to the row: there is
 * no second copy of the payment rules here to drift from the first.
 */
import type { OrgInfo } from '../../../../lib/domain/access';
import type { Ticket } from '../../../../lib/domain/schemas';
import type { CatalogEntry } from '../../../../lib/domain/sla/policy';
import { contractorReport, type ContractorRow, type ReportTotals } from '../../../../lib/domain/tickets/report';

export interface CountedTicket {
  id: string;
  title: string;
  category: string;
  priority: Ticket['priority'];
  orgId: string;
  reward: number;
  breached: boolean;
  penalty: number;
}

export interface DrilledRow extends ContractorRow {
  key: string;
  tickets: CountedTicket[];
}

export function contractorReportWithTickets(
  tickets: readonly Ticket[],
  catalog: readonly CatalogEntry[],
  month: string,
  orgs: readonly Pick<OrgInfo, 'id' | 'district'>[]
): { rows: DrilledRow[]; totals: ReportTotals } {
  const { rows, totals } = contractorReport(tickets, catalog, month, orgs);
  const keyOf = (r: Pick<ContractorRow, 'contractor' | 'district'>) => `${r.contractor}\n${r.district}`;
  const byKey = new Map<string, DrilledRow>(rows.map((r) => [keyOf(r), { ...r, key: keyOf(r), tickets: [] }]));
  for (const t of tickets) {
    const single = contractorReport([t], catalog, month, orgs).rows[0];
    if (!single) continue;
    byKey.get(keyOf(single))?.tickets.push({
      id: t.id,
      title: t.title,
      category: t.category,
      priority: t.priority,
      orgId: t.orgId,
      reward: single.reward,
      breached: single.breaches > 0,
      penalty: single.penalty
    });
  }
  for (const r of byKey.values()) r.tickets.sort((a, b) => a.id.localeCompare(b.id));
  return { rows: [...byKey.values()], totals };
}
