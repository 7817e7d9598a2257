/**
 * Figures for the contractor report and the dashboards, computed from tickets alone. Months
 * are Prague calendar months (a ticket resolved at 00:30 on 1 April local time is April's);
 * breaches use the same SLA clock the ticket list shows.
 */
import { TZDate } from '@date-fns/tz';
import type { OrgInfo } from '../access';
import { eventTime } from '../receipt-time';
import type { Priority, Ticket } from '../schemas/tickets';
import { toMs, type Instant } from '../sla/calendar';
import { computeSla, type SlaStatus } from '../sla/clock';
import { categoryPrice, type CatalogEntry } from '../sla/policy';
import { ticketSla, ticketSlaPolicy } from '../sla/ticket-sla';
import { deriveAssignee, resolvingEvent } from './events';

export const REPORT_TIME_ZONE = 'Europe/Prague';

/** `YYYY-MM` of an instant in Prague. */
export function monthOf(t: Instant): string {
  const d = new TZDate(toMs(t), REPORT_TIME_ZONE);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The ticket's SLA under the policy in force when the server received it (`ticket-sla.ts`). */
export function slaOf(t: Ticket, catalog: readonly CatalogEntry[], now: Instant): SlaStatus {
  return ticketSla(t, catalog, now);
}

export interface ContractorRow {
  contractor: string;
  district: string;
  month: string;
  resolved: number;
  /** CZK: the category price of each resolved ticket. */
  reward: number;
  breaches: number;
  /** CZK: the SLA policy's penalty for each breached resolution target. */
  penalty: number;
  total: number;
}

export type ReportTotals = Omit<ContractorRow, 'contractor' | 'district'>;

type Orgs = readonly Pick<OrgInfo, 'id' | 'district'>[];

/**
 * Per contractor and district, the tickets a contractor resolved in `month` (the last
 * resolution counts; a reopened ticket is paid once, when finally resolved). A resolver is a
 * contractor when the catalog lists them or the ticket was assigned to them in the contractor queue.
 */
export function contractorReport(
  tickets: readonly Ticket[],
  catalog: readonly CatalogEntry[],
  month: string,
  orgs: Orgs
): { rows: ContractorRow[]; totals: ReportTotals } {
  const listed = new Set(catalog.filter((c) => c.kind === 'contractor' && c.userId).map((c) => c.userId!));
  const districtOf = new Map(orgs.map((o) => [o.id, o.district]));
  const rows = new Map<string, ContractorRow>();
  for (const t of tickets) {
    if (t.status !== 'resolved' && t.status !== 'closed') continue;
    const done = resolvingEvent(t.events);
    if (!done || monthOf(eventTime(done)) !== month) continue;
    const assignee = deriveAssignee(t.events);
    const isContractor = listed.has(done.by) || (assignee?.queue === 'contractor' && assignee.userId === done.by);
    if (!isContractor) continue;
    const district = districtOf.get(t.orgId) ?? '?';
    const key = `${done.by}\n${district}`;
    const row = rows.get(key) ?? {
      contractor: done.by,
      district,
      month,
      resolved: 0,
      reward: 0,
      breaches: 0,
      penalty: 0,
      total: 0
    };
    // Prices in force at the resolution, the SLA policy in force at receipt: a later change of
    // the catalog never alters a month already reported.
    const policy = ticketSlaPolicy(catalog, t);
    const breached = computeSla(t, policy, eventTime(done)).resolutionBreached;
    row.resolved += 1;
    row.reward += categoryPrice(catalog, t.category, eventTime(done));
    if (breached) {
      row.breaches += 1;
      row.penalty += policy.penalty ?? 0;
    }
    row.total = row.reward - row.penalty;
    rows.set(key, row);
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.contractor.localeCompare(b.contractor) || a.district.localeCompare(b.district)
  );
  const totals: ReportTotals = { month, resolved: 0, reward: 0, breaches: 0, penalty: 0, total: 0 };
  for (const r of sorted) {
    totals.resolved += r.resolved;
    totals.reward += r.reward;
    totals.breaches += r.breaches;
    totals.penalty += r.penalty;
    totals.total += r.total;
  }
  return { rows: sorted, totals };
}

export type GroupBy = 'org' | 'district' | 'contractor';

export interface ComplianceRow {
  group: string;
  month: string;
  resolved: number;
  met: number;
  breached: number;
  /** Open tickets already past their resolution target (counted in the month of `now`). */
  openBreached: number;
  /** met / resolved, null when nothing was resolved. */
  compliance: number | null;
}

function groupOf(t: Ticket, by: GroupBy, orgs: Orgs): string {
  if (by === 'org') return t.orgId;
  if (by === 'district') return orgs.find((o) => o.id === t.orgId)?.district ?? '?';
  const done = resolvingEvent(t.events);
  const assignee = deriveAssignee(t.events);
  return done?.by ?? assignee?.userId ?? assignee?.queue ?? 'unassigned';
}

/** SLA compliance per group and month: resolved tickets by the month they were resolved in. */
export function slaCompliance(
  tickets: readonly Ticket[],
  catalog: readonly CatalogEntry[],
  now: Instant,
  groupBy: GroupBy,
  orgs: Orgs = []
): ComplianceRow[] {
  const rows = new Map<string, ComplianceRow>();
  const row = (group: string, month: string) => {
    const key = `${group}\n${month}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { group, month, resolved: 0, met: 0, breached: 0, openBreached: 0, compliance: null }));
    return r;
  };
  for (const t of tickets) {
    const sla = slaOf(t, catalog, now);
    const group = groupOf(t, groupBy, orgs);
    const done = resolvingEvent(t.events);
    if (done) {
      const r = row(group, monthOf(eventTime(done)));
      r.resolved += 1;
      if (sla.resolutionBreached) r.breached += 1;
      else r.met += 1;
    } else if (t.status !== 'closed' && sla.resolutionBreached) {
      row(group, monthOf(now)).openBreached += 1;
    }
  }
  for (const r of rows.values()) r.compliance = r.resolved ? r.met / r.resolved : null;
  return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || a.group.localeCompare(b.group));
}

export interface VolumeRow {
  month: string;
  group: string;
  created: number;
  resolved: number;
}

/** Tickets received and resolved per month and group (org, district, category or priority). */
export function ticketVolumes(
  tickets: readonly Ticket[],
  groupBy: 'org' | 'district' | 'category' | 'priority',
  orgs: Orgs = []
): VolumeRow[] {
  const rows = new Map<string, VolumeRow>();
  const bump = (month: string, group: string, field: 'created' | 'resolved') => {
    const key = `${month}\n${group}`;
    const r = rows.get(key) ?? { month, group, created: 0, resolved: 0 };
    r[field] += 1;
    rows.set(key, r);
  };
  for (const t of tickets) {
    const group =
      groupBy === 'category'
        ? t.category
        : groupBy === 'priority'
          ? t.priority
          : groupOf(t, groupBy === 'org' ? 'org' : 'district', orgs);
    bump(monthOf(t.receivedAt ?? t.createdAt), group, 'created');
    const done = resolvingEvent(t.events);
    if (done && (t.status === 'resolved' || t.status === 'closed')) bump(monthOf(eventTime(done)), group, 'resolved');
  }
  return [...rows.values()].sort((a, b) => a.month.localeCompare(b.month) || a.group.localeCompare(b.group));
}

export const AGE_BUCKETS = [
  { label: '<1d', maxDays: 1 },
  { label: '1-3d', maxDays: 3 },
  { label: '3-7d', maxDays: 7 },
  { label: '7-30d', maxDays: 30 },
  { label: '>30d', maxDays: Infinity }
] as const;

export type AgeRow = { bucket: string; count: number } & Record<Priority, number>;

/** Open tickets (not resolved or closed) by age since the server received them. */
export function openByAge(tickets: readonly Ticket[], now: Instant): AgeRow[] {
  const rows: AgeRow[] = AGE_BUCKETS.map((b) => ({ bucket: b.label, count: 0, P1: 0, P2: 0, P3: 0, P4: 0 }));
  const nowMs = toMs(now);
  for (const t of tickets) {
    if (t.status === 'resolved' || t.status === 'closed') continue;
    const days = (nowMs - toMs(t.receivedAt ?? t.createdAt)) / 86_400_000;
    const i = AGE_BUCKETS.findIndex((b) => days < b.maxDays);
    rows[i].count += 1;
    rows[i][t.priority] += 1;
  }
  return rows;
}
