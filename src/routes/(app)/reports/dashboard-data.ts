/**
 * The dashboard's figures, shaped for a chart and its table. Everything is computed by the
 * report domain; this only picks the months on screen and orders groups for reading.
 */
import type { ComplianceRow, VolumeRow } from '../../../lib/domain/tickets/report';

export interface ComplianceSeries {
  group: string;
  resolved: number;
  met: number;
  /** Per month of the window: the month's row, or undefined when nothing was resolved. */
  byMonth: (ComplianceRow | undefined)[];
}

/** Compliance per group over `months`, busiest group first. */
export function complianceSeries(rows: readonly ComplianceRow[], months: readonly string[]): ComplianceSeries[] {
  const inWindow = new Set(months);
  const groups = new Map<string, ComplianceSeries>();
  for (const r of rows) {
    if (!inWindow.has(r.month) || r.resolved === 0) continue;
    const g = groups.get(r.group) ?? { group: r.group, resolved: 0, met: 0, byMonth: months.map(() => undefined) };
    g.resolved += r.resolved;
    g.met += r.met;
    g.byMonth[months.indexOf(r.month)] = r;
    groups.set(r.group, g);
  }
  return [...groups.values()].sort((a, b) => b.resolved - a.resolved || a.group.localeCompare(b.group));
}

export interface VolumeTotal {
  group: string;
  created: number;
  resolved: number;
}

/** Received and resolved per group summed over `months`, most received first. */
export function volumeTotals(rows: readonly VolumeRow[], months: readonly string[]): VolumeTotal[] {
  const inWindow = new Set(months);
  const groups = new Map<string, VolumeTotal>();
  for (const r of rows) {
    if (!inWindow.has(r.month)) continue;
    const g = groups.get(r.group) ?? { group: r.group, created: 0, resolved: 0 };
    g.created += r.created;
    g.resolved += r.resolved;
    groups.set(r.group, g);
  }
  return [...groups.values()].sort(
    (a, b) => b.created - a.created || b.resolved - a.resolved || a.group.localeCompare(b.group)
  );
}
