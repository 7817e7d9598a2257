/**
 * Open event streams and the gateway honour a changed grant at once: a membership changed
 * directly in the `auth` database (as any administration path stores it) reaches the open
 * stream as an `access` event and the gateway on the very next request; a revoked session or
 * a deactivated user ends the stream.
 */
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pragueDate } from '../../src/lib/domain/access';
import type { UserDoc } from '../auth/users';
import { login, startTestServer, type TestServer } from '../testing/server';
import { namesDb, openSse, type SseClient } from '../testing/sse';

let s: TestServer;
let couch: nano.ServerScope;
const open: SseClient[] = [];
const DAY = 86_400_000;

beforeAll(async () => {
  s = await startTestServer();
  couch = nano(s.couchUrl);
}, 120_000);
afterAll(async () => {
  for (const c of open) c.close();
  await s?.close();
});

async function stream(cookie: string): Promise<SseClient> {
  const sse = await openSse(`${s.url}/api/events`, { cookie });
  open.push(sse);
  await sse.waitFor((e) => e.event === 'ready');
  return sse;
}

async function editUser(username: string, change: (u: UserDoc) => UserDoc) {
  const db = couch.use<UserDoc>('auth');
  const doc = await db.get(`user:${username}`);
  await db.insert(change(doc));
}

const ticket = (id: string, orgId: string) => ({
  _id: id,
  orgId,
  title: 'Test ticket',
  description: '',
  category: 'cat-other',
  priority: 'P4',
  requester: 'helpdesk',
  status: 'new',
  events: [],
  createdBy: 'helpdesk',
  createdAt: new Date().toISOString(),
  updatedBy: 'helpdesk',
  updatedAt: new Date().toISOString()
});

describe('a membership changed in the auth database', () => {
  it('reaches the open stream as an access event, and the gateway on the very next request', async () => {
    const cookie = await login(s.url, 'ucitel.sosdo');
    const sse = await stream(cookie);
    expect((await fetch(`${s.url}/couch/org_sos-do_tickets/`, { headers: { cookie } })).status).toBe(200);

    await editUser('ucitel.sosdo', (u) => ({ ...u, memberships: [{ role: 'requester', org: 'gym-kt' }] }));

    // The gateway reads the stored record on every request.
    expect((await fetch(`${s.url}/couch/org_sos-do_tickets/`, { headers: { cookie } })).status).toBe(403);
    expect((await fetch(`${s.url}/couch/org_gym-kt_tickets/`, { headers: { cookie } })).status).toBe(200);

    const access = await sse.waitFor((e) => e.event === 'access', 10_000);
    const dbs = (JSON.parse(access.data) as { dbs: string[] }).dbs;
    expect(dbs).toContain('org_gym-kt_tickets');
    expect(dbs).not.toContain('org_sos-do_tickets');

    // From now on the stream names the new databases and no longer the old ones.
    await couch.use('org_sos-do_tickets').insert(ticket('tkt-grant-old', 'sos-do'));
    await couch.use('org_gym-kt_tickets').insert(ticket('tkt-grant-new', 'gym-kt'));
    await sse.waitFor(namesDb('org_gym-kt_tickets'), 10_000);
    const after = sse.events.slice(sse.events.indexOf(access));
    expect(after.some(namesDb('org_sos-do_tickets'))).toBe(false);
  });

  it('ends the stream of a deactivated user; the gateway refuses the next request', async () => {
    const cookie = await login(s.url, 'silnicar.kt');
    const sse = await stream(cookie);
    await editUser('silnicar.kt', (u) => ({ ...u, disabled: true }));
    await sse.ended;
    expect((await fetch(`${s.url}/couch/org_sus_dispatch/`, { headers: { cookie } })).status).toBe(401);
    await editUser('silnicar.kt', (u) => ({ ...u, disabled: false }));
  });

  it('ends the stream whose session is revoked, and only that one', async () => {
    const revoked = await login(s.url, 'dispecer');
    const other = await login(s.url, 'dispecer');
    const first = await stream(revoked);
    const second = await stream(other);
    const res = await fetch(`${s.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: revoked, origin: s.url }
    });
    expect(res.status).toBe(200);
    await first.ended;
    s.app.events.notify('org_sus_dispatch');
    await second.waitFor(namesDb('org_sus_dispatch'), 10_000);
  });

  it('reaches the open stream when the day a membership ends and another begins has come, with no change of auth', async () => {
    const today = pragueDate(Date.now());
    const tomorrow = pragueDate(Date.now() + DAY);
    await editUser('ucitel.sosdo', (u) => ({
      ...u,
      memberships: [
        { role: 'requester', org: 'sos-do', validTo: today },
        { role: 'requester', org: 'gym-kt', validFrom: tomorrow }
      ]
    }));
    const cookie = await login(s.url, 'ucitel.sosdo');
    const sse = await stream(cookie);
    const now = Date.now.bind(Date);
    // The stream stays open past midnight.
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => now() + DAY);
    try {
      await couch.use('org_gym-kt_tickets').insert(ticket(`tkt-day-${now()}`, 'gym-kt'));
      const access = await sse.waitFor((e) => e.event === 'access', 10_000);
      const dbs = (JSON.parse(access.data) as { dbs: string[] }).dbs;
      expect(dbs).toContain('org_gym-kt_tickets');
      expect(dbs).not.toContain('org_sos-do_tickets');
      await sse.waitFor(namesDb('org_gym-kt_tickets'), 10_000);
    } finally {
      clock.mockRestore();
      await editUser('ucitel.sosdo', (u) => ({ ...u, memberships: [{ role: 'requester', org: 'sos-do' }] }));
    }
  });

  it('reaches the open stream after the store failed once to give the changed user record', async () => {
    const cookie = await login(s.url, 'ucitel.sosdo');
    const sse = await stream(cookie);
    // One user record the store does not give (a busy CouchDB answering 503), then it does.
    let failNext = true;
    const use = s.app.couch.use.bind(s.app.couch);
    const useSpy = vi.spyOn(s.app.couch, 'use').mockImplementation(((name: string) => {
      const db = use(name);
      if (name !== 'auth') return db;
      const get = db.get.bind(db);
      return Object.assign(Object.create(db) as typeof db, {
        get: (id: string, ...rest: unknown[]) => {
          if (failNext && id.startsWith('user:')) {
            failNext = false;
            return Promise.reject(Object.assign(new Error('service unavailable'), { statusCode: 503 }));
          }
          return (get as (...a: unknown[]) => Promise<unknown>)(id, ...rest);
        }
      });
    }) as typeof s.app.couch.use);
    try {
      await editUser('ucitel.sosdo', (u) => ({ ...u, memberships: [{ role: 'requester', org: 'gym-kt' }] }));
      const access = await sse.waitFor((e) => e.event === 'access', 20_000);
      expect(failNext).toBe(false);
      const dbs = (JSON.parse(access.data) as { dbs: string[] }).dbs;
      expect(dbs).toContain('org_gym-kt_tickets');
      expect(dbs).not.toContain('org_sos-do_tickets');
    } finally {
      useSpy.mockRestore();
      await editUser('ucitel.sosdo', (u) => ({ ...u, memberships: [{ role: 'requester', org: 'sos-do' }] }));
    }
  }, 40_000);
});

describe('an organization closed or reopened', () => {
  it('reaches the open streams of its readers as access events', async () => {
    // The contractor of the Klatovy and Domažlice districts reads the tickets of their schools.
    const cookie = await login(s.url, 'technik.kt');
    const sse = await stream(cookie);
    // The administrator keeps reading a closed organization but no longer writes it: told too.
    const admin = await stream(await login(s.url, 'admin'));
    const orgs = couch.use<{ closedAt?: string }>('region_orgs');
    const setClosed = async (closed: boolean) => {
      const doc = await orgs.get('sos-do');
      if (closed) doc.closedAt = new Date().toISOString();
      else delete doc.closedAt;
      await orgs.insert(doc);
    };
    const accessAfter = (from: number) =>
      sse.waitFor((e) => e.event === 'access' && sse.events.indexOf(e) >= from, 10_000);
    try {
      let from = sse.events.length;
      let fromAdmin = admin.events.length;
      const adminAccessAfter = (n: number) =>
        admin.waitFor((e) => e.event === 'access' && admin.events.indexOf(e) >= n, 10_000);
      await setClosed(true);
      const closed = JSON.parse((await accessAfter(from)).data) as { dbs: string[] };
      expect(closed.dbs).not.toContain('org_sos-do_tickets');
      expect(closed.dbs).toContain('org_gym-kt_tickets');
      expect(JSON.parse((await adminAccessAfter(fromAdmin)).data).dbs).toContain('org_sos-do_tickets');
      from = sse.events.length;
      fromAdmin = admin.events.length;
      await setClosed(false);
      const reopened = JSON.parse((await accessAfter(from)).data) as { dbs: string[] };
      expect(reopened.dbs).toContain('org_sos-do_tickets');
      await adminAccessAfter(fromAdmin);
    } finally {
      const doc = await orgs.get('sos-do');
      if (doc.closedAt) await setClosed(false);
    }
  });

  it('reaches a stream opened just before, when no change had reached the server in between', async () => {
    const cookie = await login(s.url, 'technik.kt');
    // The sign-in's own change has passed: the stream opens on a quiet server.
    await new Promise((r) => setTimeout(r, 1500));
    const sse = await stream(cookie);
    const orgs = couch.use<{ closedAt?: string }>('region_orgs');
    const doc = await orgs.get('sos-do');
    doc.closedAt = new Date().toISOString();
    await orgs.insert(doc);
    // As the administration route does: the list reloaded at once, before the change's batch.
    await s.app.orgs.reload();
    try {
      const access = await sse.waitFor((e) => e.event === 'access', 5_000);
      expect((JSON.parse(access.data) as { dbs: string[] }).dbs).not.toContain('org_sos-do_tickets');
    } finally {
      const d = await orgs.get('sos-do');
      delete d.closedAt;
      await orgs.insert(d);
      await s.app.orgs.reload();
    }
  });
});
