/**
 * The device's ticket indexes: every write of a sync keeps each of them up to date, so each
 * one must be read by a list or query of the app, none may be the prefix of another (the longer
 * one serves the shorter's queries), and every ticket query the app asks RxDB must still be
 * planned on one of them (a range of an index, not a read of every ticket). The inbox's two
 * partial indexes are the device's own: RxDB's planner must never see them.
 */
import {
  fillWithDefaultSettings,
  INDEX_MAX,
  INDEX_MIN,
  normalizeMangoQuery,
  prepareQuery,
  type MangoQuery,
  type RxJsonSchema
} from 'rxdb';
import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES } from '../domain/schemas';
import { changedSinceQueries } from '../ui/notifications/ticket-changes';
import { TICKET_SORTS, ticketListPlan, type TicketListFilter } from '../ui/list/ticket-lists';
import { deviceIndexesOf, rxSchemaFor } from './collections';
import type { DocState } from './couch-doc';
import { INBOX_ASSIGNEE, INBOX_PATHS, INBOX_REQUESTER } from './ticket-inbox';

const schema = fillWithDefaultSettings(rxSchemaFor('tickets') as RxJsonSchema<DocState>);
const declared = (rxSchemaFor('tickets').indexes ?? []).map((i) => (typeof i === 'string' ? [i] : [...i]));
const key = (index: readonly string[]) => JSON.stringify(index.filter((f) => f !== 'id'));

const filters: TicketListFilter[] = TICKET_SORTS.flatMap((sort) =>
  (['open', '', 'closed'] as const).flatMap((status) => [
    { status, sort },
    { status, sort, orgId: 'gym-kt' },
    { status, sort, priorities: ['P1'] }
  ])
);

/** The ticket queries the app asks RxDB (outside the paged lists), by where they are asked. */
const since = '2026-11-01T00:00:00.000Z';
const rxQueries: [string, MangoQuery<DocState>][] = [
  ...changedSinceQueries(since).map(
    (q) => [`notifier: changed since, ${q.selector.status}`, q] as [string, MangoQuery<DocState>]
  ),
  // The cost report's finished tickets (routes/(app)/assets/cost).
  ['asset costs: finished tickets', { selector: { status: { $in: ['resolved', 'closed'] } } }]
];

/** The plan RxDB's query makes (`RxQuery.getPreparedQuery`: live documents only). */
function planOf(query: MangoQuery<DocState>) {
  const normalized = normalizeMangoQuery(schema, query);
  normalized.selector = { ...normalized.selector, _deleted: { $eq: false } } as typeof normalized.selector;
  return prepareQuery(schema, normalized).queryPlan;
}

describe('the ticket indexes of the device', () => {
  it('has no index that is the prefix of another', () => {
    for (const a of declared)
      for (const b of declared)
        if (a !== b) expect(key(b).startsWith(key(a).slice(0, -1) + ','), `${key(a)} ⊂ ${key(b)}`).toBe(false);
  });

  it('keeps only indexes some list or query reads', () => {
    const read = new Set(
      filters.map((f) => ticketListPlan(f)).flatMap((plan) => (plan.bySearchIndex ? [] : [key(plan.index)]))
    );
    for (const [, q] of rxQueries) read.add(key(planOf(q).index.filter((f) => f !== '_deleted')));
    expect(new Set(declared.map(key))).toEqual(read);
  });

  it.each(rxQueries)('%s is a range of a declared index', (_, query) => {
    const plan = planOf(query);
    const index = plan.index.filter((f) => f !== '_deleted');
    expect(declared.map(key)).toContain(key(index));
    // The range is narrowed by the query's first field (not a walk of every live ticket).
    expect([plan.startKeys[1], plan.endKeys[1]]).not.toEqual([INDEX_MIN, INDEX_MAX]);
  });

  // The inbox indexes hold only the tickets an inbox lists (`ticket-inbox.ts`): any other query
  // planned on one would silently miss the rest. The inbox reads them straight (`index-reader.ts`).
  const inboxFields = INBOX_PATHS;
  it("keeps the device's own partial indexes (the inbox's, an asset's tickets) out of RxDB's schema", () => {
    expect(deviceIndexesOf('tickets')).toEqual([[INBOX_ASSIGNEE, 'status'], [INBOX_REQUESTER, 'status'], ['assetId']]);
    for (const index of schema.indexes ?? [])
      expect(
        [index].flat().some((f) => [...inboxFields, 'assetId'].includes(f)),
        String(index)
      ).toBe(false);
  });

  const otherQueries: [string, MangoQuery<DocState>][] = [
    ...rxQueries,
    // An asset's tickets: the page reads the device's own index by asset; asked of RxDB, a walk.
    ['tickets of an asset', { selector: { orgId: 'gym-kt', assetId: 'a-1' } }],
    ['inbox fields asked of RxDB', { selector: { [INBOX_ASSIGNEE]: 'technik.kt', status: 'assigned' } }],
    ['every ticket', { selector: {} }],
    ['every ticket by id', { selector: {}, sort: [{ id: 'desc' }] }],
    ['a requester’s tickets', { selector: { requester: 'ucitel.gymkt' } }],
    ['a requester’s waiting tickets', { selector: { requester: 'ucitel.gymkt', status: 'waiting' } }],
    ['by title', { selector: { title: 'Tiskárna' } }],
    ['by state, in id order', { selector: { status: 'assigned' }, sort: [{ id: 'asc' }] }],
    ['by organization, newest', { selector: { orgId: 'gym-kt' }, sort: [{ updatedAt: 'desc' }] }]
  ];
  it.each(otherQueries)('%s is not planned on an inbox index', (_, query) => {
    expect(planOf(query).index.some((f) => inboxFields.includes(f))).toBe(false);
  });

  it('asks one range per status for tickets changed since a time', () => {
    const queries = changedSinceQueries(since);
    expect(queries.map((q) => q.selector.status)).toEqual([...TICKET_STATUSES]);
    for (const q of queries) {
      const plan = planOf(q as MangoQuery<DocState>);
      expect(plan.index).toEqual(['_deleted', 'status', 'updatedAt', 'id']);
      expect(plan.startKeys.slice(1, 3)).toEqual([q.selector.status, since]);
      expect(plan.sortSatisfiedByIndex).toBe(true);
    }
  });
});
