/**
 * No known administrator password on a production-like start: DEMO=0 creates the first
 * administrator from ADMIN_PASSWORD or with a one-time password, DEMO=auto does not seed the
 * demo on a server reachable at another origin, and demo accounts are reported at start-up.
 */
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { ConfigError, loadConfig } from '../config';
import { DEMO_USERS } from '../demo/region';
import { isLocalOrigin } from '../demo/seed';
import { startTestServer, type TestServer } from '../testing/server';
import { ensureFirstAdmin, warnAboutDemoAccounts } from './first-admin';
import { AUTH_DB, createUser, findUser } from './users';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

/** Fastify's own logger (pino), writing its lines to `write`. */
const logger = (level: string, write: (line: string) => void = () => {}) =>
  Fastify({ logger: { level, stream: { write } } }).log;
const silent = logger('silent');

async function signIn(s: TestServer, username: string, password: string, origin = s.url) {
  const res = await fetch(`${s.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ username, password })
  });
  await res.body?.cancel();
  return res.status;
}

describe('a start without the demo', () => {
  it('DEMO=0 creates the first administrator with ADMIN_PASSWORD, and no demo account exists', async () => {
    const s = await startTestServer({ demo: 'off', adminPassword: 'correct-horse-battery' });
    servers.push(s);
    expect(await signIn(s, 'admin', 'demo')).toBe(401);
    expect(await signIn(s, 'admin', 'correct-horse-battery')).toBe(200);
    expect(await findUser(nano(s.couchUrl), 'helpdesk')).toBeNull();
    expect(await warnAboutDemoAccounts(nano(s.couchUrl), silent)).toEqual(['admin']);
  });

  it('without ADMIN_PASSWORD the first administrator gets a one-time password, and only once', async () => {
    const s = await startTestServer({ demo: 'off' });
    servers.push(s);
    const couch = nano(s.couchUrl);
    expect(await signIn(s, 'admin', 'demo')).toBe(401);
    // The one made at start-up went to the log; make another on a store without administrator.
    const admin = await findUser(couch, 'admin');
    await couch.use(AUTH_DB).destroy(admin!._id, admin!._rev!);
    const first = await ensureFirstAdmin(couch, undefined, silent);
    expect(first.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await signIn(s, 'admin', first.oneTimePassword!)).toBe(200);
    expect(await ensureFirstAdmin(couch, 'another-long-password', silent)).toEqual({ created: false });
    expect(await signIn(s, 'admin', first.oneTimePassword!)).toBe(200);

    // Two servers starting at once on one new CouchDB: one makes the administrator, the other goes on.
    const made = await findUser(couch, 'admin');
    await couch.use(AUTH_DB).destroy(made!._id, made!._rev!);
    const runs = await Promise.allSettled([
      ensureFirstAdmin(couch, undefined, silent),
      ensureFirstAdmin(couch, undefined, silent)
    ]);
    expect(runs.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
      'fulfilled',
      'fulfilled'
    ]);
    const created = runs.flatMap((r) => (r.status === 'fulfilled' && r.value.created ? [r.value] : []));
    expect(created).toHaveLength(1);
    expect(await signIn(s, 'admin', created[0].oneTimePassword!)).toBe(200);
  });

  it('DEMO=auto does not seed the demo on a server reachable at another origin', async () => {
    const origin = 'https://ict.example.cz';
    const s = await startTestServer({ demo: 'auto', publicOrigin: origin });
    servers.push(s);
    expect(await findUser(nano(s.couchUrl), 'ucitel.gymkt')).toBeNull();
    expect(await signIn(s, 'admin', 'demo', origin)).toBe(401);
    expect(isLocalOrigin(origin)).toBe(false);
    expect(isLocalOrigin('http://localhost:3000')).toBe(true);
    expect(isLocalOrigin('http://127.0.0.1:5173')).toBe(true);
  });
});

describe('a demo start', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    servers.push(s);
  });

  it('reports every demo account, and that admin still has the public password', async () => {
    const lines: { msg: string; adminHasDemoPassword?: boolean }[] = [];
    const log = logger('warn', (line) => void lines.push(JSON.parse(line)));
    const found = await warnAboutDemoAccounts(nano(s.couchUrl), log);
    expect(found).toContain('admin');
    expect(found).toHaveLength(DEMO_USERS.length);
    expect(lines[0]).toMatchObject({ adminHasDemoPassword: true, msg: expect.stringMatching(/DEMO ACCOUNTS EXIST/) });
  });

  it('creates no account over an existing one: the store refuses it and the account stays as it was', async () => {
    const couch = nano(s.couchUrl);
    const before = await findUser(couch, 'reditel.gymkt');
    expect(before).not.toBeNull();
    const attempt = createUser(couch, {
      username: 'reditel.gymkt',
      name: 'Someone else',
      password: 'x'.repeat(12),
      memberships: [{ role: 'admin' }]
    });
    await expect(attempt).rejects.toMatchObject({ statusCode: 409 });
    expect(await findUser(couch, 'reditel.gymkt')).toEqual(before);
  });

  it('ADMIN_PASSWORD must be worth the name', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(ConfigError);
    expect(loadConfig({ ADMIN_PASSWORD: 'long-enough-pass' }).adminPassword).toBe('long-enough-pass');
  });
});
