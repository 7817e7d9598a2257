/** SLA policies and prices as kept in the region's catalog (`region_catalog`). */
import type { Priority } from '../schemas/tickets';
import type { CalendarName } from './calendar';
import type { SlaPolicy } from './clock';

/** A `region_catalog` document (see `catalogSchema`). */
export interface CatalogEntry {
  id: string;
  kind: 'category' | 'sla' | 'contractor' | 'calendar';
  name: string;
  nameEn?: string;
  price?: number;
  priority?: Priority;
  responseMinutes?: number;
  resolutionMinutes?: number;
  calendar?: CalendarName;
  penalty?: number;
  userId?: string;
  districts?: string[];
}

/**
 * Used when the catalog has no policy for a priority, so a ticket always has a clock.
 * One business day is 510 minutes (7:00–15:30).
 */
export const DEFAULT_POLICIES: Record<Priority, SlaPolicy> = {
  P1: { responseMinutes: 30, resolutionMinutes: 4 * 60, calendar: '24x7', penalty: 5000 },
  P2: { responseMinutes: 60, resolutionMinutes: 510, calendar: 'business', penalty: 2000 },
  P3: { responseMinutes: 4 * 60, resolutionMinutes: 3 * 510, calendar: 'business', penalty: 1000 },
  P4: { responseMinutes: 510, resolutionMinutes: 5 * 510, calendar: 'business', penalty: 500 }
};

export function slaPolicyFor(catalog: readonly CatalogEntry[], priority: Priority): SlaPolicy {
  const entry = catalog.find((c) => c.kind === 'sla' && c.priority === priority);
  if (!entry?.responseMinutes || !entry.resolutionMinutes) return DEFAULT_POLICIES[priority];
  return {
    responseMinutes: entry.responseMinutes,
    resolutionMinutes: entry.resolutionMinutes,
    calendar: entry.calendar ?? 'business',
    penalty: entry.penalty ?? 0
  };
}

export function categoryPrice(catalog: readonly CatalogEntry[], categoryId: string): number {
  return catalog.find((c) => c.kind === 'category' && c.id === categoryId)?.price ?? 0;
}
