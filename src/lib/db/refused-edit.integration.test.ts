/**
 * A refused edit stays visible until the person resolves it, through the real gateway:
 * the server's newer version is pulled over the refused one, an unrelated edit is then
 * pushed successfully, and the refusal, with its content, is still there.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { newTicket } from '../domain/tickets/build';
import { CouchClient, type FetchLike } from './couch-http';
import { openCore, type Me } from './open-core';
import { DISCARD_OFFLINE, discardRejected, retryRejected } from './rejected-actions';
import { openTestDevice } from './test-device';

let server: TestServer;
let fetchAs: FetchLike;
let me: Me;
const USER = 'ucitel.gymkt';
const now = () => new Date().toISOString();
/** A requester's new ticket of the school, as the app makes it, under the given id. */
const schoolTicket = (id: string) => ({
  ...newTicket(
    { orgId: 'gym-kt', title: 'Projektor', description: 'Nesvítí', category: 'cat-hardware', priority: 'P3' },
    me.user,
    new Date()
  ),
  id
});

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await login(server.url, USER);
  fetchAs = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
  me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
});
afterAll(async () => server?.close());

/** Answers the next `_bulk_docs` naming `id` with a refusal of that document (a rule that passes later). */
const refuseOnce =
  (target: { id: string | null }) =>
  (fetch: FetchLike): FetchLike =>
  async (input, init) => {
    if (target.id && String(input).includes('/_bulk_docs') && typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as { docs: { _id: string }[] };
      if (body.docs.some((d) => d._id === target.id)) {
        const id = target.id;
        target.id = null;
        const others = body.docs.filter((d) => d._id !== id);
        const rows = others.length
          ? ((await (await fetch(input, { ...init, body: JSON.stringify({ docs: others }) })).json()) as unknown[])
          : [];
        const out = [...rows, { id, error: 'forbidden', reason: 'a related record is not there yet' }];
        return new Response(JSON.stringify(out), { status: 201, headers: { 'content-type': 'application/json' } });
      }
    }
    return fetch(input, init);
  };

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
      await tickets.insert(schoolTicket('refused-keep'));
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

  it('given up, takes back only the refused change: an edit made after it and not sent yet stays, and is sent', async () => {
    // While `flaky` is set the server answers every write with 503 (it is busy); reads work.
    let flaky = false;
    const core = await openCore(me, {
      storage: getRxStorageMemory(),
      origin: server.url,
      fetch: (input, init) =>
        flaky && String(input).includes('/_bulk_docs')
          ? Promise.resolve(new Response('{"error":"unavailable","reason":"busy"}', { status: 503 }))
          : fetchAs(input, init),
      emit: () => undefined,
      multiInstance: false,
      events: false,
      retryMs: 300
    });
    const id = `refused-discard-${Date.now()}`;
    try {
      await core.sync.awaitInitial();
      const tickets = core.collections.tickets;
      const rep = core.sync.replications.get('tickets')!;
      await tickets.insert(schoolTicket(id));
      // On the server (which assigns it to someone at once) and back on the device.
      await expect.poll(async () => (await core.client.getDoc('org_gym-kt_tickets', id))?.status).toBeDefined();
      core.sync.resyncNow();
      await rep.awaitInSync();
      const serverStatus = (await core.client.getDoc('org_gym-kt_tickets', id))!.status;
      // The requester may not set a status: refused and set aside.
      await (await tickets.findOne(id).exec())!.incrementalPatch({ status: 'waiting', updatedAt: now() });
      await expect
        .poll(async () => (await core.issues.rejectedFor('tickets', [id])).get(id)?.doc.status, { timeout: 20_000 })
        .toBe('waiting');

      // The server is busy when the person adds to the description; then they give up the status.
      flaky = true;
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'Nesvítí ani po výměně',
        updatedAt: now()
      });
      await discardRejected(
        { collections: core.collections, issues: core.issues, client: core.client },
        `rejected:tickets:${id}`
      );
      const local = (await tickets.findOne(id).exec())!;
      expect({ status: local.get('status'), description: local.get('description') }).toEqual({
        status: serverStatus,
        description: 'Nesvítí ani po výměně'
      });
      expect(await core.issues.store.count({ selector: { kind: 'pending', docId: id } }).exec()).toBe(1);

      flaky = false;
      core.sync.resyncNow();
      await expect
        .poll(async () => (await core.client.getDoc('org_gym-kt_tickets', id))?.description, { timeout: 20_000 })
        .toBe('Nesvítí ani po výměně');
      expect((await core.client.getDoc('org_gym-kt_tickets', id))?.status).toBe(serverStatus);
      expect((await core.issues.rejectedFor('tickets', [id])).size).toBe(0);
    } finally {
      await core.close();
    }
  });

  describe('made on a version someone else changed since', () => {
    const DB = 'org_gym-kt_tickets';

    /** A ticket on the server and the device, then an edit of its description refused once. */
    async function refusedOnce(id: string) {
      const target = { id: null as string | null };
      const device = await openTestDevice(server.url, USER, { wrapFetch: refuseOnce(target) });
      const { core } = device;
      const tickets = core.collections.tickets;
      const rep = core.sync.replications.get('tickets')!;
      await tickets.insert(schoolTicket(id));
      await expect.poll(async () => (await core.client.getDoc(DB, id))?.title).toBe('Projektor');
      core.sync.resyncNow();
      await rep.awaitInSync();
      target.id = id;
      await (await tickets.findOne(id).exec())!.incrementalPatch({
        description: 'Nesvítí ani po výměně',
        updatedAt: now()
      });
      await expect.poll(async () => (await core.issues.rejectedFor('tickets', [id])).size).toBe(1);
      // Someone else renames the ticket on the server.
      const before = (await core.client.getDoc(DB, id))!;
      await core.client.bulkDocs(DB, [{ ...before, title: 'Projektor v učebně 12', updatedAt: now() }]);
      return { device, core, tickets, rep };
    }

    it('retried after that version was pulled: accepted, the refusal goes, and the other person’s change stays', async () => {
      const id = `rebase-retry-${Date.now()}`;
      const { device, core, tickets, rep } = await refusedOnce(id);
      try {
        core.sync.resyncNow();
        await expect.poll(async () => (await tickets.findOne(id).exec())?.get('title')).toBe('Projektor v učebně 12');
        await retryRejected(
          { collections: core.collections, issues: core.issues, client: core.client },
          `rejected:tickets:${id}`
        );
        await expect
          .poll(async () => (await core.client.getDoc(DB, id))?.description, { timeout: 20_000 })
          .toBe('Nesvítí ani po výměně');
        await rep.awaitInSync();
        expect((await core.client.getDoc(DB, id))?.title).toBe('Projektor v učebně 12');
        await expect.poll(async () => (await core.issues.rejectedFor('tickets', [id])).size).toBe(0);
      } finally {
        await device.close();
      }
    });

    it('edited again before that version was pulled: merged, accepted, and the refusal goes', async () => {
      const id = `rebase-edit-${Date.now()}`;
      const { device, core, tickets } = await refusedOnce(id);
      try {
        await (await tickets.findOne(id).exec())!.incrementalPatch({ priority: 'P2', updatedAt: now() });
        await expect.poll(async () => (await core.client.getDoc(DB, id))?.priority, { timeout: 20_000 }).toBe('P2');
        const onServer = (await core.client.getDoc(DB, id))!;
        expect({ title: onServer.title, description: onServer.description }).toEqual({
          title: 'Projektor v učebně 12',
          description: 'Nesvítí ani po výměně'
        });
        await expect.poll(async () => (await core.issues.rejectedFor('tickets', [id])).size).toBe(0);
      } finally {
        await device.close();
      }
    });
  });

  it('a refused deletion, retried, is sent again', async () => {
    // An administrator may delete; the first attempt is refused (a rule that passes later).
    const target = { id: null as string | null };
    const device = await openTestDevice(server.url, 'admin', { wrapFetch: refuseOnce(target) });
    const { core } = device;
    const tickets = core.collections.tickets;
    const id = `refused-deletion-${Date.now()}`;
    try {
      await tickets.insert({ ...schoolTicket(id), requester: 'admin', createdBy: 'admin', updatedBy: 'admin' });
      await expect.poll(async () => (await core.client.getDoc('org_gym-kt_tickets', id))?.title).toBe('Projektor');
      core.sync.resyncNow();
      await core.sync.replications.get('tickets')!.awaitInSync();
      target.id = id;
      await (await tickets.findOne(id).exec())!.remove();
      await expect.poll(async () => (await core.issues.rejectedFor('tickets', [id])).get(id)?.doc._deleted).toBe(true);
      await retryRejected(
        { collections: core.collections, issues: core.issues, client: core.client },
        `rejected:tickets:${id}`
      );
      await expect.poll(async () => await core.client.getDoc('org_gym-kt_tickets', id), { timeout: 20_000 }).toBeNull();
      await expect.poll(async () => (await core.issues.rejectedFor('tickets', [id])).size).toBe(0);
    } finally {
      await device.close();
    }
  });
});
