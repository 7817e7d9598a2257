import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';

let server: TestServer;

const health = async () => {
  const res = await fetch(`${server.url}/api/health`);
  return { status: res.status, body: (await res.json()) as { status: string; couch: { ok: boolean; mode: string } } };
};

async function untilHealthy(): Promise<void> {
  await expect.poll(async () => (await health()).status, { timeout: 10_000, interval: 50 }).toBe(200);
}

beforeAll(async () => {
  server = await startTestServer({ demo: 'off' });
});
afterAll(async () => server?.close());

describe('embedded CouchDB supervision', () => {
  it('reports a healthy embedded store', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', couch: { ok: true, mode: 'embedded' } });
  });

  it('listens on loopback only and refuses requests without the admin credentials', async () => {
    const u = new URL(server.couchUrl);
    expect(u.hostname).toBe('127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${u.port}/_all_dbs`);
    expect(res.status).toBe(401);
  });

  it('is restarted after it is killed, on the same URL, and keeps its data', async () => {
    const couch = nano(server.couchUrl);
    await couch.use<Record<string, unknown>>('region_alerts').insert({
      _id: 'keep-me',
      district: 'KT',
      title: 'T',
      severity: 1,
      createdBy: 'admin',
      createdAt: new Date().toISOString(),
      updatedBy: 'admin',
      updatedAt: new Date().toISOString()
    });
    const pid = server.embedded!.pid!;
    process.kill(pid, 'SIGKILL');
    await expect.poll(async () => (await health()).status, { timeout: 5_000, interval: 20 }).toBe(503);
    await untilHealthy();
    expect(server.embedded!.pid).not.toBe(pid);
    expect(await couch.use('region_alerts').get('keep-me')).toHaveProperty('title', 'T');
  });

  it('survives the request known to crash PouchDB Server (_changes?filter=_selector)', async () => {
    const u = new URL(server.couchUrl);
    const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    const restarts = server.embedded!.restarts;
    await fetch(`http://127.0.0.1:${u.port}/region_alerts/_changes?filter=_selector`, {
      headers: { authorization: auth }
    }).catch(() => null);
    await expect.poll(() => server.embedded!.restarts, { timeout: 10_000, interval: 50 }).toBeGreaterThan(restarts);
    await untilHealthy();
  });
});
