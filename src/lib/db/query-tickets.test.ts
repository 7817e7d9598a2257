import { createRxDatabase, type RxCollection } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rxSchemaFor } from './collections';
import { findTickets, matchesText, queryTickets } from './query-tickets';
import type { Ticket } from '../domain/schemas';

const STATUSES = ['new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
const ORGS = ['gym-kt', 'sos-do', 'sus', 'zhpk', 'ku'];
const WORDS = ['tiskárna', 'projektor', 'síť', 'heslo', 'monitor', 'notebook', 'wifi', 'server'];

function ticket(i: number): Ticket {
  const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
  return {
    id: `t-${i}`,
    orgId: ORGS[i % ORGS.length],
    title: `${WORDS[i % WORDS.length]} č. ${i}`,
    description: `Popis problému ${i}: ${WORDS[(i * 7) % WORDS.length]} nefunguje`,
    category: 'hardware',
    priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4],
    requester: 'ucitel.gymkt',
    status: STATUSES[i % STATUSES.length],
    events: [],
    createdBy: 'ucitel.gymkt',
    createdAt: at,
    updatedBy: 'ucitel.gymkt',
    updatedAt: at
  };
}

let tickets: RxCollection;
let close: () => Promise<unknown>;
const N = 10_000;

beforeAll(async () => {
  const db = await createRxDatabase({
    name: 'query-tickets-test',
    storage: getRxStorageMemory(),
    multiInstance: false
  });
  const cols = await db.addCollections({ tickets: { schema: rxSchemaFor('tickets') } });
  tickets = cols.tickets;
  await tickets.bulkInsert(Array.from({ length: N }, (_, i) => ticket(i)));
  close = () => db.remove();
}, 120_000);
afterAll(async () => close?.());

describe('tickets list query', () => {
  it('filters by status and organization on indexes, newest first', async () => {
    const found = await findTickets(tickets, { status: 'waiting', orgId: 'sus', limit: 50 });
    expect(found).toHaveLength(50);
    expect(found.every((t) => t.status === 'waiting' && t.orgId === 'sus')).toBe(true);
    expect(found[0].updatedAt > found[1].updatedAt).toBe(true);
  });

  it('finds words without diacritics and in any order', () => {
    const t = ticket(0);
    expect(matchesText(t, 'TISKARNA 0')).toBe(true);
    expect(matchesText(t, 'tiskárna chybí')).toBe(false);
  });

  // Speed is measured in bench/ (scenario 6) and printed here for a glance, never asserted:
  // a timed assertion fails on a loaded machine and proves nothing about the user's device.
  it(`answers status, text and live queries over ${N} tickets`, async () => {
    const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const start = performance.now();
      const out = await fn();
      return [out, performance.now() - start];
    };
    await findTickets(tickets, { text: 'projektor' }); // warms the prepared search text
    const [page, byStatus] = await time(() => findTickets(tickets, { status: ['new', 'assigned'], limit: 100 }));
    const [hits, text] = await time(() => findTickets(tickets, { text: 'projektor 77' }));
    const [live, liveMs] = await time(() =>
      firstValueFrom(queryTickets(tickets, { orgId: 'gym-kt', status: 'new', text: 'heslo' }))
    );
    console.log(
      `${N} tickets (memory storage): status page ${byStatus.toFixed(1)} ms, text ${text.toFixed(1)} ms, live org+status+text ${liveMs.toFixed(1)} ms`
    );
    expect(page.length).toBe(100);
    expect(page.every((t) => t.status === 'new' || t.status === 'assigned')).toBe(true);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((t) => matchesText(t, 'projektor 77'))).toBe(true);
    expect(live.every((t) => t.orgId === 'gym-kt' && t.status === 'new')).toBe(true);
  });
});
