/**
 * Organizations through `/api/admin/orgs` on a real server: who may call it, creating with
 * provisioning, every refusal of bad input, editing, closing (read-only for the admin, gone
 * for the others, writes refused by the gateway with the reason) and the CSV import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { validDoc } from '../gateway/test-support';
import { api, cp1250, signedIn, type AdminApi } from './test-client';

let s: TestServer;
let admin: AdminApi;
let teacher: AdminApi;

const newOrg = (patch: Record<string, unknown> = {}) => ({
  id: 'zs-horazdovice',
  name: 'Základní škola Horažďovice',
  shortName: 'ZŠ Horažďovice',
  ico: '70890366',
  kind: 'school',
  district: 'KT',
  founder: 'skolstvi',
  address: 'Komenského 211, 341 01 Horažďovice',
  sites: [{ id: 'hlavni', name: 'Hlavní budova' }],
  ...patch
});

beforeAll(async () => {
  s = await startTestServer();
  admin = await signedIn(s.url, 'admin');
  teacher = await signedIn(s.url, 'ucitel.gymkt');
}, 120_000);
afterAll(async () => s?.close());

describe('who may administer', () => {
  const routes: [string, string][] = [
    ['GET', '/api/admin/orgs'],
    ['POST', '/api/admin/orgs'],
    ['PUT', '/api/admin/orgs/gym-kt'],
    ['POST', '/api/admin/orgs/gym-kt/close'],
    ['POST', '/api/admin/orgs/import'],
    ['GET', '/api/admin/users'],
    ['POST', '/api/admin/users'],
    ['PUT', '/api/admin/users/ucitel.gymkt'],
    ['POST', '/api/admin/users/ucitel.gymkt/deactivate'],
    ['POST', '/api/admin/users/ucitel.gymkt/reset'],
    ['POST', '/api/admin/users/import'],
    ['GET', '/api/admin/audit'],
    ['GET', '/api/admin/catalog'],
    ['POST', '/api/admin/catalog/prices'],
    ['PUT', '/api/admin/sections/any-section'],
    ['GET', '/api/admin/sections'],
    ['POST', '/api/admin/sections'],
    ['POST', '/api/admin/orgs/gym-kt/reopen'],
    ['GET', '/api/admin/users/ucitel.gymkt'],
    ['POST', '/api/admin/users/ucitel.gymkt/activate'],
    ['POST', '/api/admin/catalog/categories'],
    ['PUT', '/api/admin/catalog/categories/cat-hardware'],
    ['POST', '/api/admin/catalog/sla'],
    ['POST', '/api/admin/catalog/calendars'],
    ['POST', '/api/admin/catalog/rule-sets'],
    ['PUT', '/api/admin/catalog/rule-sets/approval-rules-any'],
    ['POST', '/api/admin/catalog/contractors'],
    ['PUT', '/api/admin/catalog/contractors/contractor-technik-kt']
  ];

  it.each(routes)('%s %s refuses a non-admin (403) and nobody signed in (401)', async (method, path) => {
    const body = method === 'GET' ? undefined : {};
    expect((await teacher.call(method, path, body)).status).toBe(403);
    expect((await api(s.url).call(method, path, body)).status).toBe(401);
  });

  it('refuses a state-changing call from another origin', async () => {
    const res = await admin.call('POST', '/api/admin/orgs', newOrg({ id: 'foreign' }), {
      origin: 'http://evil.example'
    });
    expect(res.status).toBe(403);
  });
});

describe('creating an organization', () => {
  it('creates it, provisions its databases at once and grants them on the next request', async () => {
    const res = await admin.call<{ org: { id: string; ico: string } }>('POST', '/api/admin/orgs', newOrg());
    expect(res.status).toBe(201);
    expect(res.body.org).toMatchObject({ id: 'zs-horazdovice', ico: '70890366', createdBy: 'admin' });
    const dbs = await s.app.couch.db.list();
    expect(dbs).toEqual(expect.arrayContaining(['org_zs-horazdovice_tickets', 'org_zs-horazdovice_media']));
    const me = await admin.call<{ databases: { db: string; write: boolean }[] }>('GET', '/api/me');
    expect(me.body.databases).toContainEqual({ db: 'org_zs-horazdovice_tickets', write: true });
    expect((await admin.call('GET', '/couch/org_zs-horazdovice_tickets')).status).toBe(200);
  });

  it.each<[string, Record<string, unknown>, number, RegExp]>([
    ['a taken id', { id: 'gym-kt' }, 409, /taken/],
    ['a malformed id', { id: 'Gymnázium KT' }, 400, /lowercase letters/],
    ['a wrong IČO check digit', { id: 'zs-x', ico: '70890367' }, 400, /wrong check digit/],
    ['an IČO that is not 8 digits', { id: 'zs-y', ico: '7089' }, 400, /8 digits/],
    ['an unknown kind', { id: 'zs-z', kind: 'zoo' }, 400, /kind must be one of/],
    ['an unknown field', { id: 'zs-w', color: 'red' }, 400, /Invalid request/]
  ])('refuses %s', async (_name, patch, status, reason) => {
    const res = await admin.call<{ reason: string }>('POST', '/api/admin/orgs', newOrg(patch));
    expect(res.status).toBe(status);
    expect(res.body.reason).toMatch(reason);
  });

  it('edits fields, address, sites and the approval flags but never the id, and records before and after', async () => {
    const sites = [
      { id: 'hlavni', name: 'Hlavní budova' },
      { id: 'ms', name: 'Mateřská škola', address: 'Palackého 5, 341 01 Horažďovice' }
    ];
    const res = await admin.call<{ org: Record<string, unknown> }>('PUT', '/api/admin/orgs/zs-horazdovice', {
      ...newOrg(),
      id: undefined,
      name: 'ZŠ a MŠ Horažďovice',
      address: 'Komenského 212, 341 01 Horažďovice',
      sites,
      allowBudgetAccountantSamePerson: true,
      invoicesNeedBudget: true
    });
    expect(res.status).toBe(200);
    expect(res.body.org).toMatchObject({
      id: 'zs-horazdovice',
      name: 'ZŠ a MŠ Horažďovice',
      address: 'Komenského 212, 341 01 Horažďovice',
      sites,
      allowBudgetAccountantSamePerson: true,
      invoicesNeedBudget: true
    });
    // The portal reads the flags from the stored organization, which every device replicates.
    const stored = await admin.call<Record<string, unknown>>('GET', '/couch/region_orgs/zs-horazdovice');
    expect(stored.body).toMatchObject({ invoicesNeedBudget: true, sites });
    // The flags before the change stay in force for what the server received before it.
    expect(stored.body.financeHistory).toEqual([
      { from: '0000-01-01T00:00:00.000Z', allowBudgetAccountantSamePerson: false, invoicesNeedBudget: false },
      { from: expect.stringMatching(/^\d{4}-/), allowBudgetAccountantSamePerson: true, invoicesNeedBudget: true }
    ]);
    const audit = await admin.call<{
      entries: { action: string; before: { name: string }; after: { name: string } }[];
    }>('GET', '/api/admin/audit?action=org.edit');
    expect(audit.body.entries[0]).toMatchObject({
      action: 'org.edit',
      before: { name: 'Základní škola Horažďovice' },
      after: { name: 'ZŠ a MŠ Horažďovice' }
    });
    expect((await admin.call('PUT', '/api/admin/orgs/nope', { ...newOrg(), id: undefined })).status).toBe(404);
  });
});

describe('closing an organization', () => {
  it('keeps its data readable for the admin, refuses every write with the reason, and removes it from other people', async () => {
    const put = await fetch(`${s.url}/couch/org_gym-kt_tickets/_all_docs?limit=1`, {
      headers: { cookie: teacher.cookie }
    });
    expect(put.status).toBe(200);
    expect((await admin.call('POST', '/api/admin/orgs/gym-kt/close')).status).toBe(200);

    expect((await admin.call('GET', '/couch/org_gym-kt_tickets/_all_docs?limit=1')).status).toBe(200);
    const write = await admin.call<{ reason: string }>('POST', '/couch/org_gym-kt_tickets/_bulk_docs', {
      docs: [validDoc('org_gym-kt_tickets', 'admin')]
    });
    expect(write.status).toBe(403);
    expect(write.body.reason).toMatch(/gym-kt is closed/);
    expect((await teacher.call('GET', '/couch/org_gym-kt_tickets/_all_docs?limit=1')).status).toBe(403);
    const me = await teacher.call<{ databases: { db: string }[] }>('GET', '/api/me');
    expect(me.body.databases.some((d) => d.db.startsWith('org_gym-kt_'))).toBe(false);

    const member = await admin.call<{ reason: string }>('POST', '/api/admin/users', {
      username: 'novy.gymkt',
      name: 'Nový Učitel',
      memberships: [{ role: 'requester', org: 'gym-kt' }]
    });
    expect(member.status).toBe(400);
    expect(member.body.reason).toMatch(/closed/);

    expect((await admin.call('POST', '/api/admin/orgs/gym-kt/reopen')).status).toBe(200);
    expect((await teacher.call('GET', '/couch/org_gym-kt_tickets/_all_docs?limit=1')).status).toBe(200);
  });
});

describe('CSV import of organizations', () => {
  const header = 'Kód;Název;Zkratka;IČO;Druh;Okres;Zřizovatel;Adresa;Pracoviště\r\n';

  it('previews, then imports a Windows-1250 file from Excel and provisions every organization', async () => {
    const file = cp1250(
      header.replace('\r\n', ';Faktury přes správce rozpočtu\r\n') +
        'ms-susice;Mateřská škola Sušice;MŠ Sušice;10000020;škola;KT;skolstvi;Americká 123, Sušice;hlavni=Hlavní budova, Americká 123|zahrada=Zahrada;ano\r\n' +
        'dd-stod;Domov pro seniory Stod;DS Stod;10000071;sociální;PJ;socialni;Stod;;\r\n'
    );
    const preview = await admin.csv<{
      dryRun: boolean;
      encoding: string;
      valid: number;
      rows: { id: string; problems: string[] }[];
    }>('/api/admin/orgs/import?dryRun=1', file);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, encoding: 'windows-1250', valid: 2 });
    expect(
      (await admin.call<{ orgs: { id: string }[] }>('GET', '/api/admin/orgs')).body.orgs.some(
        (o) => o.id === 'ms-susice'
      )
    ).toBe(false);

    const done = await admin.csv<{ imported: number }>('/api/admin/orgs/import', file);
    expect(done.status).toBe(200);
    expect(done.body.imported).toBe(2);
    const orgs = (
      await admin.call<{ orgs: { id: string; name: string; sites: unknown[] }[] }>('GET', '/api/admin/orgs')
    ).body.orgs;
    expect(orgs.find((o) => o.id === 'ms-susice')).toMatchObject({
      name: 'Mateřská škola Sušice',
      invoicesNeedBudget: true,
      sites: [
        { id: 'hlavni', name: 'Hlavní budova', address: 'Americká 123' },
        { id: 'zahrada', name: 'Zahrada' }
      ]
    });
    expect((await admin.call('GET', '/couch/org_dd-stod_tickets')).status).toBe(200);
  });

  it('imports nothing when one row is wrong, and says which rows', async () => {
    const file = new TextEncoder().encode(
      header +
        'ss-nepomuk;SŠ Nepomuk;SŠ Nepomuk;10000020;school;PJ;;;\r\nGYM KT;x;x;123;zoo;XX;;;\r\nms-susice;dup;dup;10000020;school;KT;;;\r\n'
    );
    const res = await admin.csv<{ reason: string; rows: { line: number; problems: string[] }[] }>(
      '/api/admin/orgs/import',
      file
    );
    expect(res.status).toBe(422);
    expect(res.body.reason).toMatch(/2 of 3 rows have errors; nothing was imported/);
    expect(res.body.rows[1].line).toBe(3);
    expect(res.body.rows[1].problems.join(' ')).toMatch(/lowercase letters.*8 digits.*kind.*district/);
    expect(res.body.rows[2].problems.join(' ')).toMatch(/taken/);
    expect(
      (await admin.call<{ orgs: { id: string }[] }>('GET', '/api/admin/orgs')).body.orgs.some(
        (o) => o.id === 'ss-nepomuk'
      )
    ).toBe(false);
  });

  it('refuses wrong columns and files that are not text', async () => {
    const cols = await admin.csv<{ reason: string }>(
      '/api/admin/orgs/import',
      new TextEncoder().encode('id;nazev;barva\r\nx;y;z\r\n')
    );
    expect(cols.status).toBe(400);
    expect(cols.body.reason).toMatch(/missing columns: shortName, ico, kind, district; unknown columns: "barva"/);
    const binary = await admin.csv<{ reason: string }>(
      '/api/admin/orgs/import',
      Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0])
    );
    expect(binary.status).toBe(400);
    expect(binary.body.reason).toMatch(/not a text file/);
  });
});
