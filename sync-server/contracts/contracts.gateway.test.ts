/**
 * Licences, phone numbers and contracts at the gateway, on the demo region: who may write
 * them, seats beyond an agreement (stored beyond a soft limit, refused beyond a hard one, also
 * when two organizations race for the last seat), a number outside its organization's ranges
 * or given to a second holder, overlapping ranges, a contract party's IČO.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pragueDate } from '../../src/lib/domain/access';
import { indexFieldsOf, toEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import { licenceId, seatId, type SeatAssignment } from '../../src/lib/domain/assets/licences';
import { phoneId, rangeId } from '../../src/lib/domain/assets/telephony';
import { client, type Client } from '../gateway/test-support';
import { login, startTestServer, type TestServer } from '../testing/server';

let s: TestServer;
const c: Record<string, Client> = {};
const today = pragueDate(Date.now());

beforeAll(async () => {
  s = await startTestServer();
  for (const u of ['helpdesk', 'reditel.gymkt', 'ucitel.gymkt', 'technik.kt'])
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

describe('contracts', () => {
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

  it('lets the organization’s manager and the central IT department archive a contract', async () => {
    expect(
      (
        await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [
          record('reditel.gymkt', contract('gym-kt', '60193336'))
        ])
      ).body[0]
    ).toMatchObject({ ok: true });
    expect(
      (await c.helpdesk.bulkDocs('org_sos-do_assets', [record('helpdesk', contract('sos-do', '60193336'))])).body[0]
    ).toMatchObject({ ok: true });
  });

  it('refuses a party with an invalid IČO', async () => {
    const { body } = await c['reditel.gymkt'].bulkDocs('org_gym-kt_assets', [
      record('reditel.gymkt', contract('gym-kt', '60193337'))
    ]);
    expect(body[0].reason).toContain('IČO 60193337');
  });

  it('refuses a contract written by a requester', async () => {
    const { status } = await c['ucitel.gymkt'].bulkDocs('org_gym-kt_assets', [
      record('ucitel.gymkt', contract('gym-kt', '64949681'))
    ]);
    expect(status).toBe(403);
  });
});
