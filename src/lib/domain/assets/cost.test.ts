import { describe, expect, it } from 'vitest';
import type { Ticket } from '../schemas/tickets';
import type { CatalogEntry } from '../sla/policy';
import { itCost, lastMonths, licenceCosts } from './cost';

const catalog: CatalogEntry[] = [
  { id: 'pc', kind: 'category', name: 'Počítač', price: 500 },
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
  { id: 'c-kt', kind: 'contractor', name: 'Technik KT', userId: 'technik.kt', districts: ['KT'] }
];
const orgs = [
  { id: 'gym-kt', district: 'KT' },
  { id: 'sos-do', district: 'DO' }
];

function resolved(id: string, orgId: string, priority: 'P2' | 'P3', receivedAt: string, resolvedAt: string): Ticket {
  return {
    id,
    orgId,
    title: 'x',
    description: '',
    category: 'pc',
    priority,
    requester: 'ucitel',
    status: 'resolved',
    assignee: { queue: 'contractor', userId: 'technik.kt' },
    events: [
      {
        id: `${id}-a`,
        at: receivedAt,
        by: 'helpdesk',
        kind: 'assign',
        assignee: { queue: 'contractor', userId: 'technik.kt' }
      },
      { id: `${id}-r`, at: resolvedAt, by: 'technik.kt', kind: 'status', to: 'resolved', text: 'ok' }
    ],
    createdBy: 'ucitel',
    createdAt: receivedAt,
    updatedBy: 'technik.kt',
    updatedAt: resolvedAt,
    receivedAt
  };
}

const asset = (orgId: string, purchaseDate: string, price: number) => ({ type: 'asset', orgId, purchaseDate, price });

describe('IT cost per organization and month', () => {
  const rows = itCost({
    assets: [
      asset('gym-kt', '2026-03-05', 18490),
      asset('gym-kt', '2026-03-20', 28900.5),
      asset('gym-kt', '2026-04-02', 7890),
      asset('sos-do', '2026-02-27', 14890), // before the months in view
      { type: 'asset_history', orgId: 'gym-kt', purchaseDate: '2026-03-05', price: 999 } // not an asset
    ],
    licences: licenceCosts([
      { type: 'licence_agreement', orgId: 'gym-kt', data: { price: 12000, validFrom: '2026-04-01' } },
      { type: 'licence_seat', orgId: 'gym-kt', data: { price: 5, validFrom: '2026-04-01' } },
      { type: 'licence_agreement', orgId: 'sos-do', data: { value: 3000 }, createdAt: '2026-03-10T08:00:00Z' },
      // A licence bought under a contract: the contract's value, on the day it took effect.
      { type: 'licence', orgId: 'gym-kt', data: { product: 'Office', contractId: 'ctr:1' } },
      { id: 'ctr:1', type: 'contract', orgId: 'gym-kt', data: { valueExclVat: 5000, effectiveFrom: '2026-03-01' } },
      // A contract for something else is not a licence cost.
      { id: 'ctr:2', type: 'contract', orgId: 'gym-kt', data: { valueExclVat: 90000, effectiveFrom: '2026-03-01' } }
    ]),
    tickets: [
      // Met (P3): reward 500.
      resolved('t1', 'gym-kt', 'P3', '2026-03-02T07:00:00Z', '2026-03-03T09:00:00Z'),
      // Breached (P2): reward 500 less penalty 2000.
      resolved('t2', 'gym-kt', 'P2', '2026-03-02T07:00:00Z', '2026-03-03T09:00:00Z'),
      resolved('t3', 'sos-do', 'P3', '2026-04-06T07:00:00Z', '2026-04-06T09:00:00Z')
    ],
    catalog,
    orgs,
    months: ['2026-03', '2026-04']
  });
  const get = (orgId: string, month: string) => rows.find((r) => r.orgId === orgId && r.month === month);

  it('adds up assets bought, licences and contractor work per organization and month', () => {
    expect(get('gym-kt', '2026-03')).toEqual({
      orgId: 'gym-kt',
      month: '2026-03',
      assets: 47390.5,
      licences: 5000,
      contractors: -1000,
      total: 51390.5
    });
    expect(get('gym-kt', '2026-04')).toMatchObject({ assets: 7890, licences: 12000, contractors: 0, total: 19890 });
    expect(get('sos-do', '2026-03')).toMatchObject({ assets: 0, licences: 3000, total: 3000 });
    // technik.kt works for Klatovy only in the catalog, but the ticket was assigned to him in the contractor queue.
    expect(get('sos-do', '2026-04')).toMatchObject({ contractors: 500, total: 500 });
  });

  it('has a row for every organization and month, also when nothing was spent', () => {
    expect(rows.map((r) => `${r.orgId} ${r.month}`)).toEqual([
      'gym-kt 2026-03',
      'gym-kt 2026-04',
      'sos-do 2026-03',
      'sos-do 2026-04'
    ]);
  });

  it('counts months back across a year', () => {
    expect(lastMonths('2026-02-15', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});
