/**
 * A store syncs only with its own user's session, through the real gateway: when the shared
 * cookie switches to another user (who signed in in another tab), the first user's store
 * pulls none of the other user's data, pushes nothing under their session, and stops. The
 * check rides on the sync requests themselves (`x-sync-user`): no `/api/me` round trip.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { FetchLike } from './couch-http';
import { openCore, type Me } from './open-core';

let server: TestServer;
let cookies: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  cookies = {
    first: await login(server.url, 'ucitel.gymkt'),
    second: await login(server.url, 'ucitel.sosdo')
  };
});
afterAll(async () => server?.close());

describe('a window left open while another user signs in', () => {
  it('stops syncing instead of moving data under the other session', async () => {
    let cookie = cookies.first;
    const asked: string[] = [];
    const fetchAs: FetchLike = (input, init) => {
      asked.push(new URL(input).pathname);
      return fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url }
      });
    };
    const me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
    const mismatches: string[] = [];
    const core = await openCore(me, {
      storage: getRxStorageMemory(),
      origin: server.url,
      fetch: fetchAs,
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 200,
      onSessionMismatch: (actual) => mismatches.push(actual)
    });
    try {
      const meBefore = asked.filter((p) => p === '/api/me').length;
      await core.sync.awaitInitial();
      // The first sync asked no one who the session belongs to: the sync requests carry it.
      expect(asked.filter((p) => p === '/api/me').length).toBe(meBefore);
      expect(asked).toContain('/api/changes');
      const tickets = core.collections.tickets;
      const orgsBefore = new Set((await tickets.find().exec()).map((d) => d.get('orgId')));
      expect(orgsBefore).toEqual(new Set(['gym-kt']));

      // Another tab signs in as someone else: the browser's cookie is now theirs.
      cookie = cookies.second;
      const at = new Date().toISOString();
      await tickets.insert({
        id: 'stale-window-edit',
        orgId: 'gym-kt',
        title: 'Written in the stale window',
        description: '',
        category: 'cat-hardware',
        priority: 'P3',
        requester: 'ucitel.gymkt',
        status: 'new',
        events: [],
        createdBy: 'ucitel.gymkt',
        createdAt: at,
        updatedBy: 'ucitel.gymkt',
        updatedAt: at
      });
      core.sync.resyncNow();
      await expect.poll(() => mismatches, { timeout: 10_000 }).toEqual(['ucitel.sosdo']);
      await new Promise((r) => setTimeout(r, 500));

      // Nothing of the other user's organization came in, and the edit was not sent under their session.
      const orgsAfter = new Set((await tickets.find().exec()).map((d) => d.get('orgId')));
      expect(orgsAfter).toEqual(new Set(['gym-kt']));
      const onServer = await fetch(`${server.url}/couch/org_gym-kt_tickets/stale-window-edit`, {
        headers: { cookie: cookies.first }
      });
      expect(onServer.status).toBe(404);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(1);
    } finally {
      await core.close();
    }
  });
});
