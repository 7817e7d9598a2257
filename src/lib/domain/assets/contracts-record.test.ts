import { describe, expect, it } from 'vitest';
import type { Role } from '../access';
import type { WriteContext } from '../write-rules';
import { contractRuleType, contractType } from './contracts-record';
import { fromEnvelope, toEnvelope } from './contracts-envelope';
import { licenceId, seatId } from './licences';
import { licenceSeatType, licenceType } from './licences-record';
import { phoneId, rangeId } from './telephony';
import { phoneNumberType, phoneRangeType } from './telephony-record';

const env = (r: { id: string; orgId: string; type: string } & Record<string, unknown>) => toEnvelope(r);
const licence = (over: Record<string, unknown> = {}) =>
  env({
    id: licenceId('ku', 'office'),
    orgId: 'ku',
    type: 'licence',
    product: 'Office',
    vendor: 'MS',
    metric: 'user',
    seats: 10,
    validFrom: '2026-01-01',
    ...over
  });

describe('record envelope', () => {
  it('keeps a record’s own fields in data and reads them back flat', () => {
    const doc = licence({ validTo: undefined, note: '' });
    expect(doc).toEqual({
      id: 'lic:ku:office',
      orgId: 'ku',
      type: 'licence',
      key: 'Office',
      refId: '',
      state: '',
      day: '',
      data: { product: 'Office', vendor: 'MS', metric: 'user', seats: 10, validFrom: '2026-01-01' }
    });
    expect(fromEnvelope(doc)).toMatchObject({ id: 'lic:ku:office', orgId: 'ku', product: 'Office', seats: 10 });
  });
});

describe('licence records', () => {
  it('accepts an agreement', () => expect(licenceType.validate(licence())).toBeNull());
  it.each([
    [{ seats: 0 }, 'seats'],
    [{ metric: 'cpu' }, 'metric'],
    [{ validTo: '2025-12-31' }, 'validTo is before validFrom'],
    [{ colour: 'red' }, 'no field "colour"'],
    [{ product: undefined }, 'product is required']
  ])('refuses %o', (over, reason) => expect(licenceType.validate(licence(over))).toContain(reason));
  it('needs an id of its organization', () =>
    expect(licenceType.validate({ ...licence(), id: 'lic:gym-kt:office' })).toContain('lic:ku:'));

  it('keeps a region-wide agreement for the central IT department', () => {
    const ctx = (after: Record<string, unknown>) => ({ after, before: null }) as unknown as WriteContext;
    const region = licence({ scope: 'region' });
    expect(licenceType.checkRole!('manager' as Role, ctx(region))).toContain('central IT');
    expect(licenceType.checkRole!('agent' as Role, ctx(region))).toBeNull();
    expect(licenceType.checkRole!('manager' as Role, ctx(licence()))).toBeNull();
  });

  const seat = (over: Record<string, unknown> = {}) =>
    env({
      id: seatId(licenceId('ku', 'office'), 'person', 'ucitel.gymkt'),
      orgId: 'gym-kt',
      type: 'licence_seat',
      agreementId: licenceId('ku', 'office'),
      agreementOrg: 'ku',
      holderKind: 'person',
      holderId: 'ucitel.gymkt',
      since: '2026-02-01',
      ...over
    });
  it('accepts a seat whose id names its agreement and holder', () =>
    expect(licenceSeatType.validate(seat())).toBeNull());
  it.each([
    [{ holderId: 'someone.else' }, "a seat's id must be"],
    [{ agreementOrg: 'gym-kt' }, 'is not one of gym-kt'],
    [{ releasedOn: '2026-01-01' }, 'releasedOn is before since'],
    [{ since: 'yesterday' }, 'since must be a date']
  ])('refuses the seat %o', (over, reason) => expect(licenceSeatType.validate(seat(over))).toContain(reason));
});

describe('telephony records', () => {
  it('accepts a range and a number', () => {
    expect(
      phoneRangeType.validate(
        env({
          id: rangeId('+420377195000'),
          orgId: 'ku',
          type: 'phone_range',
          from: '+420377195000',
          to: '+420377195499'
        })
      )
    ).toBeNull();
    expect(
      phoneNumberType.validate(
        env({
          id: phoneId('+420377195012'),
          orgId: 'ku',
          type: 'phone_number',
          number: '+420377195012',
          holderKind: 'sim',
          holderId: '894200',
          since: '2026-01-01'
        })
      )
    ).toBeNull();
  });
  it.each([
    [{ to: '+4937719549' }, 'same length'],
    [{ to: '+420377194999' }, 'not before it starts'],
    [{ from: '377195000' }, 'from must be a number']
  ])('refuses the range %o', (over, reason) =>
    expect(
      phoneRangeType.validate(
        env({
          id: rangeId('+420377195000'),
          orgId: 'ku',
          type: 'phone_range',
          from: '+420377195000',
          to: '+420377195499',
          ...over
        })
      )
    ).toContain(reason)
  );
  it('refuses a range of more than 100,000 numbers', () =>
    expect(
      phoneRangeType.validate(
        env({
          id: rangeId('+420377000000'),
          orgId: 'ku',
          type: 'phone_range',
          from: '+420377000000',
          to: '+420377999999'
        })
      )
    ).toContain('at most 100,000'));
  it('refuses a number under another number’s id', () =>
    expect(
      phoneNumberType.validate(
        env({ id: phoneId('+420377195013'), orgId: 'ku', type: 'phone_number', number: '+420377195012' })
      )
    ).toContain('must have the id'));
});

describe('contract records', () => {
  const contract = (over: Record<string, unknown> = {}) =>
    env({
      id: 'contract:ku:1',
      orgId: 'ku',
      type: 'contract',
      number: 'S-1',
      subject: 'Servis',
      parties: [{ name: 'O2 Czech Republic a.s.', ico: '60193336', role: 'supplier' }],
      valueExclVat: 100_000,
      signedOn: '2026-11-01',
      responsible: 'helpdesk',
      ...over
    });
  it('accepts a contract', () => expect(contractType.validate(contract())).toBeNull());
  it.each([
    [{ parties: [{ name: 'X', ico: '12345678' }] }, 'IČO 12345678 of X is not valid'],
    [{ parties: [{ name: 'X', vat: 'CZ1' }] }, 'a party has no field "vat"'],
    [{ parties: 'O2' }, 'parties must be a list'],
    [{ expiresOn: '2026-10-01' }, 'expires before it was concluded'],
    [{ responsible: undefined }, 'responsible is required'],
    [{ valueExclVat: -5 }, 'valueExclVat must be a number']
  ])('refuses %o', (over, reason) => expect(contractType.validate(contract(over))).toContain(reason));
  it('needs a contract id', () => expect(contractType.validate({ ...contract(), id: 'c1' })).toContain('contract:'));

  it('keeps the register rule as dated data for the central IT department', () => {
    const rule = env({
      id: 'contract-rule:2016-07-01',
      orgId: 'ku',
      type: 'contract_rule',
      validFrom: '2016-07-01',
      thresholdExclVat: 50_000,
      deadlineDays: 30
    });
    expect(contractRuleType.validate(rule)).toBeNull();
    expect(contractRuleType.validate({ ...rule, id: 'contract-rule:x' })).toContain('contract-rule:2016-07-01');
    expect(contractRuleType.checkRole!('manager', { after: rule } as unknown as WriteContext)).toContain('central IT');
  });
});
