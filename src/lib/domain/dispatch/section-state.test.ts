import { describe, expect, it } from 'vitest';
import { FALLBACK_PLAN, planAt, type WinterPlan } from './plan';
import { calamityByDistrict, sectionStates } from './section-state';
import { inServiceAt, serviceMsBetween } from './service-hours';
import type { DispatchEntry, SectionRef } from './types';

const H = 3_600_000;
/** 2026-01-14 10:00 in Prague (UTC+1). */
const NOON = Date.parse('2026-01-14T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const sec = (id: string, order: string, extra: Partial<SectionRef> = {}): SectionRef => ({
  id,
  district: 'KT',
  order,
  ...extra
});
let n = 0;
const entry = (entry: DispatchEntry['entry'], atMs: number, extra: Partial<DispatchEntry> = {}): DispatchEntry => ({
  id: `e${++n}`,
  orgId: 'sus',
  entry,
  district: 'KT',
  createdBy: 'dispecer',
  createdAt: iso(atMs),
  updatedAt: iso(atMs),
  receivedAt: iso(atMs),
  ...extra
});
const treated = (sectionId: string, atMs: number) =>
  entry('treatment', atMs, { sectionId, method: 'gritting', startedAt: iso(atMs - H) });
const stateOf = (s: SectionRef, entries: DispatchEntry[], now = NOON, plans: Partial<WinterPlan>[] = []) =>
  sectionStates([s], entries, plans, now).get(s.id)!;

describe('section state: time since treatment against the order deadline', () => {
  it.each([
    ['I', 1, 'ok', 120],
    ['I', 2.1, 'due', 54],
    ['I', 3, 'overdue', 0],
    ['II', 4, 'ok', 120],
    ['II', 5.5, 'due', 30],
    ['II', 7, 'overdue', -60],
    // III. order is not served 22:00–02:00: these cross that night.
    ['III', 14.5, 'ok', 90],
    ['III', 15.5, 'due', 30],
    ['III', 16, 'overdue', 0]
  ])('order %s treated %s h ago is %s (%s min left)', (order, hoursAgo, status, left) => {
    const st = stateOf(sec('s', order), [treated('s', NOON - hoursAgo * H)]);
    expect(st.status).toBe(status);
    expect(st.minutesLeft).toBe(left);
  });

  it('counts from the later of the last treatment and the last dispatch of vehicles', () => {
    const st = stateOf(sec('s', 'I'), [
      treated('s', NOON - 5 * H),
      entry('assignment', NOON - H, { sectionId: 's', crew: 'silnicar.kt' })
    ]);
    expect(st.status).toBe('ok');
    expect(st.assignment?.crew).toBe('silnicar.kt');
  });

  it('a treatment after an assignment closes it and marks the section treated', () => {
    const st = stateOf(sec('s', 'I'), [
      entry('assignment', NOON - 2 * H, { sectionId: 's', crew: 'a.b' }),
      treated('s', NOON - 0.5 * H)
    ]);
    expect(st).toMatchObject({ status: 'ok', assignment: undefined, treatedAt: NOON - 0.5 * H, minutesLeft: 150 });
  });

  it('the server receipt time decides, not the device time', () => {
    const late = treated('s', NOON - 4 * H);
    late.createdAt = iso(NOON - 10 * H); // the device clock was far behind
    expect(stateOf(sec('s', 'II'), [late]).status).toBe('ok');
  });

  it('an entry not yet received counts with its device time', () => {
    const pending = treated('s', NOON - H);
    delete pending.receivedAt;
    expect(stateOf(sec('s', 'I'), [pending]).minutesLeft).toBe(120);
  });

  it('uses the seeded last treatment when the deník has none', () => {
    expect(stateOf(sec('s', 'I', { lastTreatedAt: iso(NOON - 4 * H) }), []).status).toBe('overdue');
  });

  it('the clock of II. and III. order stands outside the hours of service (22:00–02:00)', () => {
    // Treated at 21:00 Prague time; at 03:00 six hours passed, but two of them without service.
    const at21 = Date.parse('2026-01-13T20:00:00.000Z');
    const at03 = Date.parse('2026-01-14T02:00:00.000Z');
    expect(stateOf(sec('s', 'II'), [treated('s', at21)], at03)).toMatchObject({
      status: 'ok',
      minutesLeft: 240,
      offHours: false
    });
    expect(stateOf(sec('s', 'I'), [treated('s', at21)], at03).status).toBe('overdue');
    expect(stateOf(sec('s', 'II'), [treated('s', at21)], Date.parse('2026-01-13T23:00:00.000Z')).offHours).toBe(true);
  });

  it('calamity mode of the district switches deadlines off, and is lifted by a later entry', () => {
    const on = entry('calamity', NOON - 6 * H, { calamity: true });
    const s = sec('s', 'I');
    expect(stateOf(s, [treated('s', NOON - 5 * H), on]).status).toBe('calamity');
    expect(stateOf(s, [treated('s', NOON - 5 * H), on, entry('calamity', NOON - H, { calamity: false })]).status).toBe(
      'overdue'
    );
    expect(stateOf(sec('o', 'I', { district: 'DO' }), [on, treated('o', NOON - 5 * H)]).status).toBe('overdue');
    expect(calamityByDistrict([on]).get('KT')).toMatchObject({ on: true, by: 'dispecer' });
  });

  it('unmaintained sections have no deadline', () => {
    expect(stateOf(sec('s', 'III', { unmaintained: true }), [treated('s', NOON - 40 * H)]).status).toBe('unmaintained');
  });

  it('counts open reports until the section is treated or the report corrected', () => {
    const r1 = entry('report', NOON - 2 * H, { sectionId: 's', reportType: 'snow', severity: 2 });
    const r2 = entry('report', NOON - H, { sectionId: 's', reportType: 'black_ice', severity: 3 });
    expect(stateOf(sec('s', 'I'), [r1, r2]).openReports).toBe(2);
    expect(
      stateOf(sec('s', 'I'), [r1, r2, entry('correction', NOON, { refId: r1.id, text: 'omyl' })]).openReports
    ).toBe(1);
    expect(stateOf(sec('s', 'I'), [r1, treated('s', NOON - 1.5 * H), r2]).openReports).toBe(1);
  });

  it('uses the plan in force at the time', () => {
    const strict: Partial<WinterPlan> = {
      ...FALLBACK_PLAN,
      id: 'p2',
      validFrom: iso(NOON - 24 * H),
      orders: [{ order: 'I', deadlineMinutes: 60 }]
    };
    const future: Partial<WinterPlan> = {
      ...strict,
      id: 'p3',
      validFrom: iso(NOON + H),
      orders: [{ order: 'I', deadlineMinutes: 600 }]
    };
    expect(planAt([strict, future], iso(NOON)).id).toBe('p2');
    expect(stateOf(sec('s', 'I'), [treated('s', NOON - 1.5 * H)], NOON, [strict, future]).status).toBe('overdue');
  });
});

describe('hours of service', () => {
  it.each([
    ['2026-01-13T20:30:00Z', '02:00', '22:00', true],
    ['2026-01-13T21:30:00Z', '02:00', '22:00', false],
    ['2026-01-14T00:59:00Z', '02:00', '22:00', false],
    ['2026-01-14T01:00:00Z', '02:00', '22:00', true],
    ['2026-07-14T20:30:00Z', '02:00', '22:00', false],
    ['2026-01-14T03:00:00Z', '22:00', '06:00', true],
    ['2026-01-14T12:00:00Z', '22:00', '06:00', false]
  ])('%s with service %s–%s: in service %s', (at, from, to, expected) => {
    expect(inServiceAt(Date.parse(at), from, to)).toBe(expected);
  });

  it('counts only service time across days and the change to summer time', () => {
    const start = Date.parse('2026-03-28T12:00:00Z');
    const end = Date.parse('2026-03-30T12:00:00Z');
    // 48 wall hours minus one lost to the clock change, minus two nights of 4 hours.
    expect(serviceMsBetween(start, end, '02:00', '22:00') / H).toBe(47 - 8 + 1);
    expect(serviceMsBetween(start, end) / H).toBe(48);
  });
});
