import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_COLLECTIONS, orgDb } from '../../src/lib/domain/databases';
import { startTestServer, type TestServer } from '../testing/server';
import { OrgRegistry } from './org-registry';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

describe('organization registry', () => {
  it('lists the seeded organizations', () => {
    const ids = server.app.orgs.list().map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining(['ku', 'gym-kt', 'sos-do', 'sus', 'cnpk', 'zhpk']));
    expect(server.app.orgs.get('gym-kt')).toMatchObject({ district: 'KT', founder: 'skolstvi', kind: 'school' });
  });

  it('provisions a new organization’s databases without a restart', async () => {
    const couch = nano(server.couchUrl);
    const now = new Date().toISOString();
    await couch.use<Record<string, unknown>>('region_orgs').insert({
      _id: 'zs-nyrsko',
      name: 'Základní škola Nýrsko',
      shortName: 'ZŠ Nýrsko',
      kind: 'school',
      district: 'KT',
      founder: 'skolstvi',
      createdBy: 'admin',
      createdAt: now,
      updatedBy: 'admin',
      updatedAt: now
    });
    await expect.poll(() => server.app.orgs.get('zs-nyrsko'), { timeout: 5_000, interval: 50 }).toBeDefined();
    const dbs = await couch.db.list();
    for (const c of ORG_COLLECTIONS) expect(dbs).toContain(orgDb('zs-nyrsko', c));
    const ddoc = await couch.use(orgDb('zs-nyrsko', 'tickets')).get('_design/rules');
    expect(ddoc).toHaveProperty('validate_doc_update');
  });
});

/** A proxy in front of the store that answers its first `failures` requests 500, as a store in trouble does. */
async function flakyStore(target: string, failures: number): Promise<{ url: string; close(): Promise<void> }> {
  let left = failures;
  const upstream = new URL(target);
  const proxy = http.createServer((req, res) => {
    if (left > 0) {
      left--;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unknown_error', reason: 'the store is in trouble' }));
      return;
    }
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host }
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    req.pipe(out);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const auth = upstream.username ? `${upstream.username}:${upstream.password}@` : '';
  return {
    url: `http://${auth}127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve()))
  };
}

describe('a reload the store fails', () => {
  it('is tried again by itself until the list is current, with no new change needed', async () => {
    const store = await flakyStore(server.couchUrl, 2);
    const registry = new OrgRegistry(nano(store.url), server.app.log, 50);
    try {
      await expect(registry.reload()).rejects.toThrow();
      expect(registry.lastError?.message).toBeTruthy();
      // The first retry fails too (the second 500); the next one, 100 ms later, reads the list.
      await expect.poll(() => registry.list().length, { timeout: 5_000, interval: 20 }).toBeGreaterThan(5);
      expect(registry.lastError).toBeNull();
      expect(registry.get('gym-kt')).toMatchObject({ district: 'KT' });
    } finally {
      registry.close();
      await store.close();
    }
  });
});
