/**
 * Withdrawn and granted access reaches the device, through the real gateway: when a
 * membership is removed, the next 403 makes the store re-read its access, stop reading the
 * database and remove that organization's data from the device (deletions are not sent; a
 * change that can no longer be sent is kept aside with the reason); granted again, the
 * organization's data comes back in full.
 */
import { removeRxDatabase, type RxStorage } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startTestServer, type TestServer } from '../../../sync-server/testing/server';
import type { FetchLike } from './couch-http';
import { rxDatabaseName } from './local-names';
import { openCore, type Me } from './open-core';
import { openTestDevice } from './test-device';

let server: TestServer;
let fetchAs: FetchLike;
const USER = 'ucitel.gymkt';

beforeAll(async () => {
  server = await startTestServer();
  const cookie = await login(server.url, USER);
  fetchAs = (input, init) =>
    fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie, origin: server.url } });
});
afterAll(async () => server?.close());

async function setMemberships(change: (m: unknown[]) => unknown[]) {
  const auth = server.app.couch.use<{ memberships: unknown[] }>('auth');
  const doc = await auth.get(`user:${USER}`);
  await auth.insert({ ...doc, memberships: change(doc.memberships) });
}

/** The user's device on the given storage and network, the event stream off (a refresh is asked for by hand or by a 403). */
const openDevice = (me: Me, opts: { storage?: RxStorage<unknown, unknown>; fetch?: FetchLike } = {}) =>
  openCore(me, {
    storage: opts.storage ?? getRxStorageMemory(),
    origin: server.url,
    fetch: opts.fetch ?? fetchAs,
    emit: () => undefined,
    multiInstance: false,
    events: false,
    retryMs: 300
  });

describe('access changed while the app runs', () => {
  it('removes a withdrawn organization from the device and brings it back when granted again', async () => {
    const me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
    const core = await openDevice(me);
    const tickets = core.collections.tickets;
    const countGym = async () => (await tickets.find({ selector: { orgId: 'gym-kt' } }).exec()).length;
    let saved: unknown[] = [];
    try {
      await core.sync.awaitInitial();
      const before = await countGym();
      expect(before).toBeGreaterThan(0);

      await setMemberships((m) => {
        saved = m;
        return [];
      });
      const at = new Date().toISOString();
      await tickets.insert({
        id: 'made-before-withdrawal',
        orgId: 'gym-kt',
        title: 'Made as access was withdrawn',
        description: '',
        category: 'cat-hardware',
        priority: 'P3',
        requester: USER,
        status: 'new',
        events: [],
        createdBy: USER,
        createdAt: at,
        updatedBy: USER,
        updatedAt: at
      });
      core.sync.resyncNow();
      await expect.poll(countGym, { timeout: 20_000 }).toBe(0);

      // The server still has the organization's tickets: nothing was deleted there.
      const admin = await login(server.url, 'admin');
      const all = (await (
        await fetch(`${server.url}/couch/org_gym-kt_tickets/_all_docs`, { headers: { cookie: admin } })
      ).json()) as { rows: unknown[] };
      expect(all.rows.length).toBeGreaterThanOrEqual(before);
      // The change that could not be sent is kept aside with its content and a reason.
      const aside = await core.issues.store.find({ selector: { kind: 'rejected' } }).exec();
      expect(aside.map((d) => d.get('doc')?.title)).toContain('Made as access was withdrawn');
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);

      await setMemberships(() => saved);
      await core.refreshAccess();
      await expect.poll(countGym, { timeout: 20_000 }).toBe(before);
    } finally {
      await core.close();
    }
  });

  it('removes a page that was on its way into the store when access was withdrawn', async () => {
    const me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
    // The tickets store's writes from the server can be held, as a slow device holds them.
    let hold: Promise<void> | null = null;
    let release = () => undefined as void;
    let held = false;
    const base = getRxStorageMemory();
    const storage: typeof base = {
      ...base,
      async createStorageInstance(params) {
        const instance = await base.createStorageInstance(params);
        if (params.collectionName !== 'tickets') return instance;
        const write = instance.bulkWrite.bind(instance);
        instance.bulkWrite = async (rows, context) => {
          if (hold && context.startsWith('replication-downstream')) {
            held = true;
            await hold;
          }
          return write(rows, context);
        };
        return instance;
      }
    };
    const core = await openDevice(me, { storage: storage as RxStorage<unknown, unknown> });
    const countGym = async () => (await core.collections.tickets.find({ selector: { orgId: 'gym-kt' } }).exec()).length;
    let saved: unknown[] = [];
    try {
      await core.sync.awaitInitial();
      // A ticket written on the server: the device's next pull hands it to the store, which holds it.
      const serverTickets = server.app.couch.use<Record<string, unknown>>('org_gym-kt_tickets');
      const { rows } = await serverTickets.list({ include_docs: true, limit: 5 });
      const { _id: _i, _rev: _r, ...sample } = rows.find((r) => !r.id.startsWith('_design/'))!.doc!;
      await serverTickets.insert({ ...sample, _id: 'arrives-as-access-goes', title: 'Arrives as access goes' });
      hold = new Promise<void>((resolve) => (release = resolve));
      core.sync.resyncNow();
      await expect.poll(() => held, { timeout: 20_000 }).toBe(true);

      await setMemberships((m) => {
        saved = m;
        return [];
      });
      await core.refreshAccess();
      // The purge ran while the page was held; the page is stored after it.
      release();
      hold = null;
      await expect.poll(countGym, { timeout: 20_000 }).toBe(0);
    } finally {
      release();
      await setMemberships(() => saved);
      await core.close();
      // The memory storage keeps a database's state per name: the next device starts empty.
      await removeRxDatabase(rxDatabaseName(me.user.id), storage);
    }
  });

  it('a device offline while moved to another organization: back online, the old one leaves, its unsent work is refused with the reason, the new one arrives', async () => {
    const me = (await (await fetchAs(`${server.url}/api/me`)).json()) as Me;
    let offline = false;
    const device: FetchLike = (input, init) =>
      offline ? Promise.reject(new TypeError('Failed to fetch')) : fetchAs(input, init);
    const core = await openDevice(me, { fetch: device });
    const tickets = core.collections.tickets;
    const count = async (orgId: string) => (await tickets.find({ selector: { orgId } }).exec()).length;
    let saved: unknown[] = [];
    try {
      await core.sync.awaitInitial();
      expect(await count('gym-kt')).toBeGreaterThan(0);
      expect(await count('sos-do')).toBe(0);

      offline = true;
      const at = new Date().toISOString();
      await tickets.insert({
        id: 'made-offline-before-move',
        orgId: 'gym-kt',
        title: 'Written offline for the old school',
        description: '',
        category: 'cat-hardware',
        priority: 'P3',
        requester: USER,
        status: 'new',
        events: [],
        createdBy: USER,
        createdAt: at,
        updatedBy: USER,
        updatedAt: at
      });
      await setMemberships((m) => {
        saved = m;
        return [{ role: 'requester', org: 'sos-do' }];
      });

      offline = false;
      core.sync.resyncNow();
      await expect.poll(() => count('gym-kt'), { timeout: 30_000 }).toBe(0);
      await expect.poll(() => count('sos-do'), { timeout: 30_000 }).toBeGreaterThan(0);
      const aside = (await core.issues.store.find({ selector: { kind: 'rejected' } }).exec()).map((d) => d.toJSON());
      const refused = aside.find((d) => d.docId === 'made-offline-before-move');
      expect(refused).toMatchObject({ code: 'no-access', doc: { title: 'Written offline for the old school' } });
      expect(refused?.reason).toMatch(/org_gym-kt_tickets/);
      expect(await core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
      // Not written to either school behind the person's back.
      const admin = await login(server.url, 'admin');
      for (const db of ['org_gym-kt_tickets', 'org_sos-do_tickets']) {
        const res = await fetch(`${server.url}/couch/${db}/made-offline-before-move`, { headers: { cookie: admin } });
        expect(res.status, db).toBe(404);
      }
    } finally {
      if (saved.length) await setMemberships(() => saved);
      await core.close();
    }
  });
});

describe('the contract archive on devices', () => {
  it('feeds the asset collection of a reader, and an edit goes back to the archive', async () => {
    const device = await openTestDevice(server.url, 'reditel.gymkt');
    try {
      const assets = device.core.collections.assets;
      const contract = await assets.findOne('contract:gym-kt:tisk').exec();
      expect(contract?.get('type')).toBe('contract');
      const data = { ...(contract!.get('data') as object), note: 'Prodlouženo o rok' };
      await contract!.incrementalPatch({ data, updatedBy: 'reditel.gymkt', updatedAt: new Date().toISOString() });
      device.core.sync.resyncNow();
      const admin = await login(server.url, 'admin');
      const stored = async () =>
        (await (
          await fetch(`${server.url}/couch/org_gym-kt_contracts/contract%3Agym-kt%3Atisk`, {
            headers: { cookie: admin }
          })
        ).json()) as { data?: { note?: string } };
      await expect.poll(async () => (await stored()).data?.note, { timeout: 30_000 }).toBe('Prodlouženo o rok');
      expect(device.requests.some((p) => p.startsWith('/couch/org_gym-kt_assets/_bulk_docs'))).toBe(false);
    } finally {
      await device.close();
    }
  });

  it('drops a contract a requester’s device still holds (pulled before the archive moved), without sending anything', async () => {
    const device = await openTestDevice(server.url, 'ucitel.gymkt');
    try {
      const assets = device.core.collections.assets;
      expect(await assets.count({ selector: { type: 'contract' } }).exec()).toBe(0);
      const at = new Date().toISOString();
      // Stored as a pull of the register stored it before the move: straight into storage, no local edit.
      await assets.storageInstance.bulkWrite(
        [
          {
            document: {
              id: 'contract:gym-kt:tisk',
              orgId: 'gym-kt',
              type: 'contract',
              key: 'GYMKT-2024-07',
              refId: '',
              state: '',
              day: '',
              data: { number: 'GYMKT-2024-07', subject: 'Tisk', responsible: 'reditel.gymkt' },
              createdBy: 'helpdesk',
              createdAt: at,
              updatedBy: 'helpdesk',
              updatedAt: at,
              _deleted: false,
              _attachments: {},
              _rev: '1-legacy',
              _meta: { lwt: Date.now() }
            } as never
          }
        ],
        'test-legacy-pull'
      );
      expect(await assets.count({ selector: { type: 'contract' } }).exec()).toBe(1);
      // A device of a version before the sweep was recorded: the next start sweeps.
      await (await device.core.db.getLocal('contracts-sweep'))?.remove();
      device.requests.length = 0;
      await device.reload();
      expect(await device.core.collections.assets.count({ selector: { type: 'contract' } }).exec()).toBe(0);
      expect(await device.core.issues.store.count({ selector: { kind: 'pending' } }).exec()).toBe(0);
      expect(device.requests.filter((p) => p.includes('contracts'))).toEqual([]);
      expect(device.requests.some((p) => p.includes('_bulk_docs'))).toBe(false);
    } finally {
      await device.close();
    }
  });
});
