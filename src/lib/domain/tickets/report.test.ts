import { describe, expect, it } from 'vitest';
import type { Priority, Ticket, TicketEvent, TicketStatus } from '../schemas/tickets';
import type { CatalogEntry } from '../sla/policy';
import { contractorReport, monthOf, openByAge, slaCompliance, ticketVolumes } from './report';

const catalog: CatalogEntry[] = [
  { id: 'pc', kind: 'category', name: 'Počítač', price: 500 },
  { id: 'printer', kind: 'category', name: 'Tiskárna', price: 300 },
  { id: 'network', kind: 'category', name: 'Síť', price: 800 },
  {
    id: 'sla-p1',
    kind: 'sla',
    name: 'P1',
    priority: 'P1',
    responseMinutes: 30,
    resolutionMinutes: 240,
    calendar: '24x7',
    penalty: 5000
  },
  {
    id: 'sla-p2',
    kind: 'sla',
    name: 'P2',
    priority: 'P2',
    responseMinutes: 60,
    resolutionMinutes: 510,
    calendar: 'business',
    penalty: 2000
  },
  {
    id: 'sla-p3',
    kind: 'sla',
    name: 'P3',
    priority: 'P3',
    responseMinutes: 240,
    resolutionMinutes: 1530,
    calendar: 'business',
    penalty: 1000
  },
  { id: 'c-kt', kind: 'contractor', name: 'Technik KT', userId: 'technik.kt', districts: ['KT', 'DO'] },
  { id: 'c-do', kind: 'contractor', name: 'Technik DO', userId: 'technik.do', districts: ['DO'] }
];
const orgs = [
  { id: 'gym-kt', district: 'KT' },
  { id: 'sos-do', district: 'DO' }
];

let n = 0;
/** A ticket received at `receivedAt`, assigned 5 minutes later, then through `steps` [time, status, by]. */
function ticket(
  org: string,
  category: string,
  priority: Priority,
  receivedAt: string,
  tech: string,
  steps: [string, TicketStatus, string?][]
): Ticket {
  const id = `t${++n}`;
  const assignAt = new Date(Date.parse(receivedAt) + 5 * 60_000).toISOString();
  const events: TicketEvent[] = [
    { id: `${id}-a`, at: assignAt, by: 'helpdesk', kind: 'assign', assignee: { queue: 'contractor', userId: tech } },
    ...steps.map(([at, to, by], i): TicketEvent => ({
      id: `${id}-${i}`,
      at,
      by: by ?? tech,
      kind: 'status',
      to,
      text: 'done'
    }))
  ];
  const status = steps.length ? steps[steps.length - 1][1] : 'assigned';
  return {
    id,
    orgId: org,
    title: 'x',
    description: '',
    category,
    priority,
    requester: 'ucitel',
    status,
    assignee: { queue: 'contractor', userId: tech },
    events,
    createdBy: 'ucitel',
    createdAt: receivedAt,
    updatedBy: 'ucitel',
    updatedAt: receivedAt,
    receivedAt
  };
}

// March 2026 is CET (UTC+1) until Sunday 29 March; 1 April is CEST (UTC+2). Business day 7:00–15:30 = 510 min.
const tickets = [
  // 1 KT pc P3: Mon 2 Mar 8:00 → Tue 3 Mar 10:00 = 450 + 180 = 630 ≤ 1530, met. Reward 500.
  ticket('gym-kt', 'pc', 'P3', '2026-03-02T07:00:00Z', 'technik.kt', [['2026-03-03T09:00:00Z', 'resolved']]),
  // 2 KT printer P2: same times, 630 > 510, breach. Reward 300, penalty 2000.
  ticket('gym-kt', 'printer', 'P2', '2026-03-02T07:00:00Z', 'technik.kt', [['2026-03-03T09:00:00Z', 'resolved']]),
  // 3 DO network P3: Wed 4 Mar 8:00 → 12:00 = 240, met. Reward 800.
  ticket('sos-do', 'network', 'P3', '2026-03-04T07:00:00Z', 'technik.kt', [['2026-03-04T11:00:00Z', 'resolved']]),
  // 4 DO pc P1 on 24x7: Sat 7 Mar 10:00 → 15:00 = 300 > 240, breach. Reward 500, penalty 5000.
  ticket('sos-do', 'pc', 'P1', '2026-03-07T09:00:00Z', 'technik.kt', [['2026-03-07T14:00:00Z', 'resolved']]),
  // 5 DO printer P3 by technik.do: Mon 9 Mar 8:00, waiting 9:00 → Mon 16 Mar 9:00, resolved 11:00:
  //   60 + 120 = 180, met (without the pause it would be ~5 days, a breach). Reward 300.
  ticket('sos-do', 'printer', 'P3', '2026-03-09T07:00:00Z', 'technik.do', [
    ['2026-03-09T08:00:00Z', 'waiting'],
    ['2026-03-16T08:00:00Z', 'in_progress', 'ucitel'],
    ['2026-03-16T10:00:00Z', 'resolved']
  ]),
  // 6 KT pc P3 resolved by the central helpdesk: not a contractor's, not in the report.
  ticket('gym-kt', 'pc', 'P3', '2026-03-10T07:00:00Z', 'technik.kt', [
    ['2026-03-10T08:00:00Z', 'resolved', 'helpdesk']
  ]),
  // 7 KT network P2 resolved 1 April 00:30 Prague time (31 March 22:30Z): April's, not March's.
  //   Tue 31 Mar 9:00–15:30 CEST = 390 ≤ 510, met.
  ticket('gym-kt', 'network', 'P2', '2026-03-31T07:00:00Z', 'technik.kt', [['2026-03-31T22:30:00Z', 'resolved']]),
  // 8 KT printer P3 resolved 27 February, confirmed (closed) in March: February's.
  ticket('gym-kt', 'printer', 'P3', '2026-02-26T07:00:00Z', 'technik.kt', [
    ['2026-02-27T08:00:00Z', 'resolved'],
    ['2026-03-02T08:00:00Z', 'closed', 'ucitel']
  ]),
  // 9 KT pc P3: Mon 23 Mar 8:00 → resolved 9:00 (60), reopened Tue 8:00, resolved again 9:00 (60):
  //   paid once, 120 ≤ 1530, met. Reward 500.
  ticket('gym-kt', 'pc', 'P3', '2026-03-23T07:00:00Z', 'technik.kt', [
    ['2026-03-23T08:00:00Z', 'resolved'],
    ['2026-03-24T07:00:00Z', 'in_progress', 'ucitel'],
    ['2026-03-24T08:00:00Z', 'resolved']
  ]),
  // 10 DO pc P2, still open: not in the report.
  ticket('sos-do', 'pc', 'P2', '2026-03-30T07:00:00Z', 'technik.kt', [])
];

describe('contractorReport', () => {
  it('matches the hand computation for March 2026', () => {
    // technik.kt × KT: tickets 1, 2, 9 → 3 resolved, 500+300+500 = 1300, 1 breach (2) → 2000, total −700.
    // technik.kt × DO: tickets 3, 4 → 2 resolved, 800+500 = 1300, 1 breach (4) → 5000, total −3700.
    // technik.do × DO: ticket 5 → 1 resolved, 300, no breach, total 300.
    const { rows, totals } = contractorReport(tickets, catalog, '2026-03', orgs);
    expect(rows).toEqual([
      {
        contractor: 'technik.do',
        district: 'DO',
        month: '2026-03',
        resolved: 1,
        reward: 300,
        breaches: 0,
        penalty: 0,
        total: 300
      },
      {
        contractor: 'technik.kt',
        district: 'DO',
        month: '2026-03',
        resolved: 2,
        reward: 1300,
        breaches: 1,
        penalty: 5000,
        total: -3700
      },
      {
        contractor: 'technik.kt',
        district: 'KT',
        month: '2026-03',
        resolved: 3,
        reward: 1300,
        breaches: 1,
        penalty: 2000,
        total: -700
      }
    ]);
    expect(totals).toEqual({ month: '2026-03', resolved: 6, reward: 2900, breaches: 2, penalty: 7000, total: -4100 });
  });

  it('keeps a closed month at the prices and policies in force then', () => {
    // From April the pc price is 900, the printer price 1000, and P2 is penalized 9000 with a longer target.
    const later: CatalogEntry[] = [
      ...catalog,
      {
        id: 'price-pc-2026-04',
        kind: 'price',
        name: 'pc',
        categoryId: 'pc',
        price: 900,
        validFrom: '2026-03-31T22:00:00Z'
      },
      {
        id: 'price-printer-2026-04',
        kind: 'price',
        name: 'printer',
        categoryId: 'printer',
        price: 1000,
        validFrom: '2026-03-31T22:00:00Z'
      },
      {
        id: 'sla-p2-2026-04',
        kind: 'sla',
        name: 'P2',
        priority: 'P2',
        responseMinutes: 60,
        resolutionMinutes: 2000,
        calendar: 'business',
        penalty: 9000,
        validFrom: '2026-03-31T22:00:00Z'
      }
    ];
    expect(contractorReport(tickets, later, '2026-03', orgs)).toEqual(
      contractorReport(tickets, catalog, '2026-03', orgs)
    );
    // Ticket 7 (network, P2 received in March, resolved in April): no new network price, the March P2 policy.
    const april = contractorReport(tickets, later, '2026-04', orgs).totals;
    expect(april).toMatchObject({ resolved: 1, reward: 800, breaches: 0 });
    // A pc ticket resolved in April is paid at the April price.
    const aprilPc = ticket('gym-kt', 'pc', 'P3', '2026-04-06T07:00:00Z', 'technik.kt', [
      ['2026-04-06T09:00:00Z', 'resolved']
    ]);
    expect(contractorReport([aprilPc], later, '2026-04', orgs).totals.reward).toBe(900);
    expect(contractorReport([aprilPc], catalog, '2026-04', orgs).totals.reward).toBe(500);
  });

  it('attributes by Prague months', () => {
    expect(monthOf('2026-03-31T22:30:00Z')).toBe('2026-04');
    expect(contractorReport(tickets, catalog, '2026-04', orgs).rows).toEqual([
      expect.objectContaining({
        contractor: 'technik.kt',
        district: 'KT',
        resolved: 1,
        reward: 800,
        breaches: 0,
        penalty: 0
      })
    ]);
    expect(contractorReport(tickets, catalog, '2026-02', orgs).totals).toMatchObject({ resolved: 1, reward: 300 });
  });
});

describe('dashboards', () => {
  const now = '2026-04-02T08:00:00Z';

  it('computes SLA compliance per district and month', () => {
    const march = slaCompliance(tickets, catalog, now, 'district', orgs).filter((r) => r.month === '2026-03');
    // KT: 1, 2, 6, 9 resolved in March, 2 breached; DO: 3, 4, 5, 4 breached.
    expect(march).toEqual([
      { group: 'DO', month: '2026-03', resolved: 3, met: 2, breached: 1, openBreached: 0, compliance: 2 / 3 },
      { group: 'KT', month: '2026-03', resolved: 4, met: 3, breached: 1, openBreached: 0, compliance: 3 / 4 }
    ]);
    // Ticket 10 (P2, received Mon 30 Mar 8:00 CEST) is past 510 business minutes by 2 April.
    expect(
      slaCompliance(tickets, catalog, now, 'district', orgs).find((r) => r.month === '2026-04' && r.group === 'DO')
    ).toMatchObject({ openBreached: 1 });
  });

  it('counts volumes and open tickets by age', () => {
    const vol = ticketVolumes(tickets, 'district', orgs).filter((r) => r.month === '2026-03');
    expect(vol).toEqual([
      { month: '2026-03', group: 'DO', created: 4, resolved: 3 },
      { month: '2026-03', group: 'KT', created: 5, resolved: 4 }
    ]);
    const ages = openByAge(tickets, now);
    expect(ages.find((r) => r.bucket === '3-7d')).toMatchObject({ count: 1, P2: 1 }); // 3 days and 1 hour
    expect(ages.reduce((s, r) => s + r.count, 0)).toBe(1);
  });
});
