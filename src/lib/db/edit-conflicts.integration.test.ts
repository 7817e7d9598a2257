/**
 * A busy ticket's conflict history against the real gateway: the device and the server each
 * hold a different set of recent conflict records on top of a shared older set, together more
 * than the schema allows. The merge keeps the newest records within the limit, the server
 * accepts it (both edits arrive), and the records cut from the document are kept in the
 * device's sync-issues store; nothing is refused, nothing dropped.
 */
import { removeRxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { EDIT_CONFLICTS_MAX, type EditConflictRecord } from '../domain/edit-conflicts';
import type { Ticket } from '../domain/schemas';
import type { FetchLike } from './couch-http';
import { rxDatabaseName } from './local-names';
import { openCore, type Me } from './open-core';

const ID = 'tkt-gym-kt-0001';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(async () => server?.close());

async function until(check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

it('a merge whose conflict histories add up past the limit is accepted, the oldest records kept on the device', async () => {
  const tickets = server.app.couch.use<Ticket>('org_gym-kt_tickets');
  const created = Date.parse((await tickets.get(ID)).createdAt);
  const rec = (prefix: string, i: number): EditConflictRecord => ({
    id: `conflict-${prefix}${i}`,
    at: new Date(created + (prefix === 's' ? i : 1000 + i) * 1000).toISOString(),
    by: 'helpdesk',
    kind: 'conflict',
    field: 'description',
    kept: JSON.stringify(`${prefix} kept ${i}`),
    lost: JSON.stringify(`${prefix} lost ${i}`)
  });
  const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => rec(prefix, i));
  const shared = range('s', 150);
  const put = async (patch: Partial<Ticket>) => {
    const t = await tickets.get(ID);
    await tickets.insert({ ...t, ...patch, updatedBy: 'admin', updatedAt: new Date().toISOString() } as Ticket);
  };
  await put({ editConflicts: shared } as Partial<Ticket>);

  const cookie = await login(server.url, 'ucitel.gymkt');
  const state = { offline: false };
  const fetchAs: FetchLike = (input, init) =>
    state.offline
      ? Promise.reject(new TypeError('fetch failed'))
      : fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url }
        });
  const me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
  const storage = getRxStorageMemory();
  const core = await openCore(me, {
    storage,
    origin: server.url,
    fetch: fetchAs,
    emit: () => undefined,
    multiInstance: false,
    events: false,
    retryMs: 200
  });
  try {
    await core.sync.awaitInitial();
    await until(
      async () => ((await core.collections.tickets.findOne(ID).exec())?.toJSON().editConflicts?.length ?? 0) === 150
    );

    // The device (after merges of its own) and the server (after others') each hold 60 more.
    state.offline = true;
    const title = 'Tiskárna hlásí zaseknutý papír, i po vyčištění';
    await (await core.collections.tickets.findOne(ID).exec())!.incrementalModify((t: Ticket) => ({
      ...t,
      title,
      editConflicts: [...shared, ...range('l', 60)],
      updatedBy: 'ucitel.gymkt',
      updatedAt: new Date().toISOString()
    }));
    await put({ priority: 'P2', editConflicts: [...shared, ...range('r', 60)] } as Partial<Ticket>);

    state.offline = false;
    core.sync.resyncNow();
    await until(async () => (await tickets.get(ID)).title === title);

    const onServer = await tickets.get(ID);
    expect(onServer.priority).toBe('P2');
    const kept = new Set((onServer.editConflicts ?? []).map((r) => r.id));
    expect(kept.size).toBeLessThanOrEqual(EDIT_CONFLICTS_MAX);
    const moved = await core.issues.store.find({ selector: { kind: 'conflict', docId: ID } }).exec();
    const movedLost = new Set(moved.map((d) => String(d.toJSON().lost)));
    // Every one of the 270 records is in the document or in the device's sync issues.
    for (const r of [...shared, ...range('l', 60), ...range('r', 60)]) {
      expect(kept.has(r.id) || movedLost.has(r.lost!), r.id).toBe(true);
    }
    expect(await core.issues.store.count({ selector: { kind: 'rejected' } }).exec()).toBe(0);
  } finally {
    await core.close();
    await removeRxDatabase(rxDatabaseName(me.user.id), storage);
  }
}, 90_000);
