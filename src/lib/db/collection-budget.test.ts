/**
 * Open-source RxDB refuses to open more than NON_PREMIUM_COLLECTION_LIMIT collections at once
 * in one page (13 in RxDB 17; the count is global, not per database). A module that adds a
 * collection must fit in this budget; these tests open a user's real local database and count.
 */
import { NON_PREMIUM_COLLECTION_LIMIT } from 'rxdb/plugins/utils';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { DATA_COLLECTIONS, OPENED_COLLECTIONS, rxSchemaFor } from './collections';
import { openCore, type Me } from './open-core';
import { INBOX_PATHS } from './ticket-inbox';

const me: Me = { user: { id: 'budget.user', name: 'Budget', memberships: [] }, databases: [] };

async function openedCollections(): Promise<string[]> {
  const core = await openCore(me, {
    storage: getRxStorageMemory(),
    emit: () => undefined,
    multiInstance: false,
    events: false
  });
  try {
    return Object.keys(core.db.collections).sort();
  } finally {
    await core.close();
  }
}

describe('the RxDB collection budget', () => {
  it('a user database opens fewer collections than open-source RxDB allows', async () => {
    const opened = await openedCollections();
    expect(opened).toEqual([...OPENED_COLLECTIONS].sort());
    // Strictly fewer: RxDB makes the page wait almost two seconds before it opens the
    // collection that reaches the limit.
    expect(opened.length).toBeLessThan(NON_PREMIUM_COLLECTION_LIMIT);
  });

  it('lists the budget: one collection per organization module, one for region data, one for sync issues, one for the portal lists', () => {
    expect(OPENED_COLLECTIONS).toEqual([
      'tickets',
      'tasks',
      'approvals',
      'assets',
      'dispatch',
      'notes',
      'comments',
      'region',
      'syncissues',
      'portalrows'
    ]);
    expect(NON_PREMIUM_COLLECTION_LIMIT).toBe(13);
  });
});

describe('client schemas on Dexie', () => {
  // RxDB's Dexie storage (the browser's) refuses an index over a top-level field that is not
  // required (DXE1); the memory storage of the Node tests does not, so the rule is checked here.
  // A nested field escapes that check: the only optional one is the tickets' `inbox`, whose
  // partial indexes `ticket-indexes.test.ts` guards.
  it.each(DATA_COLLECTIONS)('every index field of %s is required', (name) => {
    const schema = rxSchemaFor(name);
    const required = new Set([
      ...(schema.required as string[]),
      ...(typeof schema.primaryKey === 'string' ? [schema.primaryKey] : [])
    ]);
    const fields = (schema.indexes ?? []).flatMap((i) => (Array.isArray(i) ? i : [i]));
    const partial = name === 'tickets' ? INBOX_PATHS : [];
    expect(fields.filter((f) => !required.has(f.split('.')[0]) && !partial.includes(f))).toEqual([]);
  });
});
