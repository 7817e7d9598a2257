/**
 * Web Push end to end: a local HTTP server stands in for the browser's push service. The
 * server's request is checked (VAPID JWT signed with the key `/api/push/key` publishes, TTL,
 * Urgency, Topic) and its body decrypted with http_ece back to the alert; each alert reaches
 * each subscription once, whichever way it arrived and however many instances follow it.
 */
import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as ece from 'http_ece';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, uniqueId, type Client } from '../gateway/test-support';
import { login, startTestServer, type TestServer } from '../testing/server';
import { AlertPusher } from './alert-pusher';
import { sendPush } from './send';
import { MAX_SUBSCRIPTIONS_PER_USER, PushStore, subscriptionId } from './store';
import { loadVapidKeys } from './vapid';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let s: TestServer;
let pushService: http.Server;
let origin: string;
const received: Received[] = [];
/** Answers of the push service still trickling (ended by the test that started them). */
const trickling = new Set<http.ServerResponse>();
let crew: Client;
let dispecer: Client;

/** A browser's side of a subscription: its key pair and auth secret. */
function receiver(path: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const authSecret = randomBytes(16).toString('base64url');
  return {
    ecdh,
    authSecret,
    subscription: {
      endpoint: `${origin}${path}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret }
    }
  };
}

const post = (c: Client, body: unknown) => c.send('POST', '/api/push/subscriptions', body, { origin: s.url });

async function waitFor<T>(fn: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const alertDoc = (district: string, title: string) => {
  const now = new Date().toISOString();
  return {
    _id: uniqueId('alert'),
    district,
    title,
    text: 'Připravte sypače.',
    severity: 3,
    createdBy: 'dispecer',
    createdAt: now,
    updatedBy: 'dispecer',
    updatedAt: now
  };
};

function decrypt(r: Received, ecdh: ECDH, authSecret: string) {
  return JSON.parse(
    ece.decrypt(r.body, { version: 'aes128gcm', privateKey: ecdh, authSecret }).toString('utf8')
  ) as Record<string, unknown>;
}

beforeAll(async () => {
  pushService = http.createServer((req, res) => {
    const chunks: Uint8Array[] = [];
    req.on('data', (c: Buffer) => chunks.push(new Uint8Array(c)));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (req.url?.startsWith('/trickle')) {
        // Answers at once, then a byte now and then, never ending: no idle timeout ever fires.
        res.writeHead(201);
        const drip = setInterval(() => res.write('.'), 100);
        trickling.add(res);
        res.on('close', () => {
          clearInterval(drip);
          trickling.delete(res);
        });
        return;
      }
      res.writeHead(req.url?.startsWith('/gone') ? 410 : 201).end();
    });
  });
  await new Promise<void>((r) => pushService.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
  s = await startTestServer({ pushAllowedOrigins: [origin] });
  crew = client(s.url, await login(s.url, 'silnicar.kt'));
  dispecer = client(s.url, await login(s.url, 'dispecer'));
}, 120_000);
afterAll(async () => {
  pushService?.closeAllConnections();
  await s?.close();
  pushService?.close();
});

describe('subscriptions', () => {
  it('the public key is for signed-in users', async () => {
    expect((await fetch(`${s.url}/api/push/key`)).status).toBe(401);
    const { publicKey } = (await (await crew.get('/api/push/key')).json()) as { publicKey: string };
    expect(Buffer.from(publicKey, 'base64url')).toHaveLength(65);
  });

  const good = () => ({
    ...receiver('/x').subscription,
    endpoint: 'https://updates.push.services.mozilla.com/wpush/v2/x'
  });
  it.each([
    ['plain http', { ...good(), endpoint: 'http://push.example.com/abc' }, /https/],
    ['loopback', { ...good(), endpoint: 'https://127.0.0.1/abc' }, /internal address/],
    ['a private network', { ...good(), endpoint: 'https://10.1.2.3/abc' }, /internal address/],
    ['localhost', { ...good(), endpoint: 'https://localhost:8443/abc' }, /internal address/],
    ['IPv6 loopback', { ...good(), endpoint: 'https://[::1]/abc' }, /internal address/],
    ['not a URL', { ...good(), endpoint: 'push me' }, /not a valid URL/],
    ['a short p256dh key', { ...good(), keys: { p256dh: 'AAAA', auth: good().keys.auth } }, /p256dh/],
    ['a missing auth secret', { ...good(), keys: { p256dh: good().keys.p256dh } }, /auth/],
    ['no keys', { endpoint: 'https://push.example.com/abc' }, /keys/]
  ])('an endpoint with %s is refused', async (_name, subscription, reason) => {
    const res = await post(crew, { subscription, districts: ['KT'] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toMatch(reason);
  });

  it('a public https endpoint is accepted; unknown districts are not', async () => {
    const sub = { ...good(), endpoint: 'https://fcm.googleapis.com/fcm/send/abc' };
    expect((await post(crew, { subscription: sub, districts: ['XX'] })).status).toBe(400);
    expect((await post(crew, { subscription: sub, districts: ['DO'] })).status).toBe(201);
    expect(
      (await crew.send('DELETE', '/api/push/subscriptions', { endpoint: sub.endpoint }, { origin: s.url })).status
    ).toBe(200);
    expect(
      (await crew.send('DELETE', '/api/push/subscriptions', { endpoint: sub.endpoint }, { origin: s.url })).status
    ).toBe(404);
  });
});

describe('an alert reaches the push service', () => {
  it('signed, high urgency, short TTL, topic per district, body decrypting to the alert; once', async () => {
    const phone = receiver('/phone-1');
    expect((await post(crew, { subscription: phone.subscription, districts: ['KT', 'DO'] })).status).toBe(201);
    const alert = alertDoc('KT', 'Mrznoucí déšť od 3:00');
    expect((await dispecer.bulkDocs('region_alerts', [alert])).body[0].ok).toBe(true);

    const r = await waitFor(() => received.find((x) => x.path === '/phone-1'));
    expect(r.headers.urgency).toBe('high');
    expect(Number(r.headers.ttl)).toBeGreaterThan(0);
    expect(Number(r.headers.ttl)).toBeLessThanOrEqual(2 * 3600);
    expect(r.headers.topic).toBe('winter-KT');
    expect(r.headers['content-encoding']).toBe('aes128gcm');

    const { publicKey } = (await (await crew.get('/api/push/key')).json()) as { publicKey: string };
    const [, jwt, k] = /^vapid t=([^,]+), k=(.+)$/.exec(String(r.headers.authorization)) ?? [];
    expect(k).toBe(publicKey);
    const [h, p, sig] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; exp: number; sub: string };
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'ES256' });
    expect(claims.aud).toBe(origin);
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
    expect(claims.sub).toMatch(/^mailto:/);
    const raw = Buffer.from(publicKey, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: raw.subarray(1, 33).toString('base64url'),
        y: raw.subarray(33).toString('base64url')
      },
      format: 'jwk'
    });
    expect(
      verify(
        'sha256',
        new TextEncoder().encode(`${h}.${p}`),
        { key, dsaEncoding: 'ieee-p1363' },
        new Uint8Array(Buffer.from(sig, 'base64url'))
      )
    ).toBe(true);

    expect(decrypt(r, phone.ecdh, phone.authSecret)).toMatchObject({
      id: alert._id,
      title: alert.title,
      district: 'KT',
      severity: 3,
      url: expect.stringContaining(alert._id)
    });
  });

  it('also when written straight into CouchDB; never twice, across a restart and a second instance', async () => {
    const phone = receiver('/phone-2');
    await post(crew, { subscription: phone.subscription, districts: ['PJ'] });
    const other = receiver('/phone-other');
    await post(dispecer, { subscription: other.subscription, districts: ['TC'] });
    const alert = alertDoc('PJ', 'Sněhové jazyky u Nepomuku');
    await nano(s.couchUrl).use('region_alerts').insert(alert);
    await waitFor(() => received.find((x) => x.path === '/phone-2'));

    // A second instance, and this one restarted with its checkpoint lost, both read every alert again.
    const store = new PushStore(s.app.couch);
    for (let i = 0; i < 20; i++) {
      const rev = (await store.get('state:alert-pusher'))?._rev;
      if (await store.put({ _id: 'state:alert-pusher', _rev: rev, seq: 0 }).catch(() => null)) break;
    }
    const keys = await loadVapidKeys(s.config);
    const twin = new AlertPusher(s.app.couch, store, keys, s.app.log, { allowedOrigins: [origin] });
    await Promise.all([twin.kick(), twin.kick()]);
    await new Promise((r) => setTimeout(r, 500));
    expect(received.filter((x) => x.path === '/phone-2')).toHaveLength(1);
    expect(received.filter((x) => x.path === '/phone-1')).toHaveLength(1);
    expect(received.filter((x) => x.path === '/phone-other')).toHaveLength(0);
    expect((await store.deliveries(alert._id)).map((d) => d.state)).toEqual(['sent']);
  });

  it('a subscription the push service says is gone (410) is removed', async () => {
    const phone = receiver('/gone-1');
    await post(crew, { subscription: phone.subscription, districts: ['RO'] });
    const store = new PushStore(s.app.couch);
    expect((await store.subscriptions()).some((x) => x.endpoint === phone.subscription.endpoint)).toBe(true);
    await dispecer.bulkDocs('region_alerts', [alertDoc('RO', 'Náledí')]);
    await waitFor(() => received.find((x) => x.path === '/gone-1'));
    const gone = await waitForAsync(
      async () => !(await store.subscriptions()).some((x) => x.endpoint === phone.subscription.endpoint)
    );
    expect(gone).toBe(true);
  });
});

describe('signing out', () => {
  it("drops the device's subscription named with the logout, and nobody else's", async () => {
    const cookie = await login(s.url, 'reditel.sus');
    const director = client(s.url, cookie);
    const left = receiver('/left-behind');
    const kept = receiver('/other-device');
    const crews = receiver('/crew-device');
    await post(director, { subscription: left.subscription, reminders: true });
    await post(director, { subscription: kept.subscription, reminders: true });
    await post(crew, { subscription: crews.subscription, districts: ['KT'] });
    const out = async (endpoint: string) =>
      (await director.send('POST', '/api/auth/logout', { pushEndpoint: endpoint }, { origin: s.url })).status;
    expect(await out(left.subscription.endpoint)).toBe(200);
    const endpoints = (await new PushStore(s.app.couch).subscriptions()).map((x) => x.endpoint);
    expect(endpoints).not.toContain(left.subscription.endpoint);
    expect(endpoints).toContain(kept.subscription.endpoint);
    // Another person's endpoint named with a sign-out stays: the subscription is not the signer's.
    const again = client(s.url, await login(s.url, 'reditel.sus'));
    expect((await again.send('POST', '/api/auth/logout', { pushEndpoint: crews.subscription.endpoint })).status).toBe(
      200
    );
    expect((await new PushStore(s.app.couch).subscriptions()).map((x) => x.endpoint)).toContain(
      crews.subscription.endpoint
    );
  });
});

describe('one subscription cannot hold back the others', () => {
  it('a push service that trickles its answer is given up on at the deadline', async () => {
    const keys = await loadVapidKeys(s.config);
    const phone = receiver('/trickle-direct');
    const started = Date.now();
    await expect(
      sendPush(phone.subscription, '{}', keys, {
        ttlSeconds: 60,
        topic: 't',
        allowedOrigins: [origin],
        timeoutMs: 5000,
        deadlineMs: 600
      })
    ).rejects.toThrow(/did not finish its answer in time/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("an alert reaches a device while another device's push service is still trickling", async () => {
    // The trickling one is named so that it comes first in the order subscriptions are read.
    const fast = receiver('/fast-ps');
    let n = 0;
    while (subscriptionId(`${origin}/trickle-${n}`) > subscriptionId(fast.subscription.endpoint)) n++;
    const slow = receiver(`/trickle-${n}`);
    await post(crew, { subscription: slow.subscription, districts: ['PS'] });
    await post(dispecer, { subscription: fast.subscription, districts: ['PS'] });
    await dispecer.bulkDocs('region_alerts', [alertDoc('PS', 'Sníh na Tachovsku')]);
    const r = await waitFor(() => received.find((x) => x.path === '/fast-ps'), 5000);
    expect(r).toBeDefined();
    expect(trickling.size).toBe(1); // the other answer was still coming
    for (const res of trickling) res.end();
  });

  it("a deactivated person's devices get no more alerts", async () => {
    const gone = receiver('/deactivated-1');
    const kept = receiver('/kept-1');
    const teacher = client(s.url, await login(s.url, 'ucitel.sosdo'));
    expect((await post(teacher, { subscription: gone.subscription, districts: ['DO'] })).status).toBe(201);
    await post(dispecer, { subscription: kept.subscription, districts: ['DO'] });
    const admin = client(s.url, await login(s.url, 'admin'));
    expect((await admin.send('POST', '/api/admin/users/ucitel.sosdo/deactivate')).status).toBe(200);
    await dispecer.bulkDocs('region_alerts', [alertDoc('DO', 'Náledí u Domažlic')]);
    await waitFor(() => received.find((x) => x.path === '/kept-1'));
    await new Promise((r) => setTimeout(r, 300));
    expect(received.some((x) => x.path === '/deactivated-1')).toBe(false);
  });

  it(`one person keeps at most ${MAX_SUBSCRIPTIONS_PER_USER} devices: a new one replaces the one not renewed for longest`, async () => {
    const izs = client(s.url, await login(s.url, 'izs'));
    const endpoints: string[] = [];
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_USER + 2; i++) {
      const device = receiver(`/izs-device-${i}`);
      endpoints.push(device.subscription.endpoint);
      expect((await post(izs, { subscription: device.subscription, districts: ['PM'] })).status).toBe(201);
      await new Promise((r) => setTimeout(r, 5));
    }
    const mine = (await new PushStore(s.app.couch).subscriptions()).filter((x) => x.userId === 'izs');
    expect(mine).toHaveLength(MAX_SUBSCRIPTIONS_PER_USER);
    expect(mine.map((x) => x.endpoint).sort()).toEqual(endpoints.slice(2).sort());
  });
});

async function waitForAsync(fn: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
