import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nano from 'nano';
import { login, startTestServer, type TestServer } from '../testing/server';
import { sessionCacheFor } from './session-cache';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 120_000);
afterAll(async () => s?.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(s.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body)
  });
const me = (cookie: string) => fetch(`${s.url}/api/me`, { headers: { cookie } });

describe('login', () => {
  it('signs in with the right password: 200, the user, and a HttpOnly SameSite=Lax session cookie', async () => {
    const res = await post('/api/auth/login', { username: 'ucitel.gymkt', password: 'demo' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ id: 'ucitel.gymkt', memberships: [{ role: 'requester', org: 'gym-kt' }] });
    const cookie = res.headers.getSetCookie()[0];
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // http origin in tests; https origins get Secure
    expect(cookie).toMatch(/Max-Age=2592000/);
  });

  it.each([
    ['a wrong password', { username: 'ucitel.gymkt', password: 'nope' }],
    ['an unknown user', { username: 'nikdo', password: 'demo' }]
  ])('refuses %s with 401 and a JSON error', async (_n, body) => {
    const res = await post('/api/auth/login', body);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unauthorized', reason: 'wrong username or password' });
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"username": ', 400],
    ['a missing password', JSON.stringify({ username: 'x' }), 400],
    ['a number as username', JSON.stringify({ username: 5, password: 'x' }), 400]
  ])('answers %s with a JSON error', async (_n, raw, status) => {
    const res = await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('throttles after 10 failures per username and address: 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 10; i++)
      expect((await post('/api/auth/login', { username: 'ucitel.sosdo', password: 'x' })).status).toBe(401);
    const res = await post('/api/auth/login', { username: 'ucitel.sosdo', password: 'demo' });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await res.json()).error).toBe('too_many_requests');
    // Another user from the same address is not affected.
    expect((await post('/api/auth/login', { username: 'reditel.gymkt', password: 'demo' })).status).toBe(200);
  });
});

describe('sessions', () => {
  it('/api/me returns the user and the databases with write rights; 401 without a session', async () => {
    const cookie = await login(s.url, 'dispecer');
    const body = await (await me(cookie)).json();
    expect(body.user).toEqual({
      id: 'dispecer',
      name: expect.any(String),
      memberships: [{ role: 'dispatcher', org: 'sus' }]
    });
    expect(body.databases).toContainEqual({ db: 'org_sus_dispatch', write: true });
    expect(body.databases).toContainEqual({ db: 'region_alerts', write: true });
    expect(body.databases).toContainEqual({ db: 'region_orgs', write: false });
    expect(body.databases.map((d: { db: string }) => d.db)).not.toContain('org_gym-kt_tickets');
    // The event stream's position when it answered: a server time in milliseconds, not in the future.
    expect(body.eventsFrom).toMatch(/^\d+$/);
    expect(Number(body.eventsFrom)).toBeLessThanOrEqual(Date.now());
    const anon = await fetch(`${s.url}/api/me`);
    expect(anon.status).toBe(401);
    expect((await anon.json()).error).toBe('unauthorized');
  });

  it('logout revokes the session on the server, not just the cookie', async () => {
    const cookie = await login(s.url, 'ucitel.gymkt');
    expect((await me(cookie)).status).toBe(200);
    const out = await post('/api/auth/logout', {}, { cookie });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
    expect((await me(cookie)).status).toBe(401);
    expect((await fetch(`${s.url}/couch/org_gym-kt_tickets/`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses an expired session and clears its cookie', async () => {
    const cookie = await login(s.url, 'ucitel.gymkt');
    const auth = nano(s.couchUrl).use<{ type: string; userId: string; expiresAt: string }>('auth');
    const sessions = await auth.list({ startkey: 'session:', endkey: 'session:\ufff0', include_docs: true });
    for (const row of sessions.rows) {
      if (row.doc?.userId === 'ucitel.gymkt')
        await auth.insert({ ...row.doc, expiresAt: new Date(Date.now() - 1000).toISOString() });
    }
    const res = await me(cookie);
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);
  });

  it('slides the expiry: a session in its second half is extended and its cookie renewed', async () => {
    const cookie = await login(s.url, 'reditel.gymkt');
    const auth = nano(s.couchUrl).use<{ type: string; userId: string; expiresAt: string }>('auth');
    const rows = (await auth.list({ startkey: 'session:', endkey: 'session:\ufff0', include_docs: true })).rows.filter(
      (r) => r.doc?.userId === 'reditel.gymkt'
    );
    const soon = Date.now() + 5 * 24 * 3600 * 1000;
    for (const row of rows) await auth.insert({ ...row.doc!, expiresAt: new Date(soon).toISOString() });
    const res = await me(cookie);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()[0]).toMatch(/Max-Age=2592000/);
    // Other sessions of this user (from other tests) stay as they were; ours is extended.
    const after = await Promise.all(rows.map((r) => auth.get(r.id)));
    expect(Math.max(...after.map((d) => Date.parse(d.expiresAt)))).toBeGreaterThan(soon + 20 * 24 * 3600 * 1000);
  });

  it('stores sessions under a hash: the cookie value appears nowhere in the auth database', async () => {
    const cookie = await login(s.url, 'helpdesk');
    const token = cookie.split('=')[1];
    const all = await nano(s.couchUrl).use('auth').list({ include_docs: true });
    expect(JSON.stringify(all)).not.toContain(token);
  });

  describe('a validated session is remembered briefly; the user is read on every request', () => {
    type AuthDoc = { _id: string; _rev: string; type: string; userId: string; disabled?: boolean };
    const auth = () => nano(s.couchUrl).use<AuthDoc>('auth');
    const cache = () => sessionCacheFor(s.app.couch);
    /** Resolves at the next announcement of a change of `auth` (the cache heard it first: it subscribed at start). */
    const authAnnounced = () =>
      new Promise<void>((resolve) => {
        const off = s.app.events.subscribe((b) => {
          if (b.dbs.includes('auth')) {
            off();
            resolve();
          }
        });
      });
    /** Signs in and makes requests until one is answered from memory. */
    async function remembered(username: string): Promise<string> {
      const cookie = await login(s.url, username);
      await expect
        .poll(async () => {
          const hits = cache().hits;
          expect((await me(cookie)).status).toBe(200);
          return cache().hits > hits;
        })
        .toBe(true);
      return cookie;
    }

    it('a session ended outside this server (another instance, an operator) is refused once the store announces it', async () => {
      const cookie = await remembered('zastupce.gymkt');
      const sessions = await auth().list({ startkey: 'session:', endkey: 'session:\ufff0', include_docs: true });
      const announced = authAnnounced();
      for (const r of sessions.rows) if (r.doc?.userId === 'zastupce.gymkt') await auth().destroy(r.id, r.doc._rev);
      await announced;
      expect((await me(cookie)).status).toBe(401);
    });

    it('a user deactivated directly in the store is refused on the very next request, without waiting for the feed', async () => {
      const cookie = await remembered('referent.gymkt');
      const user = await auth().get('user:referent.gymkt');
      await auth().insert({ ...user, disabled: true });
      expect((await me(cookie)).status).toBe(401);
      expect((await fetch(`${s.url}/couch/org_gym-kt_tickets/`, { headers: { cookie } })).status).toBe(401);
      const { _rev } = await auth().get('user:referent.gymkt');
      await auth().insert({ ...user, _rev, disabled: false });
    });

    it('a logout through this server is refused at once, before any announcement', async () => {
      const cookie = await remembered('ucetni.gymkt');
      const out = await post('/api/auth/logout', {}, { cookie, origin: s.url });
      expect(out.status).toBe(200);
      expect((await me(cookie)).status).toBe(401);
    });
  });
});

describe('same-origin check', () => {
  it.each([
    ['a foreign Origin', { origin: 'http://evil.example' }],
    ['a foreign Referer', { referer: 'http://evil.example/page' }],
    ['Origin null', { origin: 'null' }]
  ])('refuses a state-changing /api call with %s (403)', async (_n, headers) => {
    const res = await post('/api/auth/login', { username: 'ucitel.gymkt', password: 'demo' }, headers);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe('forbidden');
  });

  it('refuses a cross-origin write through the gateway even with a valid session', async () => {
    const cookie = await login(s.url, 'ucitel.gymkt');
    const res = await post(
      '/couch/org_gym-kt_tickets/_bulk_docs',
      { docs: [] },
      { cookie, origin: 'http://localhost:9999' }
    );
    expect(res.status).toBe(403);
  });

  // The router decodes a path before matching it; the check must not read the raw spelling.
  it('refuses a foreign write whose path is percent-encoded (/%61pi/…, /%63ouch/…), and nothing changes', async () => {
    const admin = await login(s.url, 'admin');
    const foreign = { cookie: admin, origin: 'http://localhost:9999' };
    const deactivate = await post('/%61pi/admin/users/ucetni.sus/deactivate', {}, foreign);
    expect(deactivate.status).toBe(403);
    expect((await me(await login(s.url, 'ucetni.sus'))).status).toBe(200);

    const doc = { _id: 'encoded-path-probe', title: 'x' };
    const write = await post('/%63ouch/org_gym-kt_tickets/_bulk_docs', { docs: [doc] }, foreign);
    expect(write.status).toBe(403);
    const read = await fetch(`${s.url}/couch/org_gym-kt_tickets/${doc._id}`, { headers: { cookie: admin } });
    expect(read.status).toBe(404);
  });

  it('accepts the app origin', async () => {
    const res = await post(
      '/api/auth/login',
      { username: 'ucitel.gymkt', password: 'demo' },
      { origin: s.url, referer: `${s.url}/login` }
    );
    expect(res.status).toBe(200);
  });
});
