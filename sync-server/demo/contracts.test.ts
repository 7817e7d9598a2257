import { describe, expect, it } from 'vitest';
import { pragueDate } from '../../src/lib/domain/access';
import { checkAssetDoc } from '../../src/lib/domain/assets/rules';
import { daysBetween } from '../../src/lib/domain/assets/contracts-calendar';
import { isUnpublished, publicationOf, type Contract } from '../../src/lib/domain/assets/contracts';
import { fromEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import { compliance, type LicenceAgreement, type SeatAssignment } from '../../src/lib/domain/assets/licences';
import { checkNumber, type NumberAssignment, type NumberRange } from '../../src/lib/domain/assets/telephony';
import { contractSamples, DEMO_PUBLICATION_RULES } from './contracts';

const now = new Date('2026-11-30T10:00:00Z');
const today = pragueDate(now);
const docs = [...contractSamples(now, (min) => new Date(now.getTime() - min * 60_000).toISOString())].flatMap(
  ([, cols]) => cols.flatMap((c) => c.docs)
);
const ofType = <T>(type: string) => docs.filter((d) => d.type === type).map((d) => fromEnvelope<T>(d));

describe('demo licences, phones and contracts', () => {
  it('every record passes its type’s validator', () => {
    for (const d of docs) expect(checkAssetDoc(d), d.id).toBeNull();
  });

  it('has a dozen contracts, two ending within 60 days and one unpublished', () => {
    const contracts = ofType<Contract>('contract');
    expect(contracts).toHaveLength(12);
    const ending = contracts.filter(
      (c) => c.expiresOn && daysBetween(today, c.expiresOn) >= 0 && daysBetween(today, c.expiresOn) <= 60
    );
    expect(ending.map((c) => c.number)).toEqual(['KÚPK/2024/1187', 'GJVKT/12/2024']);
    const unpublished = contracts.filter((c) => isUnpublished(publicationOf(c, DEMO_PUBLICATION_RULES, today)));
    expect(unpublished.map((c) => c.number)).toEqual(['GJVKT/31/2026']);
  });

  it('shares the office suite, antivirus and school system across organizations; one agreement is over-assigned', () => {
    const rows = compliance(ofType<LicenceAgreement>('licence'), ofType<SeatAssignment>('licence_seat'), today);
    const by = (p: RegExp) => rows.find((r) => p.test(r.agreement.product))!;
    expect(by(/Microsoft 365/).byOrg.length).toBeGreaterThan(2);
    expect(by(/ESET/)).toMatchObject({ owned: 10, used: 10, expiry: 'ahead' });
    expect(by(/Bakaláři/)).toMatchObject({ owned: 4, used: 4 });
    expect(by(/Adobe/).over).toBe(1);
  });

  it('puts every number inside its organization’s ranges', () => {
    const ranges = ofType<NumberRange>('phone_range');
    for (const n of ofType<NumberAssignment>('phone_number'))
      expect(checkNumber(null, n, ranges, today), n.number).toBeNull();
  });
});
