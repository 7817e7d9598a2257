/**
 * The login throttle through the real server: a password-guessing run from changing addresses
 * (forged X-Forwarded-For, or a trusted proxy reporting many clients) is stopped per user
 * name, many names from one address are stopped per address, the counts live in CouchDB where
 * a second server instance sees them, and a flood of sign-ins is answered 503 rather than
 * queued without bound.
 */
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTrustProxy } from '../config';
import { startTestServer, type TestServer } from '../testing/server';
import { Busy, HashSlots, KeyedSlots, SIGN_INS_PER_ADDRESS } from './hash-slots';
import { LoginThrottle, retryAfterSeconds } from './login-throttle';
import { ApiError, login as appLogin } from '../../src/lib/api';

let direct: TestServer;
let proxied: TestServer;

beforeAll(async () => {
  // The second behind a proxy on the same machine: X-Forwarded-For from 127.0.0.1 names the client.
  // On the first, a sign-in may wait behind no more than a millisecond of password checking:
  // whatever a hash costs on this machine, a flood overflows the line (the default of fifteen
  // seconds would seat forty at once). The other tests there send one sign-in at a time.
  [direct, proxied] = await Promise.all([
    startTestServer({ signInMaxWaitMs: 1 }),
    startTestServer({ trustProxy: ['127.0.0.1'] })
  ]);
}, 180_000);
afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

const attempt = (s: TestServer, username: string, password: string, from?: string) =>
  fetch(`${s.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.url, ...(from ? { 'x-forwarded-for': from } : {}) },
    body: JSON.stringify({ username, password })
  });

describe('password guessing from fourteen addresses', () => {
  it.each([
    ['forged X-Forwarded-For, no proxy trusted', () => direct],
    ['a trusted proxy reporting fourteen clients', () => proxied]
  ])('is throttled per user name with 429 (%s)', async (_name, server) => {
    const s = server();
    const statuses: number[] = [];
    for (let i = 1; i <= 14; i++) {
      const res = await attempt(s, 'ucitel.sosdo', `guess-${i}`, `203.0.113.${i}`);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    const right = await attempt(s, 'ucitel.sosdo', 'demo', '198.51.100.7');
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await right.json()).toMatchObject({ error: 'too_many_requests' });
  });

  it('uses the forwarded address only from a trusted proxy', async () => {
    // Fifty failures for made-up names "from" one forwarded address stop that address on the
    // proxied server; the direct server counted them against the socket address instead.
    const s = proxied;
    for (let i = 0; i < 50; i++) {
      const res = await attempt(s, `nobody-${i}`, 'x', '192.0.2.50');
      expect(res.status).toBe(401);
    }
    expect((await attempt(s, 'reditel.gymkt', 'demo', '192.0.2.50')).status).toBe(429);
    expect((await attempt(s, 'reditel.gymkt', 'demo', '192.0.2.51')).status).toBe(200);
  });
});

describe('sign-ins at the same time', () => {
  it('counts concurrent guesses at one name exactly: ten wrong answers, then 429, even from fourteen addresses at once', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 14 }, async (_, i) => {
        const res = await attempt(proxied, 'ekonom.sus', `guess-${i}`, `198.51.100.${i + 1}`);
        await res.body?.cancel();
        return res.status;
      })
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it('lets many people behind one address sign in at once', async () => {
    const people = ['ucitel.gymkt', 'zastupce.gymkt', 'referent.gymkt', 'ucetni.sus', 'technik.kt', 'dispecer'];
    const statuses = await Promise.all(
      people.map(async (name) => {
        const res = await attempt(proxied, name, 'demo', '192.0.2.77');
        await res.body?.cancel();
        return res.status;
      })
    );
    expect(statuses).toEqual(people.map(() => 200));
  });

  it("passes an address's limit by fewer than the sign-ins it may have in flight", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 80 }, async (_, i) => {
        const res = await attempt(proxied, `made-up-${i}`, 'x', '192.0.2.90');
        await res.body?.cancel();
        return res.status;
      })
    );
    const wrong = statuses.filter((s) => s === 401).length;
    expect(wrong).toBeGreaterThanOrEqual(50);
    expect(wrong).toBeLessThan(50 + SIGN_INS_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(80 - wrong);
  });
});

describe('the throttle is shared through CouchDB', () => {
  it('a second server instance sees the failures the first one recorded', async () => {
    const first = new LoginThrottle(nano(direct.couchUrl), { windowMs: 60_000, perUser: 3, perAddress: 100 });
    const second = new LoginThrottle(nano(direct.couchUrl), { windowMs: 60_000, perUser: 3, perAddress: 100 });
    for (let i = 0; i < 3; i++) await first.fail('shared.user', `10.0.0.${i}`);
    expect(await second.retryAfter('shared.user', '10.9.9.9')).toBeGreaterThan(0);
    await second.succeed('shared.user');
    expect(await first.retryAfter('shared.user', '10.9.9.9')).toBe(0);
  });

  it('decides from failure times in the window', () => {
    expect(retryAfterSeconds([1000, 2000, 3000], 3, 60_000, 4000)).toBe(57);
    expect(retryAfterSeconds([1000, 2000, 3000], 3, 60_000, 61_001)).toBe(0);
    expect(retryAfterSeconds([1000, 2000], 3, 60_000, 4000)).toBe(0);
  });
});

describe('concurrent password hashes are bounded', () => {
  it('runs at most the concurrency, seats as many as the wait allows, and refuses beyond it at once', async () => {
    // Before any hash is measured a slot is taken to last 100 ms: two at once, 250 ms of line
    // seats five (5 / 2 × 100 ms), the sixth waiting would be one too many.
    const slots = new HashSlots(2, 250);
    let running = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const work = () =>
      slots.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((r) => release.push(r));
        running--;
      });
    let finished = 0;
    const accepted = Array.from({ length: 7 }, () => work().then(() => finished++));
    const refused = await work().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Busy);
    // Come back when the line has drained: 5 / 2 × 100 ms, rounded up, plus one second.
    expect((refused as Busy).retryAfterSeconds).toBe(2);
    while (finished < 7) {
      await new Promise((r) => setTimeout(r, 5));
      release.splice(0).forEach((r) => r());
    }
    await Promise.all(accepted);
    expect(peak).toBe(2);
    expect(slots.load).toMatchObject({ running: 0, waiting: 0 });
  });

  it('learns how long a hash takes: quick hashes seat a longer line, and first come is served first', async () => {
    const slots = new HashSlots(1, 100);
    for (let i = 0; i < 30; i++) await slots.run(async () => undefined);
    expect(slots.load.hashMs).toBeLessThan(5);
    const order: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const first = slots.run(() => gate);
    const line = Array.from({ length: 20 }, (_, i) => slots.run(async () => void order.push(i)));
    open();
    await Promise.all([first, ...line]);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps one line per key: one at a time within a key, others not held up, a full line refused, idle keys forgotten', async () => {
    // One at a time, 250 ms of line at the first estimate of 100 ms: two wait, the third is refused.
    const lines = new KeyedSlots(1, 250);
    const release: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    const held = (key: string) =>
      lines.run(key, async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return key;
      });
    const a = [held('a'), held('a'), held('a')];
    expect(await held('a').catch((e: unknown) => e)).toBeInstanceOf(Busy);
    // Another key runs at once although 'a' is full.
    const b = held('b');
    await new Promise((r) => setTimeout(r, 5));
    expect(release).toHaveLength(2);
    expect(lines.size).toBe(2);
    while (release.length > 0 || running > 0) {
      release.splice(0).forEach((r) => r());
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await Promise.all([...a, b])).toEqual(['a', 'a', 'a', 'b']);
    expect(peak).toBe(2);
    expect(lines.size).toBe(0);
  });

  it('answers a flood of sign-ins with 503 and Retry-After instead of queueing every hash', async () => {
    const flood = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        attempt(direct, `flood-${i}`, 'x').then(async (r) => ({
          status: r.status,
          retry: r.headers.get('retry-after'),
          body: await r.json()
        }))
      )
    );
    const busy = flood.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0].retry).toMatch(/^\d+$/);
    expect(busy[0].body).toMatchObject({ error: 'unavailable' });
    expect(flood.every((r) => [401, 429, 503].includes(r.status))).toBe(true);
  });
});

describe('the sign-in page told to come back', () => {
  it('gets "busy" with the seconds to wait from the app\'s own sign-in call, not a server error', async () => {
    // The app calls its own origin; here that is the test server.
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) =>
      realFetch(
        typeof input === 'string' && input.startsWith('/') ? `${direct.url}${input}` : input,
        init
      )) as typeof fetch;
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 12 }, (_, i) => appLogin(`crowd-${i}`, 'x').catch((e: unknown) => e))
      );
      const busy = outcomes.filter((e): e is ApiError => e instanceof ApiError && e.code === 'busy');
      expect(busy.length).toBeGreaterThan(0);
      for (const e of busy) expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      const others = outcomes.filter((e) => !busy.includes(e as ApiError));
      expect(
        others.every((e) => e instanceof ApiError && ['invalid-credentials', 'rate-limited'].includes(e.code))
      ).toBe(true);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe('TRUST_PROXY', () => {
  it('is off by default and takes addresses and CIDR ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16,loopback')).toEqual(['10.0.0.1', '192.168.0.0/16', 'loopback']);
    expect(parseTrustProxy('off')).toBe(false);
  });

  it('refuses trusting everyone, hop counts and garbage, with a reason', () => {
    expect(() => parseTrustProxy('true')).toThrow(ConfigError);
    expect(() => parseTrustProxy('2')).toThrow(/hop count/);
    expect(() => parseTrustProxy('proxy.example')).toThrow(/not an address/);
  });
});
