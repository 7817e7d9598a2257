/**
 * A refused edit stays visible until the person resolves it, through the real gateway:
 * the server's newer version is pulled over the refused one, an unrelated edit is then
 * pushed successfully, and the refusal, with its content, is still there.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { CouchClient, type FetchLike } from './couch-http';
import { openCore, type Me } from './open-core';
import { DISCARD_OFFLINE, discardRejected } from './rejected-actions';

let server: TestServer;
let fetchAs: FetchLike;
let me: Me;
const USER = 'ucitel.gymkt';
const now = () => new Date().toISOString();

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await login(server.url, USER);
  fetchAs = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
  me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
});
afterAll(async () => server?.close());

describe('a refused edit', () => {
  it('stays with its content after the server version is pulled over it and another edit is sent', async () => {
    const core = await openCore(me, {
      storage: getRxStorageMemory(),
      origin: server.url,
      fetch: fetchAs,
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 500
    });
    try {
      await core.sync.awaitInitial();
      const tickets = core.collections.tickets;
      const rep = core.sync.replications.get('tickets')!;
      await tickets.insert({
        id: 'refused-keep',
        orgId: 'gym-kt',
        title: 'Projektor',
        description: 'Nesvítí',
        category: 'cat-hardware',
        priority: 'P3',
        requester: USER,
        status: 'new',
        events: [],
        createdBy: USER,
        createdAt: now(),
        updatedBy: USER,
        updatedAt: now()
      });
      await rep.awaitInSync();
      core.sync.resyncNow();
      await rep.awaitInSync();

      // The requester may not set a status: refused and set aside.
      const doc = await tickets.findOne('refused-keep').exec();
      await doc!.incrementalPatch({ status: 'waiting', updatedAt: now() });
      await rep.awaitInSync();
      const issueId = 'rejected:tickets:refused-keep';
      expect((await core.issues.rejectedFor('tickets', ['refused-keep'])).get('refused-keep')?.doc.status).toBe(
        'waiting'
      );

      // Someone changes the ticket on the server; the device pulls that version over the refused one.
      const server1 = (await core.client.getDoc('org_gym-kt_tickets', 'refused-keep'))!;
      await core.client.bulkDocs('org_gym-kt_tickets', [
        { ...server1, title: 'Projektor v učebně 12', updatedBy: USER, updatedAt: now() }
      ]);
      core.sync.resyncNow();
      await rep.awaitInSync();
      await expect
        .poll(async () => (await tickets.findOne('refused-keep').exec())?.get('title'))
        .toBe('Projektor v učebně 12');

      // An unrelated edit is accepted by the server...
      const current = await tickets.findOne('refused-keep').exec();
      await current!.incrementalPatch({ description: 'Nesvítí ani po výměně kabelu', updatedAt: now() });
      await rep.awaitInSync();
      await expect
        .poll(async () => (await core.client.getDoc('org_gym-kt_tickets', 'refused-keep'))?.description)
        .toBe('Nesvítí ani po výměně kabelu');

      // ...and the refused change is still shown, with what it was, until resolved.
      const kept = (await core.issues.rejectedFor('tickets', ['refused-keep'])).get('refused-keep');
      expect(kept?.doc.status).toBe('waiting');
      expect(kept?.reason).toMatch(/status/);

      // Without the network a discard is refused and changes nothing: the state recorded with
      // the refusal is older than the version pulled since and the edit sent after it.
      const offline = new CouchClient(
        async () => {
          throw new TypeError('fetch failed');
        },
        `${server.url}/couch`,
        USER
      );
      await expect(
        discardRejected({ collections: core.collections, issues: core.issues, client: offline }, issueId)
      ).rejects.toMatchObject({ code: DISCARD_OFFLINE });
      expect((await core.issues.rejectedFor('tickets', ['refused-keep'])).get('refused-keep')?.doc.status).toBe(
        'waiting'
      );
      expect((await tickets.findOne('refused-keep').exec())?.description).toBe('Nesvítí ani po výměně kabelu');

      await discardRejected({ collections: core.collections, issues: core.issues, client: core.client }, issueId);
      expect((await core.issues.rejectedFor('tickets', ['refused-keep'])).size).toBe(0);
    } finally {
      await core.close();
    }
  });
});
