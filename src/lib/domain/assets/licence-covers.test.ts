import { describe, expect, it } from 'vitest';
import { toEnvelope } from './contracts-envelope';
import { checkAssetDoc } from './rules';
import { coverOf, licenceCoverType, planCovers, withCovers, type CoverRecord } from './licence-covers';
import { fromEnvelope } from './contracts-envelope';
import type { LicenceAgreement } from './licences';

const audit = {
  createdBy: 'helpdesk',
  createdAt: '2026-01-05T08:00:00Z',
  updatedBy: 'helpdesk',
  updatedAt: '2026-01-05T08:00:00Z'
};
const agreement = (slug: string, extra: Partial<LicenceAgreement> = {}) => ({
  ...toEnvelope({
    id: `lic:ku:${slug}`,
    orgId: 'ku',
    type: 'licence',
    product: `Produkt ${slug}`,
    vendor: 'Dodavatel',
    metric: 'user',
    seats: 100,
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
    scope: 'region',
    ...extra
  } satisfies LicenceAgreement),
  ...audit
});

describe('copies of region-wide agreements', () => {
  it('copies an agreement to the organizations it covers only, as a valid record', () => {
    const all = [agreement('m365'), agreement('bakalari', { members: ['gym-kt', 'sos-do'] })];
    const gym = planCovers(all, 'gym-kt', []);
    expect(gym.write.map((d) => d.id)).toEqual(['cover:gym-kt:lic:ku:m365', 'cover:gym-kt:lic:ku:bakalari']);
    expect(planCovers(all, 'sus', []).write.map((d) => d.id)).toEqual(['cover:sus:lic:ku:m365']);
    for (const d of gym.write) expect(checkAssetDoc(d), String(d.id)).toBeNull();
  });

  it('never copies an organization’s own agreement, nor one for the office itself', () => {
    const own = {
      ...agreement('x'),
      ...toEnvelope({
        id: 'lic:gym-kt:x',
        orgId: 'gym-kt',
        type: 'licence',
        product: 'X',
        vendor: 'V',
        metric: 'user',
        seats: 1,
        validFrom: '2026-01-01'
      } satisfies LicenceAgreement)
    };
    expect(planCovers([own], 'sos-do', []).write).toEqual([]);
    expect(planCovers([agreement('m365')], 'ku', []).write).toEqual([]);
  });

  it('writes nothing when the copies are current, rewrites a changed one, removes one no longer covering', () => {
    const m365 = agreement('m365');
    const current = [coverOf(m365, 'gym-kt')];
    expect(planCovers([m365], 'gym-kt', current)).toEqual({ write: [], remove: [] });
    const grown = { ...agreement('m365', { seats: 150 }), updatedAt: '2026-02-01T08:00:00Z' };
    expect(planCovers([grown], 'gym-kt', current).write[0]).toMatchObject({ data: { seats: 150 } });
    const narrowed = agreement('m365', { members: ['sos-do'] });
    expect(planCovers([narrowed], 'gym-kt', current).remove.map((d) => d.id)).toEqual(['cover:gym-kt:lic:ku:m365']);
  });

  it('names the organization in the id: two registers never hold one id, and an old copy is replaced', () => {
    const m365 = agreement('m365');
    const ids = ['gym-kt', 'sos-do'].map((org) => coverOf(m365, org).id);
    expect(new Set(ids).size).toBe(2);
    // A copy under the earlier id (without the organization) is removed and written again.
    const old = { ...coverOf(m365, 'gym-kt'), id: 'cover:lic:ku:m365' };
    const plan = planCovers([m365], 'gym-kt', [old]);
    expect(plan.write.map((d) => d.id)).toEqual(['cover:gym-kt:lic:ku:m365']);
    expect(plan.remove.map((d) => d.id)).toEqual(['cover:lic:ku:m365']);
    // A copy must carry the id of its own organization.
    expect(checkAssetDoc({ ...coverOf(m365, 'gym-kt'), orgId: 'sos-do' })).toMatch(/cover:sos-do:lic:ku:m365/);
  });

  it('is refused to every writer through the gateway, with the reason', () => {
    expect(licenceCoverType.checkRole?.('admin', {} as never)).toMatch(/kept by the server/);
  });

  it('shows a copy as the agreement, read-only, unless the device holds the original', () => {
    const copy = fromEnvelope<CoverRecord>(coverOf(agreement('m365'), 'gym-kt'));
    const manager = withCovers([], [copy]);
    expect(manager.list[0]).toMatchObject({ id: 'lic:ku:m365', orgId: 'ku', seats: 100, scope: 'region' });
    expect([...manager.readOnly]).toEqual(['ku/lic:ku:m365']);
    const original = fromEnvelope<LicenceAgreement>(agreement('m365'));
    const agent = withCovers([original], [copy]);
    expect(agent.list).toHaveLength(1);
    expect(agent.readOnly.size).toBe(0);
  });
});
