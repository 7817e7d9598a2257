import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORG_COLLECTIONS, orgDb } from '../../src/lib/domain/databases';
import { startTestServer, type TestServer } from '../testing/server';

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
