import { afterEach, describe, expect, it } from 'vitest';
import { HOLD_FROM_READERS, REANNOUNCE_MS, Reannouncer } from './reannounce';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let open: Reannouncer | null = null;
afterEach(() => open?.close());

function announcer(readers: Record<string, number>, holdFrom = HOLD_FROM_READERS) {
  const named: { id: string; dbs: readonly string[] }[] = [];
  const asked: number[] = [];
  open = new Reannouncer(
    (id, dbs) => named.push({ id, dbs }),
    (db, atLeast) => {
      asked.push(atLeast);
      return Math.min(readers[db] ?? 0, atLeast);
    },
    holdFrom
  );
  const times = (db: string) => named.filter((n) => n.dbs.includes(db)).length;
  return { r: open, named, asked, times };
}

describe('Reannouncer', () => {
  it('names a database few streams read at every change', () => {
    const { r, times } = announcer({ 'org_gym-kt_tickets': HOLD_FROM_READERS - 1 });
    for (let i = 1; i <= 5; i++) r.changed(String(i), ['org_gym-kt_tickets']);
    expect(times('org_gym-kt_tickets')).toBe(5);
  });

  it('holds a database many streams read: the first change at once, the rest together at the interval’s end', async () => {
    const { r, named, times } = announcer({ 'org_gym-kt_tickets': HOLD_FROM_READERS, 'org_sos-do_tickets': 2 });
    for (let i = 1; i <= 5; i++) r.changed(String(i), ['org_gym-kt_tickets', 'org_sos-do_tickets']);
    expect(times('org_gym-kt_tickets')).toBe(1);
    // The quiet database beside it is not held with it.
    expect(times('org_sos-do_tickets')).toBe(5);
    await sleep(REANNOUNCE_MS + 100);
    expect(times('org_gym-kt_tickets')).toBe(2);
    // Under the id of the latest batch held.
    expect(named.at(-1)).toEqual({ id: '5', dbs: ['org_gym-kt_tickets'] });
  });

  it('keeps holding a database with changes held even when its readers fall below the bar', async () => {
    const readers = { 'org_gym-kt_tickets': HOLD_FROM_READERS };
    const { r, named, times } = announcer(readers);
    r.changed('1', ['org_gym-kt_tickets']);
    r.changed('2', ['org_gym-kt_tickets']);
    readers['org_gym-kt_tickets'] = 1;
    // Named now, it would overtake the held batch 2 with a later id and leave 2 to follow.
    r.changed('3', ['org_gym-kt_tickets']);
    expect(times('org_gym-kt_tickets')).toBe(1);
    await sleep(REANNOUNCE_MS + 100);
    expect(named.map((n) => n.id)).toEqual(['1', '3']);
  });

  it('counts readers only as far as the decision needs', () => {
    const { r, asked } = announcer({ 'org_gym-kt_tickets': 500 }, 7);
    r.changed('1', ['org_gym-kt_tickets']);
    expect(asked).toEqual([7]);
  });

  it('names a winter dispatch database at every change, however many read it', () => {
    const { r, times } = announcer({ org_sus_dispatch: 10_000 });
    for (let i = 1; i <= 4; i++) r.changed(String(i), ['org_sus_dispatch']);
    expect(times('org_sus_dispatch')).toBe(4);
  });
});

describe('EVENTS_HOLD_FROM_READERS', () => {
  it('defaults to HOLD_FROM_READERS and takes a whole number of at least 1', async () => {
    const { loadConfig } = await import('../config');
    expect(loadConfig({}).eventsHoldFromReaders).toBe(HOLD_FROM_READERS);
    expect(loadConfig({ EVENTS_HOLD_FROM_READERS: '1' }).eventsHoldFromReaders).toBe(1);
    for (const bad of ['0', '-3', '2.5', 'many'])
      expect(() => loadConfig({ EVENTS_HOLD_FROM_READERS: bad })).toThrow(
        /EVENTS_HOLD_FROM_READERS must be a whole number/
      );
  });
});
