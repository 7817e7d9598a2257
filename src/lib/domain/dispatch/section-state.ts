/**
 * The state of every road section on the dispatch desk and the map: time since it was last
 * treated (or since vehicles were last sent to it, whichever is later: the deadline counts
 * from dispatching) against its order's deadline, counted only within the order's hours of
 * service. Calamity mode of the district switches deadlines off; unmaintained sections have
 * none. Times that decide are the server's receipt times (`receivedAt`); an entry the server
 * has not seen yet counts provisionally with its device time.
 */
import type { DispatchEntry, SectionRef } from './types';
import { orderRule, planAt, type Order, type WinterPlan } from './plan';
import { inServiceAt, serviceMsBetween } from './service-hours';

export type SectionStatus = 'ok' | 'due' | 'overdue' | 'calamity' | 'unmaintained';

export interface SectionState {
  sectionId: string;
  status: SectionStatus;
  /** Last treatment (its end, or its receipt) in ms, if any. */
  treatedAt?: number;
  /** Last assignment not yet followed by a treatment. */
  assignment?: { at: number; crew: string; vehicle?: string; entryId: string };
  /** Minutes of the deadline left (negative when overdue); undefined without a deadline. */
  minutesLeft?: number;
  /** The order is outside its hours of service now (its clock stands). */
  offHours: boolean;
  openReports: number;
}

/** The time that decides for an entry: server receipt, else (not yet sent) the device's. */
export const decidingTime = (e: Pick<DispatchEntry, 'receivedAt' | 'createdAt'>): number =>
  Date.parse(e.receivedAt ?? e.createdAt);

export const byDecidingTime = <T extends Pick<DispatchEntry, 'receivedAt' | 'createdAt' | 'id'>>(a: T, b: T): number =>
  decidingTime(a) - decidingTime(b) || a.id.localeCompare(b.id);

export interface CalamityState {
  on: boolean;
  since: number;
  by: string;
  entryId: string;
}

/** Calamity mode per district: the latest calamity entry of each district decides. */
export function calamityByDistrict(entries: readonly DispatchEntry[]): Map<string, CalamityState> {
  const out = new Map<string, CalamityState>();
  for (const e of [...entries].filter((x) => x.entry === 'calamity').sort(byDecidingTime)) {
    out.set(String(e.district), { on: e.calamity === true, since: decidingTime(e), by: e.createdBy, entryId: e.id });
  }
  return out;
}

/** Reports confirmed or corrected away are not open; a treatment of the section closes the rest. */
function openReportsBySection(entries: readonly DispatchEntry[], treatedAt: Map<string, number>): Map<string, number> {
  const closed = new Set(entries.filter((e) => e.entry === 'correction' && e.refId).map((e) => e.refId));
  const out = new Map<string, number>();
  for (const e of entries) {
    if (e.entry !== 'report' || !e.sectionId || closed.has(e.id)) continue;
    if ((treatedAt.get(e.sectionId) ?? -Infinity) >= decidingTime(e)) continue;
    out.set(e.sectionId, (out.get(e.sectionId) ?? 0) + 1);
  }
  return out;
}

export function sectionStates(
  sections: readonly SectionRef[],
  entries: readonly DispatchEntry[],
  plans: readonly Partial<WinterPlan>[],
  nowMs: number
): Map<string, SectionState> {
  const plan = planAt(plans, new Date(nowMs).toISOString());
  const calamity = calamityByDistrict(entries);
  const treatedAt = new Map<string, number>();
  const assigned = new Map<string, NonNullable<SectionState['assignment']>>();
  for (const e of [...entries].sort(byDecidingTime)) {
    if (!e.sectionId) continue;
    if (e.entry === 'treatment') {
      treatedAt.set(e.sectionId, Math.max(treatedAt.get(e.sectionId) ?? 0, decidingTime(e)));
      assigned.delete(e.sectionId);
    } else if (e.entry === 'assignment') {
      assigned.set(e.sectionId, { at: decidingTime(e), crew: String(e.crew), vehicle: e.vehicle, entryId: e.id });
    }
  }
  const reports = openReportsBySection(entries, treatedAt);
  const out = new Map<string, SectionState>();
  for (const s of sections) {
    const baseline = s.lastTreatedAt ? Date.parse(s.lastTreatedAt) : undefined;
    const treated = Math.max(treatedAt.get(s.id) ?? -Infinity, baseline ?? -Infinity);
    const assignment = assigned.get(s.id);
    const rule = orderRule(plan, s.order as Order);
    const base: SectionState = {
      sectionId: s.id,
      status: 'ok',
      treatedAt: Number.isFinite(treated) ? treated : undefined,
      assignment: assignment && assignment.at > treated ? assignment : undefined,
      offHours: !inServiceAt(nowMs, rule.serviceFrom, rule.serviceTo),
      openReports: reports.get(s.id) ?? 0
    };
    if (s.unmaintained) {
      out.set(s.id, { ...base, status: 'unmaintained' });
      continue;
    }
    if (calamity.get(s.district)?.on) {
      out.set(s.id, { ...base, status: 'calamity' });
      continue;
    }
    const from = Math.max(treated, base.assignment?.at ?? -Infinity);
    if (!Number.isFinite(from)) {
      out.set(s.id, base);
      continue;
    }
    const elapsedMin = serviceMsBetween(from, nowMs, rule.serviceFrom, rule.serviceTo) / 60_000;
    const minutesLeft = Math.round(rule.deadlineMinutes - elapsedMin);
    const status: SectionStatus = minutesLeft <= 0 ? 'overdue' : minutesLeft <= plan.dueSoonMinutes ? 'due' : 'ok';
    out.set(s.id, { ...base, status, minutesLeft });
  }
  return out;
}
