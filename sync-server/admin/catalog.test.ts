/**
 * The catalog through `/api/admin/catalog`: new categories, prices and SLA policies as dated
 * entries (never in the past), contractor districts and road sections, every change audited
 * and in force for the gateway at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pragueDate } from '../../src/lib/domain/access';
import { categoryPrice, type CatalogEntry } from '../../src/lib/domain/sla/policy';
import { validDoc } from '../gateway/test-support';
import { startTestServer, type TestServer } from '../testing/server';
import { signedIn, type AdminApi } from './test-client';

let s: TestServer;
let admin: AdminApi;
const today = () => pragueDate(Date.now());
const entries = async () => (await admin.call<{ entries: CatalogEntry[] }>('GET', '/api/admin/catalog')).body.entries;

beforeAll(async () => {
  s = await startTestServer();
  admin = await signedIn(s.url, 'admin');
}, 120_000);
afterAll(async () => s?.close());

describe('catalog', () => {
  it('adds a category that new tickets may use at once', async () => {
    const res = await admin.call('POST', '/api/admin/catalog/categories', {
      id: 'cat-projector',
      name: 'Projektory',
      nameEn: 'Projectors',
      price: 400,
      onSite: true
    });
    expect(res.status).toBe(201);
    expect(
      (await admin.call('POST', '/api/admin/catalog/categories', { id: 'cat-projector', name: 'x', price: 1 })).status
    ).toBe(409);
    const teacher = await signedIn(s.url, 'ucitel.gymkt');
    // The gateway's catalog follows region_catalog's changes; wait for the reload.
    let rows: { ok?: boolean; reason?: string }[] = [];
    for (let i = 0; i < 50; i++) {
      rows = (
        await teacher.call<typeof rows>('POST', '/couch/org_gym-kt_tickets/_bulk_docs', {
          docs: [validDoc('org_gym-kt_tickets', 'ucitel.gymkt', { category: 'cat-projector' })]
        })
      ).body;
      if (rows[0]?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows[0]).toMatchObject({ ok: true });
  });

  it('renames a category and moves its work on site, keeping its price; the change is in the audit', async () => {
    const before = (await entries()).find((e) => e.id === 'cat-hardware') as CatalogEntry & { onSite?: boolean };
    const res = await admin.call<{ entry: CatalogEntry }>('PUT', '/api/admin/catalog/categories/cat-hardware', {
      name: 'Hardware a periferie',
      nameEn: 'Hardware and peripherals',
      onSite: !before.onSite
    });
    expect(res.status).toBe(200);
    expect(res.body.entry).toMatchObject({ name: 'Hardware a periferie', onSite: !before.onSite, price: before.price });
    const audit = await admin.call<{ entries: { before: { name: string }; after: { name: string } }[] }>(
      'GET',
      '/api/admin/audit?action=catalog.category.edit'
    );
    expect(audit.body.entries[0]).toMatchObject({
      before: { name: before.name },
      after: { name: 'Hardware a periferie' }
    });
    expect((await admin.call('PUT', '/api/admin/catalog/categories/cat-none', { name: 'x' })).status).toBe(404);
  });

  it('changes a price from today on with a new entry and keeps the old one for the past', async () => {
    const res = await admin.call<{ entry: CatalogEntry }>('POST', '/api/admin/catalog/prices', {
      categoryId: 'cat-hardware',
      price: 520,
      validFrom: today()
    });
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({ kind: 'price', categoryId: 'cat-hardware', price: 520 });
    const all = await entries();
    expect(all.find((e) => e.id === 'cat-hardware')?.price).toBe(450);
    expect(categoryPrice(all, 'cat-hardware')).toBe(520);
    expect(categoryPrice(all, 'cat-hardware', '2026-01-15T10:00:00Z')).toBe(450);
  });

  it.each<[string, string, Record<string, unknown>, RegExp]>([
    [
      'a price for a past day',
      '/api/admin/catalog/prices',
      { categoryId: 'cat-hardware', price: 1, validFrom: '2020-01-01' },
      /past days keep/
    ],
    [
      'a price for an unknown category',
      '/api/admin/catalog/prices',
      { categoryId: 'cat-none', price: 1, validFrom: '2099-01-01' },
      /no category/
    ],
    [
      'a negative price',
      '/api/admin/catalog/prices',
      { categoryId: 'cat-hardware', price: -5, validFrom: '2099-01-01' },
      /price must be >= 0/
    ],
    [
      'an SLA policy whose response is longer than its resolution',
      '/api/admin/catalog/sla',
      {
        priority: 'P2',
        name: 'P2',
        responseMinutes: 600,
        resolutionMinutes: 60,
        calendar: 'business',
        penalty: 100,
        validFrom: '2099-01-01'
      },
      /response target cannot be longer/
    ],
    [
      'a contractor who is no user',
      '/api/admin/catalog/contractors',
      { id: 'c-x', name: 'X', userId: 'nikdo', districts: ['RO'] },
      /no user "nikdo"/
    ]
  ])('refuses %s', async (_name, path, body, reason) => {
    const res = await admin.call<{ reason: string }>('POST', path, body);
    expect(res.status).toBe(400);
    expect(res.body.reason).toMatch(reason);
  });

  it('adds an SLA policy from a later day, leaving the current one in force until then', async () => {
    const res = await admin.call<{ entry: CatalogEntry }>('POST', '/api/admin/catalog/sla', {
      priority: 'P2',
      name: 'P2 – vysoká (2099)',
      responseMinutes: 60,
      resolutionMinutes: 240,
      calendar: 'business',
      penalty: 1500,
      validFrom: '2099-01-01'
    });
    expect(res.status).toBe(201);
    expect(res.body.entry.id).toBe('sla-p2-20990101');
    expect(res.body.entry.validFrom).toBe('2098-12-31T23:00:00.000Z');
  });

  it('edits contractor districts and road sections, with the change in the audit', async () => {
    const res = await admin.call('PUT', '/api/admin/catalog/contractors/contractor-technik-kt', {
      name: 'ICT Servis Šumava s.r.o.',
      userId: 'technik.kt',
      districts: ['KT', 'DO', 'PJ']
    });
    expect(res.status).toBe(200);
    const sections = await admin.call<{
      sections: { id: string; name: string; road: string; district: string; order: string }[];
    }>('GET', '/api/admin/sections');
    const first = sections.body.sections[0];
    const order = first.order === 'III' ? 'II' : 'III';
    const section = await admin.call('PUT', `/api/admin/sections/${first.id}`, {
      name: first.name,
      road: first.road,
      district: first.district,
      order
    });
    expect(section.status).toBe(200);
    const bad = await admin.call<{ reason: string }>('PUT', `/api/admin/sections/${first.id}`, {
      name: 'x',
      road: 'I/27',
      district: 'QQ',
      order: 'II'
    });
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toMatch(/district must be one of/);
    const audit = await admin.call<{
      entries: { action: string; before: { order: string }; after: { order: string } }[];
    }>('GET', '/api/admin/audit?action=section.edit');
    expect(audit.body.entries).toHaveLength(1);
    expect(audit.body.entries[0]).toMatchObject({ before: { order: first.order }, after: { order } });
  });

  it('records who changed region data through the gateway, with the version before and after; a refused write records nothing', async () => {
    type Entry = {
      actor: string;
      ip: string;
      action: string;
      target: string;
      before?: { name: string };
      after: { name: string };
    };
    const audit = async (target: string) =>
      (await admin.call<{ entries: Entry[] }>('GET', `/api/admin/audit?action=region.catalog&q=${target}`)).body
        .entries;
    const doc = validDoc('region_catalog', 'admin', { name: 'Kopírky' });
    const id = String(doc._id);
    const created = await admin.call<{ ok?: boolean; rev: string }[]>('POST', '/couch/region_catalog/_bulk_docs', {
      docs: [doc]
    });
    expect(created.body[0]).toMatchObject({ ok: true });
    const edited = await admin.call<{ ok?: boolean }[]>('POST', '/couch/region_catalog/_bulk_docs', {
      docs: [{ ...doc, _rev: created.body[0].rev, name: 'Kopírky a skenery', updatedAt: new Date().toISOString() }]
    });
    expect(edited.body[0]).toMatchObject({ ok: true });
    const entries = await audit(id);
    expect(entries.map((e) => e.action)).toEqual(['region.catalog.edit', 'region.catalog.create']);
    expect(entries[0]).toMatchObject({
      actor: 'admin',
      target: `catalog:${id}`,
      before: { name: 'Kopírky' },
      after: { name: 'Kopírky a skenery' }
    });
    expect(entries[0].ip).toBeTruthy();

    // A teacher may not write the catalog: refused, and the audit has nothing about it.
    const teacher = await signedIn(s.url, 'ucitel.gymkt');
    const refusedDoc = validDoc('region_catalog', 'ucitel.gymkt', { name: 'Podvržená kategorie' });
    const refused = await teacher.call('POST', '/couch/region_catalog/_bulk_docs', { docs: [refusedDoc] });
    expect(refused.status).toBe(403);
    expect(await audit(String(refusedDoc._id))).toEqual([]);
    // Nor can anyone reach the audit log itself through the gateway.
    expect((await admin.call('GET', '/couch/audit/_all_docs')).status).toBeGreaterThanOrEqual(400);
  });

  it("records an administrator's replicated revision (new_edits: false), which CouchDB answers with no row; the same revision again records nothing", async () => {
    type Entry = { action: string; before?: { name: string }; after: { name: string } };
    const doc = validDoc('region_catalog', 'admin', { name: 'Plotry' });
    const id = String(doc._id);
    const audit = async () =>
      (await admin.call<{ entries: Entry[] }>('GET', `/api/admin/audit?action=region.catalog&q=${id}`)).body.entries;
    const created = await admin.call<{ rev: string }[]>('POST', '/couch/region_catalog/_bulk_docs', { docs: [doc] });
    const parent = created.body[0].rev;
    const hash = '0123456789abcdef0123456789abcdef';
    // The stored version carries what the server set (receivedAt), which a revision must keep.
    const base = (await admin.call<Record<string, unknown>>('GET', `/couch/region_catalog/${id}`)).body;
    const imported = {
      ...base,
      name: 'Plotry a řezačky',
      updatedAt: new Date().toISOString(),
      _rev: `2-${hash}`,
      _revisions: { start: 2, ids: [hash, parent.slice(2)] }
    };
    const send = () =>
      admin.call<unknown[]>('POST', '/couch/region_catalog/_bulk_docs', { docs: [imported], new_edits: false });
    const first = await send();
    expect(first.status).toBe(201);
    expect(first.body).toEqual([]);
    const stored = await admin.call<{ _rev: string; name: string }>('GET', `/couch/region_catalog/${id}`);
    expect(stored.body).toMatchObject({ _rev: `2-${hash}`, name: 'Plotry a řezačky' });
    const after = await audit();
    expect(after.map((e) => e.action)).toEqual(['region.catalog.edit', 'region.catalog.create']);
    expect(after[0]).toMatchObject({ before: { name: 'Plotry' }, after: { name: 'Plotry a řezačky' } });

    expect((await send()).status).toBe(201);
    expect(await audit()).toHaveLength(2);
  });

  it('adds an approval rule set from a later day and corrects it before that day; one in force is never changed', async () => {
    const body = {
      name: 'Zákon 231/2025 (upraveno)',
      act: '231/2025 Sb.',
      effectiveFrom: '2099-01-01',
      steps: { order: ['prikazce', 'spravce'], invoice: ['prikazce', 'ucetni'], prislib: ['prikazce', 'spravce'] },
      budgetAccountantCombinable: true
    };
    const created = await admin.call<{ entry: { id: string; approvalRules: { steps: unknown } } }>(
      'POST',
      '/api/admin/catalog/rule-sets',
      body
    );
    expect(created.status).toBe(201);
    const id = created.body.entry.id;
    const steps = { ...body.steps, invoice: ['prikazce', 'spravce', 'ucetni'] };
    const corrected = await admin.call('PUT', `/api/admin/catalog/rule-sets/${id}`, { ...body, steps });
    expect(corrected.status).toBe(200);
    const stored = (await entries()).find((e) => e.id === id) as unknown as { approvalRules: { steps: unknown } };
    expect(stored.approvalRules.steps).toEqual(steps);

    const inForce = await admin.call<{ reason: string }>(
      'PUT',
      '/api/admin/catalog/rule-sets/approval-rules-320-2001',
      body
    );
    expect(inForce.status).toBe(409);
    expect(inForce.body.reason).toMatch(/in force since 2001-01-01/);
    const past = await admin.call<{ reason: string }>('POST', '/api/admin/catalog/rule-sets', {
      ...body,
      effectiveFrom: '2020-01-01',
      steps: { ...body.steps, order: ['prikazce', 'prikazce'] }
    });
    expect(past.status).toBe(400);
    expect(past.body.reason).toMatch(/effectiveFrom must be today or a later day.*steps.order may name each step once/);
    const manager = await signedIn(s.url, 'reditel.gymkt');
    expect((await manager.call('POST', '/api/admin/catalog/rule-sets', body)).status).toBe(403);
    const audit = await admin.call<{ entries: { action: string }[] }>('GET', '/api/admin/audit?action=catalog.rules');
    expect(audit.body.entries.map((e) => e.action)).toEqual(['catalog.rules.edit', 'catalog.rules.create']);
  });

  it('adds the SLA working hours and closure days from a later day; refuses a calendar without working time or from a past day', async () => {
    const body = {
      weekdays: [1, 2, 3, 4, 5],
      opens: 480,
      closes: 960,
      closedDays: ['2099-12-29', '2099-12-28'],
      validFrom: '2099-12-01'
    };
    const res = await admin.call<{ entry: CatalogEntry }>('POST', '/api/admin/catalog/calendars', body);
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({ kind: 'calendar', opens: 480, closedDays: ['2099-12-28', '2099-12-29'] });
    const none = await admin.call<{ reason: string }>('POST', '/api/admin/catalog/calendars', {
      ...body,
      weekdays: [],
      opens: 900,
      closes: 60
    });
    expect(none.status).toBe(400);
    expect(none.body.reason).toMatch(/at least one working day.*opening before closing/);
    expect(
      (await admin.call('POST', '/api/admin/catalog/calendars', { ...body, validFrom: '2020-01-01' })).status
    ).toBe(400);
    const agent = await signedIn(s.url, 'helpdesk');
    expect((await agent.call('POST', '/api/admin/catalog/calendars', body)).status).toBe(403);
  });

  it('adds a contractor for a user and its districts; an id that is taken is refused', async () => {
    const body = { id: 'contractor-rokycany', name: 'Servis Rokycany s.r.o.', userId: 'technik.kt', districts: ['RO'] };
    const res = await admin.call<{ entry: CatalogEntry }>('POST', '/api/admin/catalog/contractors', body);
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({ kind: 'contractor', userId: 'technik.kt', districts: ['RO'] });
    const again = await admin.call<{ reason: string }>('POST', '/api/admin/catalog/contractors', body);
    expect(again.status).toBe(409);
    expect(again.body.reason).toMatch(/is taken/);
  });
});

describe('new road sections', () => {
  // Klatovy → Švihov along II/182, drawn as four vertices, in district KT.
  const path = [
    [49.395, 13.295],
    [49.405, 13.29],
    [49.418, 13.287],
    [49.43, 13.284]
  ];
  const body = {
    id: 'sec-kt-182-klatovy-svihov-new',
    name: 'Klatovy – Švihov (přeložka)',
    roadClass: 'II',
    roadNumber: '182',
    district: 'KT',
    order: 'I',
    path
  };
  const stored = async (id: string) => (await admin.call('GET', `/couch/region_sections/${id}`)).status;

  it('draws a section: stored with the instant it applies from, audited, and a crew reports on it with the next request', async () => {
    const res = await admin.call<{ entry: Record<string, unknown> }>('POST', '/api/admin/sections', body);
    expect(res.status).toBe(201);
    expect(res.body.entry).toMatchObject({
      id: body.id,
      road: 'II/182',
      district: 'KT',
      order: 'I',
      path,
      createdBy: 'admin',
      validFrom: expect.any(String)
    });
    expect(res.body.entry.lengthKm).toBeCloseTo(4, 0);
    const audit = await admin.call<{ entries: { action: string; target: string; after: { road: string } }[] }>(
      'GET',
      `/api/admin/audit?action=section.create&q=${body.id}`
    );
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        action: 'section.create',
        target: `section:${body.id}`,
        after: expect.objectContaining({ road: 'II/182' })
      })
    ]);
    // Every signed-in user reads the sections (the dispatch map); a crew's report on it is accepted at once.
    const crew = await signedIn(s.url, 'silnicar.kt');
    expect((await crew.call('GET', `/couch/region_sections/${body.id}`)).status).toBe(200);
    const at = new Date().toISOString();
    const report = await crew.call<{ ok?: boolean; reason?: string }[]>('POST', '/couch/org_sus_dispatch/_bulk_docs', {
      docs: [
        {
          _id: `rep-new-section-${Date.now()}`,
          orgId: 'sus',
          entry: 'report',
          district: 'KT',
          reportType: 'snow',
          severity: 2,
          sectionId: body.id,
          lat: path[1][0],
          lon: path[1][1],
          accuracy: 10,
          createdBy: 'silnicar.kt',
          createdAt: at,
          updatedBy: 'silnicar.kt',
          updatedAt: at
        }
      ]
    });
    expect(report.body[0]).toMatchObject({ ok: true });
  });

  it.each<[string, Record<string, unknown>, number, RegExp]>([
    ['an id that is taken', {}, 409, /is taken/],
    ['a point outside the region', { path: [path[0], [50.087, 14.421]] }, 400, /point 2 .* outside the Plzeň Region/],
    ['a single point', { path: [path[0]] }, 400, /at least 2 different points/],
    ['an I. class road', { roadClass: 'I', roadNumber: '27' }, 400, /I\. class roads are the state/],
    ['an order that does not exist', { order: 'IV' }, 400, /order of maintenance is I, II or III/],
    ['a path outside its district', { district: 'RO' }, 400, /does not reach district RO/],
    ['an unknown field', { lastTreatedAt: '2026-01-01T00:00:00.000Z' }, 400, /additional/]
  ])('refuses %s with a reason and stores nothing', async (_name, patch, status, reason) => {
    const id = `sec-kt-refused-${status}-${Object.keys(patch).join('-') || 'taken'}`;
    const res = await admin.call<{ reason: string }>('POST', '/api/admin/sections', {
      ...body,
      ...(Object.keys(patch).length ? { id } : {}),
      ...patch
    });
    expect(res.status).toBe(status);
    expect(res.body.reason).toMatch(reason);
    if (Object.keys(patch).length) expect(await stored(id)).toBe(404);
  });

  it('redraws the route of a section already stored: checked as a new one, measured again, the route before and after in the audit', async () => {
    const edit = (path: unknown) =>
      admin.call<{ entry: { path: number[][]; lengthKm: number }; reason: string }>(
        'PUT',
        `/api/admin/sections/${body.id}`,
        { name: body.name, road: 'II/182', district: 'KT', order: 'I', path }
      );
    const longer = [...path, [49.445, 13.28]];
    const res = await edit(longer);
    expect(res.status).toBe(200);
    expect(res.body.entry.path).toEqual(longer);
    expect(res.body.entry.lengthKm).toBeGreaterThan(4);
    const audit = await admin.call<{ entries: { before: { path: number[][] }; after: { path: number[][] } }[] }>(
      'GET',
      `/api/admin/audit?action=section.edit&q=${body.id}`
    );
    expect(audit.body.entries).toEqual([
      expect.objectContaining({
        before: expect.objectContaining({ path }),
        after: expect.objectContaining({ path: longer })
      })
    ]);
    // Refused with the reason a new section gets; the stored route stays as it was.
    const outside = await edit([path[0], [50.087, 14.421]]);
    expect(outside.status).toBe(400);
    expect(outside.body.reason).toMatch(/point 2 .* outside the Plzeň Region/);
    expect((await edit([path[0]])).body.reason).toMatch(/at least 2 different points/);
    const kept = await admin.call<{ path: number[][] }>('GET', `/couch/region_sections/${body.id}`);
    expect(kept.body.path).toEqual(longer);
    const dispatcher = await signedIn(s.url, 'dispecer');
    const refused = await dispatcher.call('PUT', `/api/admin/sections/${body.id}`, {
      name: body.name,
      road: 'II/182',
      district: 'KT',
      order: 'I',
      path
    });
    expect(refused.status).toBe(403);
  });

  it('refuses everyone but the administrator, before anything is stored', async () => {
    const id = 'sec-kt-182-not-by-admin';
    for (const user of ['dispecer', 'helpdesk']) {
      const other = await signedIn(s.url, user);
      const res = await other.call<{ reason: string }>('POST', '/api/admin/sections', { ...body, id });
      expect(res.status).toBe(403);
      expect(res.body.reason).toMatch(/only an administrator/);
    }
    const anonymous = await fetch(`${s.url}/api/admin/sections`, {
      method: 'POST',
      headers: { origin: s.url, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, id })
    });
    expect(anonymous.status).toBe(401);
    expect(await stored(id)).toBe(404);
  });
});
