/** SLA policies and prices as kept in the region's catalog (`region_catalog`). */
import type { Priority } from '../schemas/tickets';
import { toMs, type CalendarName, type Instant } from './calendar';
import { businessCalendarAt } from './calendar-entries';
import type { SlaPolicy } from './clock';

/** A `region_catalog` document (see `catalogSchema`). */
export interface CatalogEntry {
  id: string;
  kind: 'category' | 'sla' | 'contractor' | 'calendar' | 'price';
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
  /** sla, price: the instant from which the entry applies (none: from the beginning). */
  validFrom?: string;
  /** price: the category whose price it sets from `validFrom` on. */
  categoryId?: string;
  /** calendar: working days and hours, extra days off (see `calendar-entries.ts`). */
  weekdays?: number[];
  opens?: number;
  closes?: number;
  closedDays?: string[];
  updatedAt?: string;
}

/**
 * Rules are data with the date they apply from: a change is a new entry, never an edit of the
 * old one, so work done under the old rule is still reckoned by it. The entry in force at
 * `at` is the one with the latest `validFrom` not after it.
 */
function inForce(entries: readonly CatalogEntry[], at: Instant | undefined): CatalogEntry | undefined {
  const t = at === undefined ? Date.now() : toMs(at);
  let best: CatalogEntry | undefined;
  for (const e of entries) {
    const from = e.validFrom ? Date.parse(e.validFrom) : -Infinity;
    if (from > t) continue;
    const bestFrom = best?.validFrom ? Date.parse(best.validFrom) : -Infinity;
    if (!best || from >= bestFrom) best = e;
  }
  return best;
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

/** The SLA policy for a priority in force at `at` (default: now). */
export function slaPolicyFor(catalog: readonly CatalogEntry[], priority: Priority, at?: Instant): SlaPolicy {
  const entry = inForce(
    catalog.filter((c) => c.kind === 'sla' && c.priority === priority),
    at
  );
  // The working hours in force at the same instant as the policy judge the ticket.
  const businessCalendar = businessCalendarAt(catalog, at);
  if (!entry?.responseMinutes || !entry.resolutionMinutes) return { ...DEFAULT_POLICIES[priority], businessCalendar };
  return {
    responseMinutes: entry.responseMinutes,
    resolutionMinutes: entry.resolutionMinutes,
    calendar: entry.calendar ?? 'business',
    penalty: entry.penalty ?? 0,
    businessCalendar
  };
}

/**
 * The contractor price of a category in force at `at` (default: now): a dated price entry, else
 * the category's own. Entries are read, never spread: live query results are objects whose
 * fields are getters, and a spread copy would lose the price.
 */
export function categoryPrice(catalog: readonly CatalogEntry[], categoryId: string, at?: Instant): number {
  const t = at === undefined ? Date.now() : toMs(at);
  let price = catalog.find((c) => c.kind === 'category' && c.id === categoryId)?.price;
  let from = -Infinity;
  for (const e of catalog) {
    if (e.kind !== 'price' || e.categoryId !== categoryId || e.price === undefined) continue;
    const start = e.validFrom ? Date.parse(e.validFrom) : -Infinity;
    if (start <= t && start >= from) {
      from = start;
      price = e.price;
    }
  }
  return price ?? 0;
}
