/**
 * Two users edit different fields of one ticket at the same time against the real gateway:
 * the agent on an RxDB database that is offline meanwhile, the requester straight through
 * the gateway (open-source RxDB allows 16 open collections per process, fewer than two
 * whole local databases hold). After sync both edits are on the server and on the agent's
 * device, and nothing is set aside as refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import { CouchClient, type FetchLike } from './couch-http';
import { openTestDevice } from './test-device';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

const device = (username: string) => openTestDevice(server.url, username);

it('keeps both edits of different fields made concurrently by two users', async () => {
  const agent = await device('helpdesk');
  const requesterCookie = await login(server.url, 'ucitel.gymkt');
  const asRequester: FetchLike = (input, init) =>
    fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), cookie: requesterCookie, origin: server.url }
    });
  const requesterClient = new CouchClient(asRequester, `${server.url}/couch`);
  try {
    const id = 'tkt-gym-kt-0001';
    const db = 'org_gym-kt_tickets';

    // The agent edits while offline; the requester edits later and reaches the server first.
    agent.state.offline = true;
    const agentDoc = (await agent.core.collections.tickets.findOne(id).exec())!;
    await agentDoc.incrementalPatch({ priority: 'P1', updatedBy: 'helpdesk', updatedAt: new Date().toISOString() });
    await new Promise((r) => setTimeout(r, 20));
    const current = (await requesterClient.getDoc(db, id))!;
    const description = 'Projektor se vypíná i po výměně kabelu.';
    const written = await requesterClient.bulkDocs(db, [
      { ...current, description, updatedBy: 'ucitel.gymkt', updatedAt: new Date().toISOString() }
    ]);
    expect(written[0]).toMatchObject({ ok: true });

    agent.state.offline = false;
    const deadline = Date.now() + 10_000;
    let onServer: Record<string, unknown> | null = null;
    const rejectedCount = () => agent.core.issues.store.count({ selector: { kind: 'rejected' } }).exec();
    while (Date.now() < deadline) {
      onServer = await requesterClient.getDoc(db, id);
      if (onServer?.priority === 'P1' || (await rejectedCount())) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rejected = await agent.core.issues.store.find({ selector: { kind: 'rejected' } }).exec();
    expect(rejected.map((r) => r.toJSON())).toEqual([]);
    expect(onServer).toMatchObject({ priority: 'P1', description, updatedBy: 'helpdesk' });

    agent.core.sync.resyncNow();
    await agent.core.sync.replications.get('tickets')!.awaitInSync();
    expect((await agent.core.collections.tickets.findOne(id).exec())!.toJSON()).toMatchObject({
      priority: 'P1',
      description
    });
  } finally {
    await agent.close();
  }
});
