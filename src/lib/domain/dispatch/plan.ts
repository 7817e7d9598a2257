/**
 * The operating plan of winter maintenance as data: the treatment deadline of each pořadí
 * důležitosti (demo: 3 / 6 / 12 hours from when the vehicles are sent out) and its hours of
 * service. Plans are dated records in `region_catalog` (kind `winter-plan`); a change is a new
 * record valid from a date, so history is judged by the plan in force at the time.
 */
export type Order = 'I' | 'II' | 'III';
export const ORDERS: readonly Order[] = ['I', 'II', 'III'];

export interface OrderRule {
  order: Order;
  deadlineMinutes: number;
  /** Local `HH:MM`; both absent means service round the clock. */
  serviceFrom?: string;
  serviceTo?: string;
}

export interface WinterPlan {
  id: string;
  validFrom: string;
  orders: OrderRule[];
  dueSoonMinutes: number;
  handoffAckMinutes: number;
}

/** Used until the catalog holds a plan (and to fill what a plan leaves out). */
export const FALLBACK_PLAN: WinterPlan = {
  id: 'winter-plan-fallback',
  validFrom: '2000-01-01T00:00:00.000Z',
  orders: [
    { order: 'I', deadlineMinutes: 180 },
    { order: 'II', deadlineMinutes: 360, serviceFrom: '02:00', serviceTo: '22:00' },
    { order: 'III', deadlineMinutes: 720, serviceFrom: '02:00', serviceTo: '22:00' }
  ],
  dueSoonMinutes: 60,
  handoffAckMinutes: 15
};

/** The plan in force at `at`: the latest whose `validFrom` is not after it. */
export function planAt(plans: readonly Partial<WinterPlan>[], at: string): WinterPlan {
  const best = plans
    .filter(
      (p) => typeof p.validFrom === 'string' && Date.parse(p.validFrom) <= Date.parse(at) && Array.isArray(p.orders)
    )
    .sort((a, b) => Date.parse(String(b.validFrom)) - Date.parse(String(a.validFrom)))[0];
  return best ? ({ ...FALLBACK_PLAN, ...best } as WinterPlan) : FALLBACK_PLAN;
}

export function orderRule(plan: WinterPlan, order: Order): OrderRule {
  return (
    plan.orders.find((o) => o.order === order) ??
    FALLBACK_PLAN.orders.find((o) => o.order === order) ?? { order, deadlineMinutes: 720 }
  );
}
