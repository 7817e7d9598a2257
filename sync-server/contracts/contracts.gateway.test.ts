/**
 * Licences, phone numbers and contracts at the gateway, on the demo region: who may write
 * them, seats beyond an agreement (stored beyond a soft limit, refused beyond a hard one, also
 * when two organizations race for the last seat), a number outside its organization's ranges
 * or given to a second holder, overlapping ranges, a contract party's IČO; the contract archive
 * in its own database (who reads it, that a requester reads neither a contract nor its scan by
 * any read path) and the start-up move of contracts out of the register.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pragueDate } from '../../src/lib/domain/access';
import { historyEntry } from '../../src/lib/domain/assets/build';
import type { Contract } from '../../src/lib/domain/assets/contracts';
import { fromEnvelope, indexFieldsOf, toEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import { diffRecord } from '../../src/lib/domain/assets/record-history';
import { licenceId, seatId, type SeatAssignment } from '../../src/lib/domain/assets/licences';
import { phoneId, rangeId } from '../../src/lib/domain/assets/telephony';
import { client, type Client } from '../gateway/test-support';
import { CONTRACTS_MARKER, moveContractsOut, moveOrgContracts } from './contracts-migration';
import { COVERS_STATE_ID, LicenceCovers } from './licence-covers';
import { countingCouch } from '../testing/counting-couch';
import { login, startTestServer, type TestServer } from '../testing/server';

let s: TestServer;
const c: Record<string, Client> = {};
const today = pragueDate(Date.now());

beforeAll(async () => {
  s = await startTestServer();
  for (const u of ['helpdesk', 'reditel.gymkt', 'ucitel.gymkt', 'ucetni.gymkt', 'technik.kt'])
    c[u] = client(s.url, await login(s.url, u));
}, 120_000);
afterAll(async () => s?.close());

const audit = (by: string) => {
  const now = new Date().toISOString();
  return { createdBy: by, createdAt: now, updatedBy: by, updatedAt: now };
};
const record = (by: string, r: { id: string; orgId: string; type: string } & object) => {
  const { id, ...env } = toEnvelope(r);
  return { _id: id as string, ...env, ...audit(by) };
};
const seat = (orgId: string, agreement: string, holderKind: SeatAssignment['holderKind'], holderId: string) =>
  ({
    id: seatId(agreement, holderKind, holderId),
    orgId,
    type: 'licence_seat',
    agreementId: agreement,
    agreementOrg: agreement.split(':')[1],
    holderKind,
    holderId,
    since: today
  }) satisfies SeatAssignment;
const bakalari = licenceId('ku', 'bakalari');
/** A stored record with new fields, as a device sends an edit. */
const edited = (stored: Record<string, unknown>, by: string, change: Record<string, unknown>) => {
  const data = Object.fromEntries(
    Object.entries({ ...(stored.data as object), ...change }).filter(([, v]) => v !== undefined)
  );
  return {
    ...stored,
    ...indexFieldsOf(String(stored.type), data),
    data,
    updatedBy: by,
    updatedAt: new Date().toISOString()
  };
};
const read = async (by: Client, db: string, id: string) =>
  (await (await by.get(`/couch/${db}/${encodeURIComponent(id)}`)).json()) as Record<string, unknown>;

describe('licence seats', () => {
  it('stores a seat beyond an agreement without a hard limit (the compliance view warns)', async () => {
    const { body } = await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [
      record('reditel.gymkt', seat('gym-kt', licenceId('gym-kt', 'adobe'), 'person', 'referent.gymkt'))
    ]);
    expect(body[0]).toMatchObject({ ok: true });
  });

  it('refuses a seat beyond an agreement with a hard limit, with the reason', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_sps-ro_assets', [
      record('helpdesk', seat('sps-ro', bakalari, 'site', 'sps-ro'))
    ]);
    expect(body[0].error).toBe('forbidden');
    expect(body[0].reason).toMatch(/all 4 seats .* are assigned/);
  });

  it('takes the seat once one is given back', async () => {
    const held = await read(c.helpdesk, 'org_gym-pj_assets', seatId(bakalari, 'site', 'gym-pj'));
    const released = await c.helpdesk.bulkDocs('org_gym-pj_assets', [edited(held, 'helpdesk', { releasedOn: today })]);
    expect(released.body[0]).toMatchObject({ ok: true });
    const { body } = await c.helpdesk.bulkDocs('org_sps-ro_assets', [
      record('helpdesk', seat('sps-ro', bakalari, 'site', 'sps-ro'))
    ]);
    expect(body[0]).toMatchObject({ ok: true });
  });

  it('gives the last seat to one of two organizations asking at the same moment', async () => {
    // Free one seat, then two schools race for it.
    const held = await read(c.helpdesk, 'org_sps-ro_assets', seatId(bakalari, 'site', 'sps-ro'));
    await c.helpdesk.bulkDocs('org_sps-ro_assets', [edited(held, 'helpdesk', { releasedOn: today })]);
    const pj = await read(c.helpdesk, 'org_gym-pj_assets', seatId(bakalari, 'site', 'gym-pj'));
    const [a, b] = await Promise.all([
      c.helpdesk.bulkDocs('org_sps-ro_assets', [record('helpdesk', seat('sps-ro', bakalari, 'site', 'sps-ro-2'))]),
      c.helpdesk.bulkDocs('org_gym-pj_assets', [edited(pj, 'helpdesk', { releasedOn: undefined })])
    ]);
    expect([a.body[0].ok, b.body[0].ok].filter(Boolean)).toHaveLength(1);
    expect([a.body[0].reason, b.body[0].reason].join(' ')).toMatch(/all 4 seats/);
  });

  it('refuses the same holder given a seat twice (two devices offline), naming the seat it has', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_gym-kt_assets', [
      record('helpdesk', seat('gym-kt', bakalari, 'site', 'gym-kt'))
    ]);
    expect(body[0].reason).toContain('already has a seat of Bakaláři');
  });

  it('refuses a seat of an organization the agreement does not cover', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_sus_assets', [
      record('helpdesk', seat('sus', bakalari, 'site', 'sus'))
    ]);
    expect(body[0].reason).toContain('does not cover sus');
  });

  it("tells a writer nothing of another organization's agreement: one answer for it and for one that does not exist", async () => {
    const director = client(s.url, await login(s.url, 'reditel.sus'));
    const reasons = [];
    for (const agreement of [licenceId('gym-kt', 'adobe'), licenceId('gym-kt', 'nonexistent')])
      for (const kind of ['asset', 'person'] as const) {
        const { body } = await director.bulkDocs('org_sus_assets', [
          record('reditel.sus', seat('sus', agreement, kind, 'SUS-PC-001'))
        ]);
        expect(body[0], `${agreement} ${kind}`).toMatchObject({ error: 'forbidden' });
        reasons.push(String(body[0].reason).replace(agreement, '<id>'));
      }
    expect(new Set(reasons).size).toBe(1);
    expect(reasons[0]).toBe('licence agreement <id> of gym-kt does not exist or does not cover sus');
  });

  it('lets only the central IT department keep a region-wide agreement', async () => {
    const agreement = (orgId: string) => ({
      id: licenceId(orgId, 'zoom'),
      orgId,
      type: 'licence',
      product: 'Zoom',
      vendor: 'Zoom',
      metric: 'user',
      seats: 5,
      validFrom: today,
      scope: 'region'
    });
    const manager = await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [
      record('reditel.gymkt', agreement('gym-kt'))
    ]);
    expect(manager.body[0].reason).toContain('kept by the central IT department');
    const agent = await c.helpdesk.bulkDocs('org_ku_assets', [record('helpdesk', agreement('ku'))]);
    expect(agent.body[0]).toMatchObject({ ok: true });
  });

  it('lets a contractor read the register but not assign a seat', async () => {
    expect((await c['technik.kt'].get('/couch/org_gym-kt_assets/_all_docs?limit=1')).status).toBe(200);
    const { status } = await c['technik.kt'].bulkDocs('org_gym-kt_assets', [
      record('technik.kt', seat('gym-kt', licenceId('gym-kt', 'adobe'), 'person', 'technik.kt'))
    ]);
    expect(status).toBe(403);
  });
});

describe('phone numbers', () => {
  const number = (orgId: string, e164: string, holderId: string, extra: Record<string, unknown> = {}) => ({
    id: phoneId(e164),
    orgId,
    type: 'phone_number',
    number: e164,
    holderKind: 'person',
    holderId,
    holderLabel: holderId,
    since: today,
    ...extra
  });

  it('assigns a free number of the organization’s range', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_ku_assets', [
      record('helpdesk', number('ku', '+420377195300', 'admin'))
    ]);
    expect(body[0]).toMatchObject({ ok: true });
  });

  it('refuses a number outside the organization’s ranges', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_ku_assets', [
      record('helpdesk', number('ku', '+420377196300', 'admin'))
    ]);
    expect(body[0].reason).toContain('outside the number ranges of ku');
  });

  it('refuses a second holder of a number (two devices offline), and takes a reassignment that names the holder', async () => {
    const second = await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [
      record('reditel.gymkt', number('gym-kt', '+420376312020', 'zastupce.gymkt'))
    ]);
    expect(second.body[0].error).toBe('forbidden');
    expect(second.body[0].reason).toContain('already assigned to Mgr. Tomáš Beneš');
    const held = await read(c['reditel.gymkt'], 'org_gym-kt_assets', phoneId('+420376312020'));
    const moved = await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [
      edited(held, 'reditel.gymkt', {
        holderId: 'zastupce.gymkt',
        holderLabel: 'Mgr. Hana Vlková',
        since: today,
        replaces: 'person:ucitel.gymkt'
      })
    ]);
    expect(moved.body[0]).toMatchObject({ ok: true });
  });

  it('refuses a range that overlaps one the organization has', async () => {
    const range = {
      id: rangeId('+420377195400'),
      orgId: 'ku',
      type: 'phone_range',
      from: '+420377195400',
      to: '+420377195599'
    };
    const { body } = await c.helpdesk.bulkDocs('org_ku_assets', [record('helpdesk', range)]);
    expect(body[0].reason).toContain('overlaps the range +420 377 195 000–499');
  });
});

/** A contract as the device writes it (flat; `record` puts its fields in `data`). */
const contract = (orgId: string, ico: string) => ({
  id: `contract:${orgId}:test-${ico}`,
  orgId,
  type: 'contract',
  number: 'T-1',
  subject: 'Test',
  parties: [{ name: 'Dodavatel s.r.o.', ico }],
  valueExclVat: 60_000,
  signedOn: today,
  responsible: 'reditel.gymkt'
});

describe('contracts', () => {
  it('lets the organization’s manager and the central IT department archive a contract', async () => {
    expect(
      (
        await c['reditel.gymkt'].bulkDocs('org_gym-kt_contracts', [
          record('reditel.gymkt', contract('gym-kt', '60193336'))
        ])
      ).body[0]
    ).toMatchObject({ ok: true });
    expect(
      (await c.helpdesk.bulkDocs('org_sos-do_contracts', [record('helpdesk', contract('sos-do', '60193336'))])).body[0]
    ).toMatchObject({ ok: true });
  });

  it('refuses a contract in the asset register, which every employee reads', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_gym-kt_assets', [
      record('helpdesk', { ...contract('gym-kt', '60193336'), id: 'contract:gym-kt:misplaced' })
    ]);
    expect(body[0]).toMatchObject({ error: 'forbidden' });
    expect(body[0].reason).toMatch(/contracts database/);
  });

  it('refuses a register record in the contracts database', async () => {
    const { body } = await c.helpdesk.bulkDocs('org_gym-kt_contracts', [
      record('helpdesk', seat('gym-kt', licenceId('gym-kt', 'adobe'), 'person', 'ucitel.gymkt'))
    ]);
    expect(body[0]).toMatchObject({ error: 'forbidden' });
    expect(body[0].reason).toMatch(/belongs in the asset register/);
  });

  it('refuses a party with an invalid IČO', async () => {
    const { body } = await c['reditel.gymkt'].bulkDocs('org_gym-kt_contracts', [
      record('reditel.gymkt', contract('gym-kt', '60193337'))
    ]);
    expect(body[0].reason).toContain('IČO 60193337');
  });

  it('refuses a contract written by a requester or a contractor: they have no access to the archive', async () => {
    for (const u of ['ucitel.gymkt', 'technik.kt']) {
      const res = await c[u].bulkDocs('org_gym-kt_contracts', [record(u, contract('gym-kt', '64949681'))]);
      expect(res.status, u).toBe(403);
    }
  });

  it('lets the accountant read the archive and its scans but not write them', async () => {
    expect((await c['ucetni.gymkt'].get('/couch/org_gym-kt_contracts/contract%3Agym-kt%3Atisk')).status).toBe(200);
    expect((await c['ucetni.gymkt'].get('/couch/org_gym-kt_contractscans/_all_docs')).status).toBe(200);
    const res = await c['ucetni.gymkt'].bulkDocs('org_gym-kt_contracts', [
      record('ucetni.gymkt', contract('gym-kt', '64949681'))
    ]);
    expect(res.status).toBe(403);
  });
});

describe('a requester reads neither a contract nor its scan', () => {
  const scanId = 'm-test-contract-scan';
  const contractId = 'contract:gym-kt:tisk';
  beforeAll(async () => {
    // A scan as the device stores it (media.ts): a document with the file as its attachment.
    const doc = {
      _id: scanId,
      orgId: 'gym-kt',
      fileName: 'smlouva.pdf',
      contentType: 'application/pdf',
      ref: `contracts/${contractId}`,
      ...audit('reditel.gymkt'),
      _attachments: {
        file: { content_type: 'application/pdf', data: Buffer.from('%PDF-1.4 smlouva').toString('base64') }
      }
    };
    const res = await c['reditel.gymkt'].send('PUT', `/couch/org_gym-kt_contractscans/${scanId}`, doc);
    expect(res.status).toBe(201);
  });

  it('the manager reads both (the allowed side)', async () => {
    const stored = await c['reditel.gymkt'].get(`/couch/org_gym-kt_contracts/${encodeURIComponent(contractId)}`);
    expect(stored.status).toBe(200);
    const file = await c['reditel.gymkt'].get(`/couch/org_gym-kt_contractscans/${scanId}/file`);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('smlouva');
  });

  it('is refused by GET, _all_docs, _changes and _bulk_get on both databases', async () => {
    const u = c['ucitel.gymkt'];
    for (const [db, id] of [
      ['org_gym-kt_contracts', contractId],
      ['org_gym-kt_contractscans', scanId]
    ]) {
      const answers = [
        await u.get(`/couch/${db}/${encodeURIComponent(id)}`),
        await u.get(`/couch/${db}/_all_docs?include_docs=true`),
        await u.send('POST', `/couch/${db}/_all_docs`, { keys: [id] }),
        await u.get(`/couch/${db}/_changes?include_docs=true`),
        await u.send('POST', `/couch/${db}/_bulk_get`, { docs: [{ id }] })
      ];
      if (id === scanId) answers.push(await u.get(`/couch/${db}/${id}/file`));
      for (const res of answers) {
        const body = await res.text();
        expect(res.status, `${res.url} ${body}`).toBe(403);
        expect(body).not.toContain('Tisk');
        expect(body).not.toContain('smlouva');
      }
    }
  });

  it('finds no contract in the asset register or the media database it does read', async () => {
    const u = c['ucitel.gymkt'];
    const assets = await (await u.get('/couch/org_gym-kt_assets/_all_docs?include_docs=true&limit=1000')).text();
    // A phone range may name the contract it came with (an id); the contract itself is not here.
    expect(assets).not.toContain('"type":"contract"');
    expect(assets).not.toContain('"id":"contract:');
    const changes = await (await u.get('/couch/org_gym-kt_assets/_changes?include_docs=true&limit=1000')).text();
    expect(changes).not.toContain('"type":"contract"');
    const bulk = await u.send('POST', '/couch/org_gym-kt_assets/_bulk_get', { docs: [{ id: contractId }] });
    expect(bulk.status).toBe(200);
    expect(await bulk.text()).not.toContain('"type":"contract"');
    expect((await u.get(`/couch/org_gym-kt_media/${scanId}`)).status).toBe(404);
  });

  it('is refused the archive through POST /api/changes, and gets the register', async () => {
    const res = await c['ucitel.gymkt'].send('POST', '/api/changes', {
      since: { 'org_gym-kt_contracts': 0, 'org_gym-kt_contractscans': 0, 'org_gym-kt_assets': 0 },
      limit: 1000
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: Record<string, { results: { doc?: { type?: string } }[] }>;
      refused: Record<string, { status: number }>;
    };
    expect(body.refused['org_gym-kt_contracts']?.status).toBe(403);
    expect(body.refused['org_gym-kt_contractscans']?.status).toBe(403);
    expect(body.results['org_gym-kt_contracts']).toBeUndefined();
    expect(body.results['org_gym-kt_assets'].results.length).toBeGreaterThan(0);
    expect(body.results['org_gym-kt_assets'].results.some((r) => r.doc?.type === 'contract')).toBe(false);
  });
});

describe('moving contracts out of the register at start', () => {
  it('moves a contract and its scan with their revisions, deletes them there, and a second run changes nothing', async () => {
    const couch = s.app.couch;
    const legacy = record('helpdesk', {
      ...contract('sus', '60193336'),
      id: 'contract:sus:legacy',
      mediaId: 'm-legacy-scan'
    } as ReturnType<typeof contract>);
    await couch.use('org_sus_assets').insert(legacy as never);
    const stored = (await couch.use('org_sus_assets').get('contract:sus:legacy')) as { _rev: string };
    await couch.use('org_sus_media').insert({
      _id: 'm-legacy-scan',
      orgId: 'sus',
      fileName: 'smlouva.pdf',
      contentType: 'application/pdf',
      ...audit('helpdesk'),
      _attachments: { file: { content_type: 'application/pdf', data: Buffer.from('%PDF legacy').toString('base64') } }
    } as never);

    const first = await moveOrgContracts(couch, 'sus');
    expect(first).toMatchObject({ contracts: 1, scans: 1, done: true });
    const moved = (await couch.use('org_sus_contracts').get('contract:sus:legacy')) as { _rev: string };
    expect(moved._rev).toBe(stored._rev);
    const file = await fetch(`${s.url}/couch/org_sus_contractscans/m-legacy-scan/file`, {
      headers: { cookie: c.helpdesk.cookie }
    });
    expect(await file.text()).toBe('%PDF legacy');
    await expect(couch.use('org_sus_assets').get('contract:sus:legacy')).rejects.toMatchObject({ statusCode: 404 });
    await expect(couch.use('org_sus_media').get('m-legacy-scan')).rejects.toMatchObject({ statusCode: 404 });

    const second = await moveOrgContracts(couch, 'sus');
    expect(second).toMatchObject({ contracts: 0, scans: 0, done: true });
    expect(((await couch.use('org_sus_contracts').get('contract:sus:legacy')) as { _rev: string })._rev).toBe(
      stored._rev
    );
  });

  it('records the region as done once, so a start with everything moved reads one document', async () => {
    const report = await moveContractsOut(s.app.couch, ['sus', 'gym-kt']);
    expect(report).toEqual({ contracts: 0, scans: 0, orgs: [] });
    const marker = (await s.app.couch.use('auth').get(CONTRACTS_MARKER.id)) as unknown as {
      done: Record<string, string>;
    };
    expect(Object.keys(marker.done)).toEqual(expect.arrayContaining(['sus', 'gym-kt', 'ku']));
  });
});

describe('region-wide agreements for the organizations they cover', () => {
  it('the manager reads the read-only copy of each region-wide agreement covering the school', async () => {
    const body = (await (
      await c['reditel.gymkt'].get(
        '/couch/org_gym-kt_assets/_all_docs?startkey="cover:"&endkey="cover:\ufff0"&include_docs=true'
      )
    ).json()) as { rows: { id: string; doc: { data: { agreementOrg: string; seats: number } } }[] };
    expect(body.rows.map((r) => r.id)).toEqual(
      expect.arrayContaining(['cover:gym-kt:lic:ku:m365', 'cover:gym-kt:lic:ku:eset', 'cover:gym-kt:lic:ku:bakalari'])
    );
    expect(body.rows[0].doc.data.agreementOrg).toBe('ku');
  });

  it('gives no copy to an organization the agreement does not cover (the school system is for schools)', async () => {
    const admin = client(s.url, await login(s.url, 'admin'));
    expect((await admin.get('/couch/org_sus_assets/cover%3Asus%3Alic%3Aku%3Abakalari')).status).toBe(404);
    expect((await admin.get('/couch/org_sus_assets/cover%3Asus%3Alic%3Aku%3Am365')).status).toBe(200);
  });

  it('refuses a copy written through the gateway, by the manager and by central IT', async () => {
    const stored = await read(c.helpdesk, 'org_gym-kt_assets', 'cover:gym-kt:lic:ku:m365');
    for (const u of ['reditel.gymkt', 'helpdesk']) {
      const { body } = await c[u].bulkDocs('org_gym-kt_assets', [
        {
          ...stored,
          data: { ...(stored.data as object), seats: 9999 },
          updatedBy: u,
          updatedAt: new Date().toISOString()
        }
      ]);
      expect(body[0].error, u).toBe('forbidden');
      expect(body[0].reason, u).toMatch(/kept by the server/);
    }
  });

  it('follows a change of the agreement in the regional office’s register', async () => {
    const original = await read(c.helpdesk, 'org_ku_assets', 'lic:ku:m365');
    const seats = Number((original.data as { seats: number }).seats) + 5;
    const { body } = await c.helpdesk.bulkDocs('org_ku_assets', [edited(original, 'helpdesk', { seats })]);
    expect(body[0]).toMatchObject({ ok: true });
    await expect
      .poll(
        async () =>
          ((await read(c['reditel.gymkt'], 'org_gym-kt_assets', 'cover:gym-kt:lic:ku:m365')).data as { seats: number })
            .seats,
        {
          timeout: 30_000
        }
      )
      .toBe(seats);
  });
});

describe('bringing the copies in line at start', () => {
  /** A start of the copies, as the change notifier runs it: its requests, and what it wrote. */
  async function start() {
    const { couch: counting, requests, reads } = countingCouch(s.couchUrl);
    const seqs = new Map<string, string>();
    for (const db of await s.app.couch.db.list()) seqs.set(db, String((await s.app.couch.db.get(db)).update_seq));
    const orgIds = s.app.orgs.list().map((o) => o.id);
    const wrote = await new LicenceCovers(counting, () => orgIds, s.app.log).start((db) => seqs.get(db));
    return { reads: reads(), writes: requests.length - reads(), wrote, orgs: orgIds.length };
  }

  const m365Seats = async () =>
    ((await s.app.couch.use('org_ku_assets').get('lic:ku:m365')) as unknown as { data: { seats: number } }).data.seats;
  /** Waits until the running server has brought every copy of the agreement in line. */
  async function copiesFollow() {
    const seats = await m365Seats();
    await expect
      .poll(
        async () => {
          for (const o of s.app.orgs.list()) {
            const copy = await s.app.couch
              .use(`org_${o.id}_assets`)
              .get(`cover:${o.id}:lic:ku:m365`)
              .catch(() => null);
            if (copy && (copy as { data?: { seats?: number } }).data?.seats !== seats) return false;
          }
          return true;
        },
        { timeout: 30_000 }
      )
      .toBe(true);
  }

  it('reads one document when nothing moved since the last start, and writes nothing', async () => {
    await copiesFollow();
    await start(); // the registers written by the tests above are read once more
    expect(await start()).toMatchObject({ reads: 1, writes: 0, wrote: [] });
  });

  it('without the saved state, reads every register twice, writes no copy, and saves the state', async () => {
    const auth = s.app.couch.use('auth');
    await auth.destroy(COVERS_STATE_ID, (await auth.get(COVERS_STATE_ID))._rev);
    const full = await start();
    expect(full).toMatchObject({ reads: 1 + 2 * full.orgs, writes: 1, wrote: ['auth'] });
    expect(await start()).toMatchObject({ reads: 1, writes: 0 });
  });

  it('after a start that kept copies under the earlier id (without the organization), replaces them everywhere', async () => {
    const auth = s.app.couch.use<Record<string, unknown>>('auth');
    const saved = await auth.get(COVERS_STATE_ID);
    const { format: _format, ...earlier } = saved;
    await auth.insert(earlier as never);
    const gym = s.app.couch.use<Record<string, unknown>>('org_gym-kt_assets');
    const current = await gym.get('cover:gym-kt:lic:ku:m365');
    const { _rev: _r, ...copy } = current;
    await gym.insert({ ...copy, _id: 'cover:lic:ku:m365' } as never);
    const full = await start();
    expect(full.wrote).toContain('org_gym-kt_assets');
    expect(await gym.get('cover:lic:ku:m365').catch((e: { statusCode: number }) => e.statusCode)).toBe(404);
    expect((await gym.get('cover:gym-kt:lic:ku:m365'))._rev).toBe(current._rev);
    expect(await start()).toMatchObject({ reads: 1, writes: 0 });
  });

  it('reads only a register that moved, and all copies when a region-wide agreement changed', async () => {
    const stored = await read(c.helpdesk, 'org_sus_assets', 'cover:sus:lic:ku:m365');
    await s.app.couch.use('org_sus_assets').insert({
      _id: 'asset-start-moved',
      type: 'asset',
      key: 'INV-START',
      refId: '',
      day: '',
      orgId: 'sus',
      inventoryNo: 'X-START',
      kind: 'other',
      name: 'Moved the register',
      state: 'in_use',
      ...audit('helpdesk')
    } as never);
    const one = await start();
    // The state, that register's agreements and copies; the state saved with its new sequence.
    expect(one).toMatchObject({ reads: 3, writes: 1, wrote: ['auth'] });
    expect((await read(c.helpdesk, 'org_sus_assets', 'cover:sus:lic:ku:m365'))._rev).toBe(stored._rev);
    const extra = await s.app.couch.use('org_sus_assets').get('asset-start-moved');
    await s.app.couch.use('org_sus_assets').destroy(extra._id, extra._rev);

    const agreement = (await s.app.couch.use('org_ku_assets').get('lic:ku:m365')) as unknown as Record<string, unknown>;
    const seats = Number((agreement.data as { seats: number }).seats) + 1;
    await s.app.couch
      .use('org_ku_assets')
      .insert({ ...agreement, data: { ...(agreement.data as object), seats } } as never);
    await copiesFollow(); // the running server follows the change; this start finds the registers moved
    const all = await start();
    // The state, the agreements of the registers that moved, the copies of every register.
    expect(all).toMatchObject({ writes: 1, wrote: ['auth'] });
    expect(all.reads).toBeGreaterThan(2 + all.orgs);
    expect(all.reads).toBeLessThanOrEqual(1 + 2 * all.orgs);
    expect(await start()).toMatchObject({ reads: 1, writes: 0 });
  });
});

describe('editing a contract keeps its history with it', () => {
  it('takes the edit and its history entry in the archive, and refuses the entry in the register', async () => {
    const stored = await read(c['reditel.gymkt'], 'org_gym-kt_contracts', 'contract:gym-kt:tisk');
    const before = fromEnvelope<Contract>({ ...stored, id: stored._id });
    const after = { ...before, expiresOn: '2030-12-31' };
    const entry = historyEntry(
      after,
      'edited',
      diffRecord(before as never, after as never),
      'reditel.gymkt',
      new Date()
    );
    const { id, ...rest } = entry;
    const edit = edited(stored, 'reditel.gymkt', { expiresOn: '2030-12-31' });
    const { body } = await c['reditel.gymkt'].bulkDocs('org_gym-kt_contracts', [edit, { _id: id, ...rest }]);
    expect(body, JSON.stringify(body)).toMatchObject([{ ok: true }, { ok: true }]);
    const misplaced = historyEntry(after, 'edited', [{ field: 'x', to: '1' }], 'reditel.gymkt', new Date());
    const { id: mid, ...mrest } = misplaced;
    const refused = await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [{ _id: mid, ...mrest }]);
    expect(refused.body[0].reason).toMatch(/contracts database/);
    // A requester reads neither the contract nor what it said before.
    expect((await c['ucitel.gymkt'].get(`/couch/org_gym-kt_contracts/${encodeURIComponent(id)}`)).status).toBe(403);
  });
});
