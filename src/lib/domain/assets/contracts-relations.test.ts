import { describe, expect, it } from 'vitest';
import { checkRelations, recordAccepted, relationsNeeded, type RelationState } from './contracts-relations';
import { toEnvelope } from './contracts-envelope';
import { licenceId, seatId, type LicenceAgreement, type SeatAssignment } from './licences';
import { parseRange, phoneId, rangeId, type NumberRange } from './telephony';

const today = '2026-11-30';
const agreementId = licenceId('ku', 'sis');
const agreement: LicenceAgreement = {
  id: agreementId,
  orgId: 'ku',
  type: 'licence',
  product: 'SIS',
  vendor: 'V',
  metric: 'site',
  seats: 2,
  hardLimit: true,
  validFrom: '2026-01-01',
  scope: 'region'
};
const seat = (orgId: string): SeatAssignment => ({
  id: seatId(agreementId, 'site', orgId),
  orgId,
  type: 'licence_seat',
  agreementId,
  agreementOrg: 'ku',
  holderKind: 'site',
  holderId: orgId,
  since: today
});
const range = (text: string): NumberRange => {
  const r = parseRange(text)!;
  return { id: rangeId(r.from), orgId: 'ku', type: 'phone_range', ...r };
};
const state = (): RelationState => ({
  today,
  agreements: new Map([[`ku/${agreementId}`, agreement]]),
  seats: new Map([[`ku/${agreementId}`, [seat('a')]]]),
  ranges: [range('+420 377 195 000–499')]
});
const doc = <T extends { id: string; orgId: string; type: string }>(r: T) => toEnvelope(r);

describe('relations', () => {
  it('names what a batch needs read', () => {
    expect(relationsNeeded([doc(seat('b')), doc(seat('c')), { type: 'contract' }])).toEqual({
      agreements: [['ku', agreementId]],
      ranges: false
    });
    expect(relationsNeeded([{ type: 'phone_number' }]).ranges).toBe(true);
  });

  it('counts the seats a batch itself adds: the second of two for the last seat is refused', () => {
    const s = state();
    expect(checkRelations({ before: null, after: doc(seat('b')) }, s)).toBeNull();
    recordAccepted(doc(seat('b')), s);
    expect(checkRelations({ before: null, after: doc(seat('c')) }, s)).toContain('all 2 seats');
  });

  it('judges a number against the organization’s ranges and its holder', () => {
    const n = (holderId: string, number = '+420377195010') =>
      doc({
        id: phoneId(number),
        orgId: 'ku',
        type: 'phone_number',
        number,
        holderKind: 'person',
        holderId,
        since: today
      });
    expect(checkRelations({ before: null, after: n('x') }, state())).toBeNull();
    expect(checkRelations({ before: null, after: n('x', '+420377196010') }, state())).toContain('outside');
    expect(checkRelations({ before: n('x'), after: n('y') }, state())).toContain('already assigned');
  });

  it('refuses a range overlapping another, also one added earlier in the batch', () => {
    const s = state();
    const r = range('+420 377 196 000–099');
    expect(checkRelations({ before: null, after: doc(r) }, s)).toBeNull();
    recordAccepted(doc(r), s);
    expect(checkRelations({ before: null, after: doc(range('+420 377 196 050–199')) }, s)).toContain('overlaps');
  });

  it('leaves other records and deletions alone', () => {
    expect(checkRelations({ before: null, after: { type: 'contract' } }, state())).toBeNull();
    expect(
      checkRelations(
        { before: null, after: doc(seat('z')), deleted: true },
        { ...state(), seats: new Map([[`ku/${agreementId}`, [seat('a'), seat('b')]]]) }
      )
    ).toBeNull();
  });
});
