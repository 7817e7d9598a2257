/**
 * The demo's licences, telephony and contract archive. Region-wide agreements (office suite,
 * antivirus, the school information system) and the operators live in the regional office's
 * register (`ku`); each organization holds its seats, number ranges and numbers. A dozen
 * contracts: two expire within 60 days (the antivirus, a school's printer service), one above
 * the register's threshold is not yet published (a school's laptops). Deterministic: every day
 * is an offset from the seeding day.
 */
import { pragueDate } from '../../src/lib/domain/access';
import { addDays, type Day } from '../../src/lib/domain/assets/contracts-calendar';
import type { Contract, PublicationRule } from '../../src/lib/domain/assets/contracts';
import { DEFAULT_PUBLICATION_RULE } from '../../src/lib/domain/assets/contracts';
import { toEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import { assetsDbCollectionOf } from '../../src/lib/domain/assets/contracts-db';
import { licenceId, seatId, type LicenceAgreement, type SeatAssignment } from '../../src/lib/domain/assets/licences';
import {
  parseRange,
  phoneId,
  rangeId,
  type NumberAssignment,
  type NumberRange,
  type PhoneOperator
} from '../../src/lib/domain/assets/telephony';
import type { Clock } from './samples';

type Doc = Record<string, unknown> & { id: string };
type Rec = { id: string; orgId: string; type: string };

export const DEMO_SCHOOLS = ['gym-kt', 'sos-do', 'gym-tc', 'gym-pj', 'sps-ro'];

/** The offset, in days from the seeding day, of every dated thing below. */
function days(now: Date) {
  const today = pragueDate(now);
  return (n: number): Day => addDays(today, n);
}

const O2 = 'operator:60193336';
const TMO = 'operator:64949681';

export function demoContracts(d: (n: number) => Day): Contract[] {
  const c = (over: Partial<Contract> & Pick<Contract, 'id' | 'orgId' | 'number' | 'subject'>): Contract => ({
    type: 'contract',
    parties: [],
    signedOn: d(-400),
    responsible: 'helpdesk',
    ...over
  });
  return [
    c({
      id: 'contract:ku:m365',
      orgId: 'ku',
      number: 'KÚPK/2025/0412',
      subject: 'Microsoft 365 A3 pro organizace kraje (EES)',
      parties: [{ name: 'ALEF NULA, a.s.', ico: '47117087', role: 'supplier' }],
      valueExclVat: 1_850_000,
      signedOn: d(-400),
      effectiveFrom: d(-395),
      expiresOn: d(330),
      noticeMonths: 3,
      publishedOn: d(-390),
      registryId: '24788153',
      licenceIds: [licenceId('ku', 'm365')],
      category: 'licence'
    }),
    c({
      id: 'contract:ku:eset',
      orgId: 'ku',
      number: 'KÚPK/2024/1187',
      subject: 'Antivir ESET PROTECT Entry, obnova na rok',
      parties: [{ name: 'ESET software spol. s r.o.', ico: '26205807', role: 'supplier' }],
      valueExclVat: 186_000,
      signedOn: d(-320),
      effectiveFrom: d(-320),
      expiresOn: d(45),
      noticeMonths: 1,
      publishedOn: d(-300),
      registryId: '23350417',
      licenceIds: [licenceId('ku', 'eset')],
      category: 'licence'
    }),
    c({
      id: 'contract:ku:bakalari',
      orgId: 'ku',
      number: 'KÚPK/2024/0803',
      subject: 'Školní informační systém Bakaláři pro střední školy kraje',
      parties: [{ name: 'BAKALÁŘI software s.r.o.', ico: '28976282', role: 'supplier' }],
      valueExclVat: 240_000,
      signedOn: d(-700),
      expiresOn: d(400),
      noticeMonths: 6,
      noticeFromNextMonth: true,
      publishedOn: d(-690),
      registryId: '21977520',
      licenceIds: [licenceId('ku', 'bakalari')],
      category: 'licence'
    }),
    c({
      id: 'contract:ku:o2',
      orgId: 'ku',
      number: 'KÚPK/2023/0190',
      subject: 'Hlasové a datové služby pevné a mobilní sítě (rámcová smlouva)',
      parties: [{ name: 'O2 Czech Republic a.s.', ico: '60193336', role: 'supplier' }],
      valueExclVat: 2_400_000,
      signedOn: d(-900),
      effectiveFrom: d(-880),
      expiresOn: d(560),
      noticeMonths: 3,
      noticeFromNextMonth: true,
      publishedOn: d(-885),
      registryId: '19204455',
      category: 'telephony'
    }),
    c({
      id: 'contract:ku:tmobile',
      orgId: 'ku',
      number: 'KÚPK/2025/0077',
      subject: 'Datové SIM karty pro terénní pracovníky',
      parties: [{ name: 'T-Mobile Czech Republic a.s.', ico: '64949681', role: 'supplier' }],
      valueExclVat: 380_000,
      signedOn: d(-200),
      noticeMonths: 3,
      publishedOn: d(-185),
      registryId: '25110984',
      category: 'telephony'
    }),
    c({
      id: 'contract:gym-kt:tisk',
      orgId: 'gym-kt',
      number: 'GJVKT/12/2024',
      subject: 'Servis a spotřební materiál tiskáren',
      parties: [{ name: 'Kancelářská technika Klatovy s.r.o.', ico: '25205625', role: 'supplier' }],
      valueExclVat: 48_000,
      signedOn: d(-340),
      expiresOn: d(20),
      noticeDays: 30,
      responsible: 'reditel.gymkt',
      category: 'service'
    }),
    c({
      id: 'contract:gym-kt:notebooky',
      orgId: 'gym-kt',
      number: 'GJVKT/31/2026',
      subject: 'Nákup 30 notebooků pro výuku informatiky',
      parties: [{ name: 'AutoCont a.s.', ico: '04308697', role: 'supplier' }],
      valueExclVat: 540_000,
      signedOn: d(-12),
      effectiveFrom: d(-12),
      responsible: 'reditel.gymkt',
      category: 'hardware'
    }),
    c({
      id: 'contract:sos-do:sit',
      orgId: 'sos-do',
      number: 'SOSDO/2025/14',
      subject: 'Správa školní počítačové sítě',
      parties: [{ name: 'NetService Domažlice s.r.o.', ico: '27963322', role: 'supplier' }],
      valueExclVat: 96_000,
      signedOn: d(-150),
      expiresOn: d(215),
      noticeMonths: 2,
      publishedOn: d(-140),
      registryId: '26301877',
      category: 'service'
    }),
    c({
      id: 'contract:sus:gps',
      orgId: 'sus',
      number: 'SUSPK/2025/221',
      subject: 'GPS jednotky do sypačů a dispečerský software',
      parties: [{ name: 'Princip a.s.', ico: '61775045', role: 'supplier' }],
      valueExclVat: 720_000,
      signedOn: d(-280),
      expiresOn: d(810),
      noticeMonths: 3,
      publishedOn: d(-275),
      registryId: '24011236',
      category: 'hardware'
    }),
    c({
      id: 'contract:zhpk:zalohy',
      orgId: 'zhpk',
      number: 'ZHPK/2025/039',
      subject: 'Zálohování serverů nemocnic (Veeam, úložiště)',
      parties: [{ name: 'Daquas s.r.o.', ico: '25632311', role: 'supplier' }],
      valueExclVat: 310_000,
      signedOn: d(-110),
      expiresOn: d(255),
      noticeMonths: 2,
      publishedOn: d(-100),
      registryId: '26622914',
      category: 'service'
    }),
    c({
      id: 'contract:cnpk:pc',
      orgId: 'cnpk',
      number: 'CNPK/RD/2025/07',
      subject: 'Rámcová dohoda na dodávky osobních počítačů pro organizace kraje',
      parties: [{ name: 'AutoCont a.s.', ico: '04308697', role: 'supplier' }],
      valueExclVat: 4_800_000,
      signedOn: d(-240),
      expiresOn: d(490),
      publishedOn: d(-236),
      registryId: '24490018',
      category: 'hardware'
    }),
    c({
      id: 'contract:gym-tc:wifi',
      orgId: 'gym-tc',
      number: 'GTC/2025/05',
      subject: 'Modernizace bezdrátové sítě školy',
      parties: [{ name: 'ALEF NULA, a.s.', ico: '47117087', role: 'supplier' }],
      valueExclVat: 185_000,
      signedOn: d(-60),
      publishedOn: d(-52),
      registryId: '26718840',
      category: 'hardware'
    })
  ];
}

export function demoAgreements(d: (n: number) => Day): LicenceAgreement[] {
  const a = (
    over: Partial<LicenceAgreement> & Pick<LicenceAgreement, 'id' | 'orgId' | 'product' | 'vendor'>
  ): LicenceAgreement => ({
    type: 'licence',
    metric: 'user',
    seats: 1,
    validFrom: d(-395),
    ...over
  });
  return [
    a({
      id: licenceId('ku', 'm365'),
      orgId: 'ku',
      product: 'Microsoft 365 A3',
      vendor: 'Microsoft',
      metric: 'user',
      seats: 12,
      validTo: d(330),
      scope: 'region',
      contractId: 'contract:ku:m365'
    }),
    a({
      id: licenceId('ku', 'eset'),
      orgId: 'ku',
      product: 'ESET PROTECT Entry',
      vendor: 'ESET',
      metric: 'device',
      seats: 10,
      hardLimit: true,
      validFrom: d(-320),
      validTo: d(45),
      scope: 'region',
      contractId: 'contract:ku:eset'
    }),
    a({
      id: licenceId('ku', 'bakalari'),
      orgId: 'ku',
      product: 'Bakaláři (školní informační systém)',
      vendor: 'BAKALÁŘI software',
      metric: 'site',
      seats: 4,
      hardLimit: true,
      validFrom: d(-700),
      validTo: d(400),
      scope: 'region',
      members: DEMO_SCHOOLS,
      contractId: 'contract:ku:bakalari'
    }),
    a({
      id: licenceId('gym-kt', 'adobe'),
      orgId: 'gym-kt',
      product: 'Adobe Creative Cloud pro školy',
      vendor: 'Adobe',
      metric: 'user',
      seats: 2,
      validFrom: d(-100),
      validTo: d(265)
    })
  ];
}

export function demoSeats(d: (n: number) => Day): SeatAssignment[] {
  const seat = (
    orgId: string,
    agreement: LicenceAgreement['id'],
    product: string,
    holderKind: SeatAssignment['holderKind'],
    holderId: string,
    holderLabel: string,
    since = d(-300)
  ): SeatAssignment => ({
    id: seatId(agreement, holderKind, holderId),
    orgId,
    type: 'licence_seat',
    agreementId: agreement,
    agreementOrg: agreement.split(':')[1],
    holderKind,
    holderId,
    holderLabel,
    product,
    since
  });
  const m365 = licenceId('ku', 'm365');
  const eset = licenceId('ku', 'eset');
  const bak = licenceId('ku', 'bakalari');
  const adobe = licenceId('gym-kt', 'adobe');
  const people: [string, string, string][] = [
    ['ku', 'admin', 'Správce systému'],
    ['ku', 'helpdesk', 'Jana Nováková'],
    ['gym-kt', 'reditel.gymkt', 'Mgr. Karel Šíma'],
    ['gym-kt', 'zastupce.gymkt', 'Mgr. Hana Vlková'],
    ['gym-kt', 'ucetni.gymkt', 'Ing. Marie Králová'],
    ['gym-kt', 'referent.gymkt', 'Jitka Malá'],
    ['gym-kt', 'ucitel.gymkt', 'Mgr. Tomáš Beneš'],
    ['sos-do', 'ucitel.sosdo', 'Bc. Lucie Černá'],
    ['sus', 'dispecer', 'Dispečink zimní údržby'],
    ['sus', 'reditel.sus', 'Ředitel SÚS PK']
  ];
  const devices: [string, string][] = [
    ['ku', 'KU'],
    ['gym-kt', 'GJV'],
    ['sos-do', 'SOSDO'],
    ['sus', 'SUS'],
    ['zhpk', 'ZHPK']
  ];
  return [
    ...people.map(([org, id, label]) => seat(org, m365, 'Microsoft 365 A3', 'person', id, label)),
    ...devices.flatMap(([org, prefix]) =>
      [1, 2].map((n) =>
        seat(
          org,
          eset,
          'ESET PROTECT Entry',
          'asset',
          `${prefix}-PC-${String(n).padStart(3, '0')}`,
          `${prefix}-PC-${String(n).padStart(3, '0')}`
        )
      )
    ),
    ...['gym-kt', 'sos-do', 'gym-tc', 'gym-pj'].map((org) => seat(org, bak, 'Bakaláři', 'site', org, 'Hlavní budova')),
    seat('gym-kt', adobe, 'Adobe Creative Cloud', 'person', 'ucitel.gymkt', 'Mgr. Tomáš Beneš', d(-90)),
    seat('gym-kt', adobe, 'Adobe Creative Cloud', 'person', 'zastupce.gymkt', 'Mgr. Hana Vlková', d(-90)),
    seat('gym-kt', adobe, 'Adobe Creative Cloud', 'person', 'reditel.gymkt', 'Mgr. Karel Šíma', d(-30))
  ];
}

export const DEMO_RANGES: [string, string, string][] = [
  ['ku', '+420 377 195 000–499', O2],
  ['gym-kt', '+420 376 312 000–099', O2],
  ['sos-do', '+420 379 722 000–049', O2],
  ['sus', '+420 377 333 100–199', O2],
  ['sus', '+420 731 450 000–099', TMO],
  ['zhpk', '+420 378 060 000–299', O2]
];

export function demoTelephony(d: (n: number) => Day): {
  operators: PhoneOperator[];
  ranges: NumberRange[];
  numbers: NumberAssignment[];
} {
  const operators: PhoneOperator[] = [
    {
      id: O2,
      orgId: 'ku',
      type: 'phone_operator',
      name: 'O2 Czech Republic a.s.',
      ico: '60193336',
      contractId: 'contract:ku:o2'
    },
    {
      id: TMO,
      orgId: 'ku',
      type: 'phone_operator',
      name: 'T-Mobile Czech Republic a.s.',
      ico: '64949681',
      contractId: 'contract:ku:tmobile'
    }
  ];
  const ranges = DEMO_RANGES.map(([orgId, text, operatorId]): NumberRange => {
    const r = parseRange(text)!;
    return {
      id: rangeId(r.from),
      orgId,
      type: 'phone_range',
      ...r,
      operatorId,
      contractId: operatorId === O2 ? 'contract:ku:o2' : 'contract:ku:tmobile'
    };
  });
  const n = (
    orgId: string,
    number: string,
    holderKind: NumberAssignment['holderKind'],
    holderId: string,
    holderLabel: string,
    since: number
  ): NumberAssignment => ({
    id: phoneId(number),
    orgId,
    type: 'phone_number',
    number,
    holderKind,
    holderId,
    holderLabel,
    since: d(since)
  });
  const numbers = [
    n('ku', '+420377195000', 'person', 'admin', 'Správce systému', -800),
    n('ku', '+420377195111', 'person', 'helpdesk', 'Jana Nováková', -600),
    n('ku', '+420377195112', 'asset', 'KU-TEL-0112', 'Helpdesk – linka 2', -600),
    n('gym-kt', '+420376312001', 'person', 'reditel.gymkt', 'Mgr. Karel Šíma', -900),
    n('gym-kt', '+420376312002', 'person', 'zastupce.gymkt', 'Mgr. Hana Vlková', -900),
    n('gym-kt', '+420376312004', 'person', 'ucetni.gymkt', 'Ing. Marie Králová', -700),
    n('gym-kt', '+420376312005', 'person', 'referent.gymkt', 'Jitka Malá', -500),
    n('gym-kt', '+420376312020', 'person', 'ucitel.gymkt', 'Mgr. Tomáš Beneš', -400),
    n('sos-do', '+420379722015', 'person', 'ucitel.sosdo', 'Bc. Lucie Černá', -300),
    n('sus', '+420377333100', 'person', 'dispecer', 'Dispečink zimní údržby', -1000),
    n('sus', '+420731450001', 'sim', '8942001234567890011', 'SIM sypač KT-01', -200),
    n('sus', '+420731450002', 'sim', '8942001234567890029', 'SIM sypač KT-02', -200),
    n('zhpk', '+420378060000', 'asset', 'ZHPK-TEL-0001', 'Ústředna', -1200)
  ];
  return { operators, ranges, numbers };
}

/** The register-of-contracts rule as the region keeps it (a later change of the act is a new record). */
export const DEMO_PUBLICATION_RULES: (PublicationRule & { id: string })[] = [
  { id: 'contract-rule:2016-07-01', ...DEFAULT_PUBLICATION_RULE }
];

/** Every record above as asset-module documents, per organization. */
export function contractSamples(now: Date, at: Clock): Map<string, { collection: string; docs: Doc[] }[]> {
  const d = days(now);
  const created = at(60 * 24 * 420);
  const audit = { createdBy: 'helpdesk', createdAt: created, updatedBy: 'helpdesk', updatedAt: created };
  const byOrg = new Map<string, Doc[]>();
  const put = (r: Rec) =>
    byOrg.set(r.orgId, [...(byOrg.get(r.orgId) ?? []), { ...toEnvelope(r), ...audit } as unknown as Doc]);
  const tel = demoTelephony(d);
  [
    ...demoContracts(d),
    ...demoAgreements(d),
    ...demoSeats(d),
    ...tel.operators,
    ...tel.ranges,
    ...tel.numbers,
    ...DEMO_PUBLICATION_RULES.map((r) => ({ ...r, orgId: 'ku', type: 'contract_rule' }))
  ].forEach((r) => put(r as Rec));
  // Contracts go to the organization's contract archive, the rest to its register.
  return new Map(
    [...byOrg].map(([org, docs]) => [
      org,
      (['assets', 'contracts'] as const)
        .map((collection) => ({ collection, docs: docs.filter((doc) => assetsDbCollectionOf(doc) === collection) }))
        .filter((group) => group.docs.length > 0)
    ])
  );
}
