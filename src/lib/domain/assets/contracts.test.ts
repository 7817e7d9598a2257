import { describe, expect, it } from 'vitest';
import { addMonths, isDay } from './contracts-calendar';
import {
  contractProblems,
  contractReminders,
  DEFAULT_PUBLICATION_RULE,
  filterContracts,
  noticeDeadline,
  publicationOf,
  publicationRuleFromCatalog,
  ruleFor,
  type Contract
} from './contracts';

const today = '2026-11-30';
const rules = [DEFAULT_PUBLICATION_RULE];
const contract = (over: Partial<Contract> = {}): Contract => ({
  id: 'contract:1',
  orgId: 'ku',
  type: 'contract',
  number: 'S-2026/001',
  subject: 'Microsoft 365 pro školy',
  parties: [{ name: 'O2 Czech Republic a.s.', ico: '60193336', role: 'supplier' }],
  valueExclVat: 120_000,
  signedOn: '2026-11-10',
  responsible: 'helpdesk',
  ...over
});

describe('calendar', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-12-31', -3, '2026-09-30'],
    ['2026-03-15', 12, '2027-03-15']
  ])('%s + %i months = %s', (d, n, r) => expect(addMonths(d, n)).toBe(r));
  it('knows real days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('30.11.2026')).toBe(false);
  });
});

describe('register of contracts', () => {
  it.each([
    [{ valueExclVat: 50_000 }, 'not-required'],
    [{ valueExclVat: 50_000.01 }, 'due'],
    [{ valueExclVat: undefined }, 'not-required'],
    [{ publicationExempt: '§ 3(2)(b)' }, 'exempt'],
    [{ publishedOn: '2026-12-10' }, 'published'],
    [{ signedOn: '2026-10-01', publishedOn: '2026-11-02' }, 'published-late'],
    [{ signedOn: '2026-10-01' }, 'overdue']
  ] as const)('%o → %s', (over, state) => expect(publicationOf(contract(over), rules, today).state).toBe(state));

  it('counts the deadline in days from conclusion', () => {
    expect(publicationOf(contract(), rules, today)).toEqual({ state: 'due', deadline: '2026-12-10', daysLeft: 10 });
    expect(publicationOf(contract({ signedOn: '2026-10-30' }), rules, today)).toEqual({
      state: 'overdue',
      deadline: '2026-11-29',
      daysLeft: -1
    });
  });

  it('judges a contract by the rule in force when it was concluded', () => {
    const later = { validFrom: '2026-07-01', thresholdExclVat: 100_000, deadlineDays: 15 };
    expect(ruleFor([DEFAULT_PUBLICATION_RULE, later], '2026-06-30')).toBe(DEFAULT_PUBLICATION_RULE);
    expect(publicationOf(contract({ valueExclVat: 80_000 }), [later, DEFAULT_PUBLICATION_RULE], today).state).toBe(
      'not-required'
    );
    expect(publicationOf(contract(), [DEFAULT_PUBLICATION_RULE, later], today).deadline).toBe('2026-11-25');
  });

  it('reads the rule from a catalog entry', () => {
    expect(
      publicationRuleFromCatalog({
        kind: 'contract-register',
        validFrom: '2016-07-01',
        thresholdExclVat: 50000,
        deadlineDays: 30
      })
    ).toEqual(DEFAULT_PUBLICATION_RULE);
    expect(publicationRuleFromCatalog({ kind: 'sla' })).toBeNull();
    expect(
      publicationRuleFromCatalog({ kind: 'contract-register', validFrom: 'x', thresholdExclVat: 1, deadlineDays: 1 })
    ).toBeNull();
  });
});

describe('notice deadline', () => {
  it.each([
    [{ expiresOn: '2026-12-31', noticeMonths: 3 }, '2026-09-30'],
    [{ expiresOn: '2026-12-31', noticeDays: 30 }, '2026-12-01'],
    [{ expiresOn: '2026-12-31', noticeMonths: 3, noticeFromNextMonth: true }, '2026-09-30'],
    [{ expiresOn: '2026-12-15', noticeMonths: 3, noticeFromNextMonth: true }, '2026-08-31'],
    [{ expiresOn: '2027-02-28', noticeMonths: 2, noticeFromNextMonth: true }, '2026-12-31'],
    [{ expiresOn: '2026-12-31' }, undefined],
    [{ noticeMonths: 3 }, undefined]
  ] as const)('%o → %s', (c, d) => expect(noticeDeadline(c)).toBe(d));
});

describe('contract problems', () => {
  it('accepts a complete contract', () => expect(contractProblems(contract())).toEqual([]));
  it.each([
    ['ico', { parties: [{ name: 'Dodavatel s.r.o.', ico: '60193337' }] }],
    ['ico', { parties: [{ name: 'Dodavatel s.r.o.', ico: '6019333' }] }],
    ['parties', { parties: [] }],
    ['number', { number: ' ' }],
    ['value', { valueExclVat: -1 }],
    ['dates', { signedOn: '2026-13-01' }],
    ['dates', { effectiveFrom: '2026-12-01', expiresOn: '2026-11-30' }],
    ['published', { publishedOn: '2026-11-01' }],
    ['responsible', { responsible: '' }]
  ] as const)('finds %s', (code, over) => {
    expect(contractProblems(contract(over as Partial<Contract>)).map((p) => p.code)).toContain(code);
  });
  it('names the party whose IČO is wrong', () => {
    const [p] = contractProblems(contract({ parties: [{ name: 'A' }, { name: 'B s.r.o.', ico: '12345678' }] }));
    expect(p).toMatchObject({ field: 'parties.1.ico' });
    expect(p.reason).toContain('B s.r.o.');
  });
});

describe('reminders', () => {
  const contracts = [
    contract({ id: 'c-expiring', publishedOn: '2026-11-12', expiresOn: '2027-01-15' }),
    contract({ id: 'c-notice', publishedOn: '2026-11-12', expiresOn: '2027-03-31', noticeMonths: 3 }),
    contract({ id: 'c-far', publishedOn: '2026-11-12', expiresOn: '2028-01-01', noticeMonths: 1 }),
    contract({ id: 'c-gone', publishedOn: '2026-11-12', expiresOn: '2026-11-29' }),
    contract({ id: 'c-unpublished', signedOn: '2026-10-01' }),
    contract({ id: 'c-other', responsible: 'reditel.gymkt', expiresOn: '2026-12-01' })
  ];

  it('reminds the responsible person of expiry, notice deadline and publication, soonest first', () => {
    const r = contractReminders(contracts, { userId: 'helpdesk', today, rules });
    expect(r.map((x) => [x.contractId, x.reason, x.due, x.daysLeft])).toEqual([
      ['c-unpublished', 'contract-publish', '2026-10-31', -30],
      ['c-notice', 'contract-notice', '2026-12-31', 31],
      ['c-expiring', 'contract-expiry', '2027-01-15', 46]
    ]);
  });

  it('uses the contract’s own reminder window', () => {
    const r = contractReminders([contract({ publishedOn: '2026-11-12', expiresOn: '2027-03-01', remindDays: 120 })], {
      userId: 'helpdesk',
      today,
      rules
    });
    expect(r.map((x) => x.reason)).toEqual(['contract-expiry']);
  });

  it('reminds nobody else', () => {
    expect(contractReminders(contracts, { userId: 'ucitel.gymkt', today, rules })).toEqual([]);
  });
});

describe('archive filters', () => {
  const list = [
    contract({ id: 'a', expiresOn: '2026-12-20', publishedOn: '2026-11-11' }),
    contract({
      id: 'b',
      orgId: 'gym-kt',
      number: 'GJV-7',
      subject: 'Údržba sítě',
      parties: [{ name: 'Síťař s.r.o.', ico: '25788001' }],
      valueExclVat: 20_000
    }),
    contract({ id: 'c', expiresOn: '2027-06-30' })
  ];
  it.each([
    [{}, ['a', 'b', 'c']],
    [{ orgId: 'gym-kt' }, ['b']],
    [{ text: 'sitar' }, ['b']],
    [{ text: '25788001' }, ['b']],
    [{ text: 'microsoft skoly' }, ['a', 'c']],
    [{ expiringWithin: 60 }, ['a']],
    [{ unpublished: true }, ['c']],
    [{ responsible: 'nobody' }, []]
  ])('%o → %o', (f, ids) => expect(filterContracts(list, f, today, rules).map((c) => c.id)).toEqual(ids));
});
