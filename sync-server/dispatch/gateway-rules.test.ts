/**
 * The winter module's rules at the real gateway: every refusal of the issue, each with an
 * allowed counterpart, answered per document with a readable reason while the rest of the
 * batch is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptIdFor } from '../../src/lib/domain/dispatch/rules';
import { client, uniqueId, type Client } from '../gateway/test-support';
import { login, startTestServer, type TestServer } from '../testing/server';
import { DEMO_WINTER_SECTIONS } from '../demo/sections';

let s: TestServer;
let crew: Client;
let dispecer: Client;
let izs: Client;
let admin: Client;
const D = 'org_sus_dispatch';
const KT = DEMO_WINTER_SECTIONS.find((x) => x.district === 'KT')!;

const audit = (by: string) => {
  const now = new Date().toISOString();
  return { createdBy: by, createdAt: now, updatedBy: by, updatedAt: now };
};
const report = (by: string, extra: Record<string, unknown> = {}) => ({
  _id: uniqueId('rep'),
  orgId: 'sus',
  entry: 'report',
  district: 'KT',
  reportType: 'black_ice',
  severity: 3,
  sectionId: KT.id,
  lat: KT.path[1][0],
  lon: KT.path[1][1],
  accuracy: 10,
  ...audit(by),
  ...extra
});

beforeAll(async () => {
  s = await startTestServer();
  [crew, dispecer, izs, admin] = await Promise.all(
    ['silnicar.kt', 'dispecer', 'izs', 'admin'].map(async (u) => client(s.url, await login(s.url, u)))
  );
}, 120_000);
afterAll(async () => s?.close());

async function stored(db: string, id: string) {
  const res = await admin.get(`/couch/${db}/${encodeURIComponent(id)}`);
  return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : null;
}

describe('deník entries', () => {
  it('a crew report is stored with the server receipt time; one written as someone else is refused beside it', async () => {
    const good = report('silnicar.kt');
    const forged = report('dispecer');
    const { status, body } = await crew.bulkDocs(D, [forged, good]);
    expect(status).toBe(201);
    expect(body[0]).toMatchObject({ id: forged._id, error: 'forbidden' });
    expect(body[0].reason).toMatch(/createdBy of a new document must be silnicar.kt|own name/);
    expect(body[1].ok).toBe(true);
    expect((await stored(D, good._id))?.receivedAt).toEqual(expect.any(String));
    expect(await stored(D, forged._id)).toBeNull();
  });

  it.each([
    ['coordinates outside the region', { lat: 50.087, lon: 14.421 }, /outside the Plzeň Region/],
    ['a section that does not exist', { sectionId: 'sec-kt-none' }, /does not exist/],
    [
      'a type a crew does not record',
      {
        entry: 'calamity',
        calamity: true,
        reportType: undefined,
        severity: undefined,
        sectionId: undefined,
        lat: undefined,
        lon: undefined,
        accuracy: undefined
      },
      /not a calamity/
    ]
  ])('a crew report with %s is refused', async (_name, extra, reason) => {
    const doc = JSON.parse(JSON.stringify(report('silnicar.kt', extra)));
    const { body } = await crew.bulkDocs(D, [doc]);
    expect(body[0]).toMatchObject({ error: 'forbidden', reason: expect.stringMatching(reason) });
  });

  it('nobody edits or deletes a past entry, the administrator included; a correction is accepted', async () => {
    const doc = report('silnicar.kt');
    const [{ rev }] = (await crew.bulkDocs(D, [doc])).body;
    const edited = { ...doc, _rev: rev, severity: 1 };
    expect((await crew.bulkDocs(D, [edited])).body[0].reason).toMatch(/cannot be changed/);
    expect((await admin.bulkDocs(D, [{ ...edited, updatedBy: 'admin' }])).body[0].reason).toMatch(/cannot be changed/);
    expect((await admin.bulkDocs(D, [{ _id: doc._id, _rev: rev, _deleted: true }])).body[0].reason).toMatch(
      /never deleted/
    );
    const del = await admin.send('DELETE', `/couch/${D}/${doc._id}?rev=${rev}`);
    expect(del.status).toBeGreaterThanOrEqual(400);
    expect((await stored(D, doc._id))?._rev).toBe(rev);
    const correction = {
      _id: uniqueId('cor'),
      orgId: 'sus',
      entry: 'correction',
      district: 'KT',
      refId: doc._id,
      text: 'Jen rozbředlý sníh.',
      ...audit('silnicar.kt')
    };
    expect((await crew.bulkDocs(D, [correction])).body[0].ok).toBe(true);
  });

  it('a crew corrects only its own entries (a correction closes the report on the board); a report and its correction may come together', async () => {
    const correction = (refId: string) => ({
      _id: uniqueId('cor'),
      orgId: 'sus',
      entry: 'correction',
      district: 'KT',
      refId,
      text: 'Vyřešeno.',
      ...audit('silnicar.kt')
    });
    const theirs = report('dispecer');
    expect((await dispecer.bulkDocs(D, [theirs])).body[0].ok).toBe(true);
    const [refused] = (await crew.bulkDocs(D, [correction(theirs._id)])).body;
    expect(refused).toMatchObject({ error: 'forbidden', reason: 'a road crew corrects only its own entries' });
    const [missing] = (await crew.bulkDocs(D, [correction('no-such-entry')])).body;
    expect(missing.reason).toBe('a road crew corrects only its own entries');
    const mine = report('silnicar.kt');
    const together = (await crew.bulkDocs(D, [mine, correction(mine._id)])).body;
    expect(together.map((r) => r.ok)).toEqual([true, true]);
    // The dispatcher corrects anyone's.
    const byDispatcher = { ...correction(theirs._id), ...audit('dispecer') };
    expect((await dispecer.bulkDocs(D, [byDispatcher])).body[0].ok).toBe(true);
  });

  it('the dispatcher assigns a crew and switches calamity mode; the crew may not', async () => {
    const assignment = (by: string) => ({
      _id: uniqueId('as'),
      orgId: 'sus',
      entry: 'assignment',
      district: 'KT',
      sectionId: KT.id,
      crew: 'silnicar.kt',
      ...audit(by)
    });
    expect((await dispecer.bulkDocs(D, [assignment('dispecer')])).body[0].ok).toBe(true);
    expect((await crew.bulkDocs(D, [assignment('silnicar.kt')])).body[0].reason).toMatch(/not a assignment/);
  });
});

describe('alerts and IZS', () => {
  const alert = (by: string) => ({
    _id: uniqueId('alert'),
    district: 'KT',
    title: 'Náledí',
    severity: 3,
    ...audit(by)
  });

  it('only a dispatcher sends alerts', async () => {
    expect((await dispecer.bulkDocs('region_alerts', [alert('dispecer')])).body[0].ok).toBe(true);
    const byCrew = await crew.bulkDocs('region_alerts', [alert('silnicar.kt')]);
    expect(byCrew.status).toBe(403);
    expect(String(byCrew.body.reason)).toMatch(/read-only/);
    expect((await admin.bulkDocs('region_alerts', [alert('admin')])).body[0].reason).toMatch(/only a dispatcher sends/);
  });

  it('IZS reads only what was handed over, and confirms receipt once', async () => {
    const handoff = { _id: uniqueId('ho'), entry: 'handoff', district: 'KT', title: 'Uzavírka', ...audit('dispecer') };
    expect((await dispecer.bulkDocs('region_izs', [handoff])).body[0].ok).toBe(true);
    for (const db of [D, 'org_sus_media', 'org_sus_tickets'])
      expect((await izs.get(`/couch/${db}/_all_docs`)).status).toBe(403);
    const all = (await (await izs.get('/couch/region_izs/_all_docs?include_docs=true')).json()) as {
      rows: { doc: { entry: string } }[];
    };
    expect(all.rows.every((r) => ['handoff', 'receipt'].includes(r.doc.entry))).toBe(true);

    const receipt = { _id: receiptIdFor(handoff._id), entry: 'receipt', handoffId: handoff._id, ...audit('izs') };
    const [first] = (await izs.bulkDocs('region_izs', [receipt])).body;
    expect(first.ok).toBe(true);
    const again = await izs.bulkDocs('region_izs', [
      { ...receipt, _rev: first.rev, updatedAt: new Date(Date.now() + 1000).toISOString() }
    ]);
    expect(again.body[0].reason).toMatch(/already confirmed by izs/);
    // From a second device that never saw the first receipt: refused by the store as well.
    expect((await izs.bulkDocs('region_izs', [{ ...receipt, ...audit('izs') }])).body[0].error).toBeTruthy();
    expect((await stored('region_izs', receipt._id))?._rev).toBe(first.rev);
    const forDispatcher = { _id: receiptIdFor(uniqueId('x')), entry: 'receipt', handoffId: 'x', ...audit('dispecer') };
    expect((await dispecer.bulkDocs('region_izs', [forDispatcher])).body[0].reason).toMatch(/only the rescue system/);
  });
});
