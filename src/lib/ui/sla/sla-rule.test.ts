/**
 * One SLA rule on every screen and report: the ticket detail and list, the queue and its badges
 * (all through `sla-view.ts`) and the dashboards and contractor report (`tickets/report.ts`)
 * judge a ticket by the policy in force when the server received it.
 */
import { describe, expect, it } from 'vitest';
import type { Ticket, TicketEvent } from '../../domain/schemas';
import type { CatalogEntry } from '../../domain/sla';
import { contractorReport, slaCompliance, slaOf as reportSla } from '../../domain/tickets/report';
import { slaOf as screenSla } from './sla-view';

const p2 = (id: string, resolutionMinutes: number, validFrom?: string): CatalogEntry => ({
  id,
  kind: 'sla',
  name: id,
  priority: 'P2',
  responseMinutes: 60,
  resolutionMinutes,
  calendar: '24x7',
  penalty: 2000,
  ...(validFrom ? { validFrom } : {})
});
const base: CatalogEntry[] = [
  { id: 'pc', kind: 'category', name: 'Počítač', price: 500 },
  { id: 'c-kt', kind: 'contractor', name: 'Technik', userId: 'technik.kt', districts: ['KT'] },
  p2('sla-p2', 8 * 60)
];
// The administrator tightens P2 to 2 hours at 12:00 UTC on 12 March.
const changed = [...base, p2('sla-p2-20260312', 2 * 60, '2026-03-12T12:00:00.000Z')];
const orgs = [{ id: 'gym-kt', district: 'KT' }];

function ticket(id: string, receivedAt: string, resolvedAt?: string): Ticket {
  const at = (min: number) => new Date(Date.parse(receivedAt) + min * 60_000).toISOString();
  const events: TicketEvent[] = [
    {
      id: `${id}-a`,
      at: at(5),
      receivedAt: at(5),
      by: 'helpdesk',
      kind: 'assign',
      assignee: { queue: 'contractor', userId: 'technik.kt' }
    },
    ...(resolvedAt
      ? [
          {
            id: `${id}-r`,
            at: resolvedAt,
            receivedAt: resolvedAt,
            by: 'technik.kt',
            kind: 'status',
            to: 'resolved',
            text: 'ok'
          } satisfies TicketEvent
        ]
      : [])
  ];
  return {
    id,
    orgId: 'gym-kt',
    title: 'PC',
    description: '',
    category: 'pc',
    priority: 'P2',
    requester: 'ucitel.gymkt',
    status: resolvedAt ? 'resolved' : 'assigned',
    assignee: { queue: 'contractor', userId: 'technik.kt' },
    events,
    createdBy: 'ucitel.gymkt',
    createdAt: receivedAt,
    updatedBy: 'technik.kt',
    updatedAt: resolvedAt ?? receivedAt,
    receivedAt
  };
}

// Received at 8:00 UTC, before the change; still open at 15:45 (7¾ h: within 8 h, well past 2 h).
const open = ticket('t-open', '2026-03-12T08:00:00.000Z');
// Received at 8:00, resolved at 11:00 (3 h) by the contractor.
const resolved = ticket('t-done', '2026-03-12T08:00:00.000Z', '2026-03-12T11:00:00.000Z');
// Received at 12:30, after the change, resolved at 15:30 (3 h): late under the new policy.
const late = ticket('t-new', '2026-03-12T12:30:00.000Z', '2026-03-12T15:30:00.000Z');
const NOW = Date.parse('2026-03-12T15:45:00.000Z');

describe('a policy change after receipt', () => {
  it('changes no deadline of a received ticket on the screens (detail, list, queue, badges)', () => {
    for (const t of [open, resolved]) {
      expect(screenSla(t, changed, NOW)).toEqual(screenSla(t, base, NOW));
    }
    expect(screenSla(open, changed, NOW).resolutionDueAt).toBe('2026-03-12T16:00:00.000Z');
    expect(screenSla(open, changed, NOW).resolutionBreached).toBe(false);
  });

  it('changes nothing in the reports either, and the screens and reports agree', () => {
    for (const t of [open, resolved, late]) expect(screenSla(t, changed, NOW)).toEqual(reportSla(t, changed, NOW));
    const report = contractorReport([resolved], changed, '2026-03', orgs);
    expect(report.totals).toMatchObject({ resolved: 1, breaches: 0, penalty: 0 });
    expect(slaCompliance([open, resolved], changed, NOW, 'org', orgs)[0]).toMatchObject({ met: 1, breached: 0 });
  });

  it('applies to a ticket received after it, on the screens and in the reports', () => {
    expect(screenSla(late, changed, NOW).resolutionDueAt).toBe('2026-03-12T14:30:00.000Z');
    expect(screenSla(late, changed, NOW).resolutionBreached).toBe(true);
    const report = contractorReport([resolved, late], changed, '2026-03', orgs);
    expect(report.totals).toMatchObject({ resolved: 2, breaches: 1, penalty: 2000 });
    expect(slaCompliance([resolved, late], changed, NOW, 'org', orgs)[0]).toMatchObject({ met: 1, breached: 1 });
  });
});
