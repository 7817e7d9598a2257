/**
 * The demo's history, judged by the very functions the reports use: six months and more of
 * resolved work in every organization, by several contractors, in and out of SLA, the same
 * every time for the same day.
 */
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../src/lib/domain/schemas';
import type { CatalogEntry } from '../../src/lib/domain/sla/policy';
import { contractorReport, monthOf, slaCompliance } from '../../src/lib/domain/tickets/report';
import { DEMO_CATEGORIES, DEMO_SLA } from './catalog';
import { historyTickets } from './history';
import { DEMO_ORGS } from './region';

const NOW = new Date('2026-11-30T10:00:00Z');
const clock = (now: Date) => (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
const catalog = [
  ...DEMO_CATEGORIES.map((c) => ({ kind: 'category', ...c })),
  ...DEMO_SLA.map((s) => ({ kind: 'sla', ...s }))
] as unknown as CatalogEntry[];
const history = historyTickets(clock(NOW));
const all = [...history.values()].flat() as unknown as Ticket[];
const orgs = DEMO_ORGS.map((o) => ({ id: o.id, district: o.district }));

describe('demo history', () => {
  it('is the same for the same day', () => {
    expect(JSON.stringify([...historyTickets(clock(NOW))])).toBe(JSON.stringify([...history]));
  });

  it('covers every organization and at least six months, all of it in the past', () => {
    for (const org of DEMO_ORGS) expect(history.get(org.id)?.length, org.id).toBeGreaterThan(30);
    const months = new Set(all.map((t) => monthOf(t.createdAt)));
    expect(months.size).toBeGreaterThanOrEqual(7);
    expect(all.every((t) => Date.parse(t.updatedAt) < NOW.getTime())).toBe(true);
  });

  it('has every one of the last six months in the contractor report, with several contractors and some penalties', () => {
    const contractors = new Set<string>();
    let breaches = 0;
    for (let back = 1; back <= 6; back++) {
      const month = monthOf(new Date(Date.UTC(2026, 10 - back, 15)));
      const { rows, totals } = contractorReport(all, catalog, month, orgs);
      expect(totals.resolved, month).toBeGreaterThan(10);
      rows.forEach((r) => contractors.add(r.contractor));
      breaches += totals.breaches;
    }
    expect(contractors.size).toBeGreaterThanOrEqual(3);
    expect(breaches).toBeGreaterThan(0);
  });

  it('resolves most tickets within SLA and some outside it', () => {
    const rows = slaCompliance(all, catalog, NOW, 'org', orgs);
    const met = rows.reduce((n, r) => n + r.met, 0);
    const breached = rows.reduce((n, r) => n + r.breached, 0);
    expect(met / (met + breached)).toBeGreaterThan(0.7);
    expect(met / (met + breached)).toBeLessThan(0.95);
  });
});
