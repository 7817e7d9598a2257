import { describe, expect, it } from 'vitest';
import { checkSeat, compliance, expiryState, seatId, type LicenceAgreement, type SeatAssignment } from './licences';

const today = '2026-11-30';
const agreement = (over: Partial<LicenceAgreement> = {}): LicenceAgreement => ({
  id: 'lic:ku:office',
  orgId: 'ku',
  type: 'licence',
  product: 'Office',
  vendor: 'Microsoft',
  metric: 'user',
  seats: 3,
  validFrom: '2026-01-01',
  validTo: '2027-12-31',
  scope: 'region',
  ...over
});
const seat = (orgId: string, holderId: string, over: Partial<SeatAssignment> = {}): SeatAssignment => ({
  id: seatId(over.agreementId ?? 'lic:ku:office', over.holderKind ?? 'person', holderId),
  orgId,
  type: 'licence_seat',
  agreementId: 'lic:ku:office',
  agreementOrg: 'ku',
  holderKind: 'person',
  holderId,
  since: '2026-02-01',
  ...over
});

describe('compliance', () => {
  it('counts seats used across organizations against seats owned', () => {
    const [row] = compliance([agreement()], [seat('gym-kt', 'a'), seat('sos-do', 'b'), seat('gym-kt', 'c')], today);
    expect(row).toMatchObject({ owned: 3, used: 3, unused: 0, over: 0, misplaced: 0 });
    expect(row.byOrg).toEqual([
      { orgId: 'gym-kt', used: 2 },
      { orgId: 'sos-do', used: 1 }
    ]);
  });

  it('flags over-assigned agreements first and reports unused seats', () => {
    const rows = compliance(
      [agreement({ id: 'lic:ku:av', product: 'Antivirus', seats: 10 }), agreement({ seats: 1 })],
      [
        seat('gym-kt', 'a'),
        seat('sos-do', 'b'),
        seat('gym-kt', 'x', { agreementId: 'lic:ku:av', id: seatId('lic:ku:av', 'person', 'x') })
      ],
      today
    );
    expect(rows.map((r) => [r.agreement.id, r.over, r.unused])).toEqual([
      ['lic:ku:office', 1, 0],
      ['lic:ku:av', 0, 9]
    ]);
  });

  it('counts neither released seats nor seats that start later', () => {
    const [row] = compliance(
      [agreement()],
      [
        seat('gym-kt', 'a', { releasedOn: '2026-11-01' }),
        seat('gym-kt', 'b', { since: '2026-12-05' }),
        seat('gym-kt', 'c', { releasedOn: '2026-12-01' })
      ],
      today
    );
    expect(row.used).toBe(1);
  });

  it('keeps agreements apart by the organization that holds them', () => {
    const local = agreement({ orgId: 'gym-kt', scope: 'org', seats: 5 });
    const rows = compliance([agreement(), local], [seat('gym-kt', 'a', { agreementOrg: 'gym-kt' })], today);
    expect(rows.map((r) => [r.agreement.orgId, r.used])).toEqual([
      ['ku', 0],
      ['gym-kt', 1]
    ]);
  });

  it('marks seats of organizations the agreement does not cover, or of the wrong holder', () => {
    const [row] = compliance(
      [agreement({ members: ['gym-kt'] })],
      [seat('gym-kt', 'a'), seat('sus', 'b'), seat('gym-kt', 'pc', { holderKind: 'asset' })],
      today
    );
    expect(row.misplaced).toBe(2);
  });

  it.each([
    [undefined, 'open-ended'],
    ['2026-11-29', 'expired'],
    ['2026-11-30', 'ahead'],
    ['2027-02-28', 'ahead'],
    ['2027-03-01', 'ok']
  ] as const)('agreement ending %s is %s (90 days ahead)', (validTo, state) =>
    expect(expiryState(validTo, today, 90)).toBe(state)
  );

  it('puts the agreement expiring soonest first among those within limits', () => {
    const rows = compliance(
      [
        agreement({ id: 'lic:ku:late', product: 'A' }),
        agreement({ id: 'lic:ku:soon', product: 'B', validTo: '2026-12-20' })
      ],
      [],
      today
    );
    expect(rows.map((r) => [r.agreement.id, r.daysLeft, r.expiry])).toEqual([
      ['lic:ku:soon', 20, 'ahead'],
      ['lic:ku:late', 396, 'ok']
    ]);
  });
});

describe('checkSeat', () => {
  const others = [seat('gym-kt', 'a'), seat('sos-do', 'b'), seat('gym-kt', 'c')];
  const input = (over: Partial<Parameters<typeof checkSeat>[0]> = {}) => ({
    agreement: agreement(),
    before: null,
    after: seat('sus', 'd'),
    others,
    today,
    ...over
  });

  it('allows a seat within the agreement', () => {
    expect(checkSeat(input({ others: others.slice(1) }))).toEqual({ level: 'ok' });
  });

  it('warns about a seat beyond the agreement', () => {
    expect(checkSeat(input())).toMatchObject({ level: 'warn', code: 'over-assigned' });
  });

  it('refuses a seat beyond an agreement with a hard limit, with the reason', () => {
    const v = checkSeat(input({ agreement: agreement({ hardLimit: true }) }));
    expect(v).toMatchObject({ level: 'refuse', code: 'hard-limit' });
    expect(v.reason).toContain('all 3 seats');
  });

  it('counts a seat reserved from a later day against the limit', () => {
    const v = checkSeat(
      input({
        agreement: agreement({ hardLimit: true }),
        others: [...others.slice(1), seat('gym-kt', 'z', { since: '2027-01-01' })]
      })
    );
    expect(v.level).toBe('refuse');
  });

  it('does not count the seat itself (an edit of a seat that already counts is no new seat)', () => {
    const full = agreement({ hardLimit: true, seats: 3 });
    expect(
      checkSeat(input({ agreement: full, before: others[0], after: { ...others[0], holderLabel: 'renamed' } }))
    ).toEqual({
      level: 'ok'
    });
  });

  it('counts a released seat taken up again as a new seat', () => {
    const released = seat('gym-kt', 'a', { releasedOn: '2026-10-01' });
    const v = checkSeat(
      input({
        agreement: agreement({ hardLimit: true }),
        before: released,
        after: seat('gym-kt', 'a'),
        others: [released, ...others.slice(1), seat('sus', 'q')]
      })
    );
    expect(v.level).toBe('refuse');
  });

  it('always allows giving a seat back', () => {
    const over = agreement({ hardLimit: true, seats: 1 });
    expect(
      checkSeat(input({ agreement: over, before: others[0], after: { ...others[0], releasedOn: today } }))
    ).toEqual({ level: 'ok' });
  });

  it('tells a seat of another organization with the same holder id apart', () => {
    const site = (org: string) =>
      seat(org, 'main', { holderKind: 'site', id: seatId('lic:ku:office', 'site', 'main') });
    const perSite = agreement({ metric: 'site', seats: 1, hardLimit: true });
    expect(checkSeat(input({ agreement: perSite, after: site('sos-do'), others: [site('gym-kt')] })).level).toBe(
      'refuse'
    );
  });

  it.each([
    ['no-agreement', { agreement: null }],
    ['wrong-holder', { after: seat('sus', 'pc-1', { holderKind: 'asset' }) }],
    ['not-covered', { agreement: agreement({ members: ['gym-kt'] }) }],
    ['not-covered', { agreement: agreement({ scope: 'org', orgId: 'gym-kt' }) }],
    ['not-valid', { agreement: agreement({ validTo: '2026-11-01' }), others: [] }],
    ['wrong-id', { after: { ...seat('sus', 'd'), id: 'seat:random' } }]
  ] as const)('refuses %s', (code, over) => {
    expect(checkSeat(input(over as never))).toMatchObject({ level: 'refuse', code });
  });
});
