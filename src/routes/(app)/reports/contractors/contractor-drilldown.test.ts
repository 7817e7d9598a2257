import { describe, expect, it } from 'vitest';
import type { Ticket, TicketEvent } from '../../../../lib/domain/schemas';
import type { CatalogEntry } from '../../../../lib/domain/sla/policy';
import { contractorReportWithTickets } from './contractor-drilldown';

const catalog: CatalogEntry[] = [
  { id: 'cat-hw', kind: 'category', name: 'HW', price: 450 },
  { id: 'cat-net', kind: 'category', name: 'Síť', price: 600 },
  {
    id: 'sla-p1',
    kind: 'sla',
    name: 'P1',
    priority: 'P1',
    calendar: '24x7',
    responseMinutes: 60,
    resolutionMinutes: 240,
    penalty: 2000
  },
  { id: 'c-kt', kind: 'contractor', name: 'Servis', userId: 'technik.kt', districts: ['KT', 'DO'] }
];
const orgs = [
  { id: 'gym-kt', district: 'KT' },
  { id: 'sos-do', district: 'DO' }
];

/** A P1 ticket (24×7, 4 h) received at `from` and resolved by `by` `hours` later. */
function resolved(id: string, orgId: string, category: string, from: string, hours: number, by = 'technik.kt'): Ticket {
  const end = new Date(Date.parse(from) + hours * 3_600_000).toISOString();
  const events: TicketEvent[] = [
    {
      id: `${id}-1`,
      at: from,
      by: 'helpdesk',
      kind: 'assign',
      assignee: { queue: 'contractor', userId: 'technik.kt' }
    },
    { id: `${id}-2`, at: from, by, kind: 'status', to: 'in_progress' },
    { id: `${id}-3`, at: end, by, kind: 'status', to: 'resolved', text: 'ok' }
  ];
  return {
    id,
    orgId,
    title: id,
    description: '',
    category,
    priority: 'P1',
    requester: 'ucitel.gymkt',
    status: 'resolved',
    assignee: { queue: 'contractor', userId: 'technik.kt' },
    events,
    createdBy: 'helpdesk',
    createdAt: from,
    updatedBy: by,
    updatedAt: end,
    receivedAt: from
  };
}

describe('contractor report with the tickets behind each row', () => {
  const tickets = [
    resolved('a', 'gym-kt', 'cat-hw', '2026-03-02T08:00:00.000Z', 2),
    resolved('b', 'gym-kt', 'cat-net', '2026-03-03T08:00:00.000Z', 5),
    resolved('c', 'sos-do', 'cat-net', '2026-03-04T08:00:00.000Z', 1),
    resolved('d', 'sos-do', 'cat-hw', '2026-04-04T08:00:00.000Z', 1),
    resolved('e', 'sos-do', 'cat-hw', '2026-03-05T08:00:00.000Z', 1, 'helpdesk')
  ];
  const { rows, totals } = contractorReportWithTickets(tickets, catalog, '2026-03', orgs);

  it('lists under each row exactly the tickets it counts', () => {
    expect(rows.map((r) => [r.district, r.tickets.map((t) => t.id)])).toEqual([
      ['DO', ['c']],
      ['KT', ['a', 'b']]
    ]);
    expect(rows[1].tickets[1]).toMatchObject({ reward: 600, breached: true, penalty: 2000 });
  });

  it('ticket lines sum to their row, rows to the totals', () => {
    for (const r of rows) {
      expect(r.tickets.reduce((s, t) => s + t.reward, 0)).toBe(r.reward);
      expect(r.tickets.reduce((s, t) => s + t.penalty, 0)).toBe(r.penalty);
      expect(r.tickets.filter((t) => t.breached).length).toBe(r.breaches);
    }
    expect(totals).toMatchObject({ resolved: 3, reward: 1650, breaches: 1, penalty: 2000, total: -350 });
  });
});
