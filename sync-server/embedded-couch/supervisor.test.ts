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

  it('answers the built-in _changes filters PouchDB Server crashed on, and stays up', async () => {
    const u = new URL(server.couchUrl);
    const auth = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    const base = `http://127.0.0.1:${u.port}/region_alerts`;
    const post = (query: string, body: unknown) =>
      fetch(`${base}/_changes?${query}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body)
      });
    const pid = server.embedded!.pid;
    const restarts = server.embedded!.restarts;
    const couch = nano(server.couchUrl).use<Record<string, unknown>>('region_alerts');
    const at = new Date().toISOString();
    const alert = (id: string, severity: number) => ({
      _id: id,
      district: 'KT',
      title: id,
      severity,
      createdBy: 'admin',
      createdAt: at,
      updatedBy: 'admin',
      updatedAt: at
    });
    await couch.bulk({ docs: [alert('filter-low', 1), alert('filter-high', 3)] });

    // What PouchDB sends when it replicates with a selector, as a normal and a longpoll feed.
    for (const feed of ['normal', 'longpoll']) {
      const res = await post(`filter=_selector&feed=${feed}`, { selector: { severity: { $gte: 3 } } });
      expect(res.status).toBe(200);
      const ids = ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
      expect(ids).toContain('filter-high');
      expect(ids).not.toContain('filter-low');
    }
    const byIds = await post('filter=_doc_ids', { doc_ids: ['filter-low'] });
    expect(((await byIds.json()) as { results: { id: string }[] }).results.map((r) => r.id)).toEqual(['filter-low']);

    // Without a selector (a GET), with an unknown built-in, with a design document that does not exist.
    const noSelector = await fetch(`${base}/_changes?filter=_selector`, { headers: { authorization: auth } });
    expect(noSelector.status).toBe(400);
    expect(await noSelector.json()).toMatchObject({ reason: 'Selector must be specified in POST payload' });
    expect((await post('filter=_design', {})).status).toBe(400);
    expect((await post('filter=missing/filter', {})).status).toBe(404);
    expect((await post('filter=missing/filter&feed=longpoll&since=now', {})).status).toBe(404);

    expect((await health()).status).toBe(200);
    expect(server.embedded!.restarts).toBe(restarts);
    expect(server.embedded!.pid).toBe(pid);
  });
});
