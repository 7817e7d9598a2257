/** The demo Plzeň Region: organizations, users and the people directory. */
import type { Membership } from '../../src/lib/domain/access';

export interface DemoOrg {
  id: string;
  name: string;
  shortName: string;
  kind: 'office' | 'school' | 'roads' | 'health' | 'social' | 'culture' | 'purchasing' | 'other';
  district: 'PM' | 'PS' | 'PJ' | 'KT' | 'DO' | 'TC' | 'RO';
  founder?: string;
  address: string;
  lat: number;
  lon: number;
  allowBudgetAccountantSamePerson?: boolean;
  invoicesNeedBudget?: boolean;
}

export const DEMO_ORGS: DemoOrg[] = [
  {
    id: 'ku',
    name: 'Krajský úřad Plzeňského kraje',
    shortName: 'KÚPK',
    kind: 'office',
    district: 'PM',
    address: 'Škroupova 1760/18, 301 00 Plzeň',
    lat: 49.7437,
    lon: 13.3736
  },
  {
    id: 'gym-kt',
    name: 'Gymnázium Jaroslava Vrchlického, Klatovy',
    shortName: 'GJV Klatovy',
    kind: 'school',
    district: 'KT',
    founder: 'skolstvi',
    address: 'Národních mučedníků 347, 339 01 Klatovy',
    lat: 49.3961,
    lon: 13.2905,
    allowBudgetAccountantSamePerson: true
  },
  {
    id: 'sos-do',
    name: 'Střední odborná škola Domažlice',
    shortName: 'SOŠ Domažlice',
    kind: 'school',
    district: 'DO',
    founder: 'skolstvi',
    address: 'Prokopova 488, 344 01 Domažlice',
    lat: 49.4412,
    lon: 12.9262
  },
  {
    id: 'sus',
    name: 'Správa a údržba silnic Plzeňského kraje',
    shortName: 'SÚS PK',
    kind: 'roads',
    district: 'PM',
    founder: 'doprava',
    address: 'Koterovská 462/162, 326 00 Plzeň',
    lat: 49.7322,
    lon: 13.4112,
    invoicesNeedBudget: true
  },
  {
    id: 'cnpk',
    name: 'Centrální nákup Plzeňského kraje',
    shortName: 'CNPK',
    kind: 'purchasing',
    district: 'PM',
    founder: 'majetek',
    address: 'Vejprnická 663/56, 318 00 Plzeň',
    lat: 49.7412,
    lon: 13.3402
  },
  {
    id: 'zhpk',
    name: 'Zdravotnický holding Plzeňského kraje',
    shortName: 'ZHPK',
    kind: 'health',
    district: 'PM',
    founder: 'zdravotnictvi',
    address: 'Škroupova 1760/18, 301 00 Plzeň',
    lat: 49.7439,
    lon: 13.3741
  },
  {
    id: 'dd-ps',
    name: 'Domov pro seniory Kralovice',
    shortName: 'DS Kralovice',
    kind: 'social',
    district: 'PS',
    founder: 'socialni',
    address: 'Plzeňská 446, 331 41 Kralovice',
    lat: 49.9818,
    lon: 13.4874
  },
  {
    id: 'gym-tc',
    name: 'Gymnázium Tachov',
    shortName: 'Gymnázium Tachov',
    kind: 'school',
    district: 'TC',
    founder: 'skolstvi',
    address: 'Pionýrská 1370, 347 01 Tachov',
    lat: 49.7983,
    lon: 12.6289
  },
  {
    id: 'gym-pj',
    name: 'Gymnázium Blovice',
    shortName: 'Gymnázium Blovice',
    kind: 'school',
    district: 'PJ',
    founder: 'skolstvi',
    address: 'Družstevní 650, 336 01 Blovice',
    lat: 49.5819,
    lon: 13.5442
  },
  {
    id: 'sps-ro',
    name: 'Střední průmyslová škola Rokycany',
    shortName: 'SPŠ Rokycany',
    kind: 'school',
    district: 'RO',
    founder: 'skolstvi',
    address: 'Jeronýmova 36, 337 01 Rokycany',
    lat: 49.7411,
    lon: 13.5958
  },
  {
    id: 'zcm',
    name: 'Západočeské muzeum v Plzni',
    shortName: 'ZČM',
    kind: 'culture',
    district: 'PM',
    founder: 'kultura',
    address: 'Kopeckého sady 2, 301 00 Plzeň',
    lat: 49.7446,
    lon: 13.3811
  },
  {
    id: 'muzeum-tc',
    name: 'Muzeum Českého lesa v Tachově',
    shortName: 'Muzeum Tachov',
    kind: 'culture',
    district: 'TC',
    founder: 'kultura',
    address: 'Třída Míru 447, 347 01 Tachov',
    lat: 49.7957,
    lon: 12.6354
  },
  {
    id: 'muzeum-ro',
    name: 'Muzeum Dr. Bohuslava Horáka v Rokycanech',
    shortName: 'Muzeum Rokycany',
    kind: 'culture',
    district: 'RO',
    founder: 'kultura',
    address: 'Jiráskova 218, 337 01 Rokycany',
    lat: 49.7433,
    lon: 13.5956
  }
];

export interface DemoUser {
  username: string;
  name: string;
  orgId?: string;
  title: string;
  email: string;
  phone: string;
  memberships: Membership[];
}

export const DEMO_PASSWORD = 'demo';

export const DEMO_USERS: DemoUser[] = [
  {
    username: 'admin',
    name: 'Správce systému',
    orgId: 'ku',
    title: 'Správce aplikace',
    email: 'admin@kr-plzensky.example',
    phone: '+420 377 195 000',
    memberships: [{ role: 'admin' }]
  },
  {
    username: 'helpdesk',
    name: 'Jana Nováková',
    orgId: 'ku',
    title: 'Helpdesk, odbor informatiky',
    email: 'helpdesk@kr-plzensky.example',
    phone: '+420 377 195 111',
    memberships: [{ role: 'agent', org: 'ku' }]
  },
  {
    username: 'technik.kt',
    name: 'Petr Dvořák',
    title: 'Technik, ICT Servis Šumava s.r.o.',
    email: 'dvorak@ictservis-sumava.example',
    phone: '+420 603 112 233',
    memberships: [{ role: 'contractor', districts: ['KT', 'DO'] }]
  },
  {
    username: 'reditel.gymkt',
    name: 'Mgr. Karel Šíma',
    orgId: 'gym-kt',
    title: 'Ředitel školy',
    email: 'sima@gymkt.example',
    phone: '+420 376 312 001',
    memberships: [{ role: 'manager', org: 'gym-kt' }]
  },
  {
    username: 'ucetni.gymkt',
    name: 'Ing. Marie Králová',
    orgId: 'gym-kt',
    title: 'Ekonomka školy',
    email: 'kralova@gymkt.example',
    phone: '+420 376 312 004',
    memberships: [
      { role: 'budget', org: 'gym-kt' },
      { role: 'accountant', org: 'gym-kt' }
    ]
  },
  {
    username: 'zastupce.gymkt',
    name: 'Mgr. Hana Vlková',
    orgId: 'gym-kt',
    title: 'Zástupkyně ředitele',
    email: 'vlkova@gymkt.example',
    phone: '+420 376 312 002',
    memberships: [{ role: 'manager', org: 'gym-kt' }]
  },
  {
    username: 'referent.gymkt',
    name: 'Jitka Malá',
    orgId: 'gym-kt',
    title: 'Referentka, podatelna a fakturace',
    email: 'mala@gymkt.example',
    phone: '+420 376 312 005',
    memberships: [{ role: 'clerk', org: 'gym-kt' }]
  },
  {
    username: 'ucitel.gymkt',
    name: 'Mgr. Tomáš Beneš',
    orgId: 'gym-kt',
    title: 'Učitel informatiky',
    email: 'benes@gymkt.example',
    phone: '+420 376 312 020',
    memberships: [{ role: 'requester', org: 'gym-kt' }]
  },
  {
    username: 'ucitel.sosdo',
    name: 'Bc. Lucie Černá',
    orgId: 'sos-do',
    title: 'Učitelka odborných předmětů',
    email: 'cerna@sosdo.example',
    phone: '+420 379 722 015',
    memberships: [{ role: 'requester', org: 'sos-do' }]
  },
  {
    username: 'odbor.skolstvi',
    name: 'Ing. Pavel Hruška',
    orgId: 'ku',
    title: 'Odbor školství, mládeže a sportu',
    email: 'hruska@kr-plzensky.example',
    phone: '+420 377 195 400',
    memberships: [{ role: 'founder', department: 'skolstvi' }]
  },
  {
    username: 'dispecer',
    name: 'Martin Procházka',
    orgId: 'sus',
    title: 'Dispečer zimní údržby',
    email: 'dispecink@sus-pk.example',
    phone: '+420 377 333 700',
    memberships: [{ role: 'dispatcher', org: 'sus' }]
  },
  {
    username: 'reditel.sus',
    name: 'Ing. Miroslav Řezáč',
    orgId: 'sus',
    title: 'Ředitel organizace',
    email: 'rezac@sus-pk.example',
    phone: '+420 377 333 701',
    memberships: [{ role: 'manager', org: 'sus' }]
  },
  {
    username: 'ekonom.sus',
    name: 'Ing. Alena Vaňková',
    orgId: 'sus',
    title: 'Správkyně rozpočtu',
    email: 'vankova@sus-pk.example',
    phone: '+420 377 333 720',
    memberships: [{ role: 'budget', org: 'sus' }]
  },
  {
    username: 'ucetni.sus',
    name: 'Bc. Radek Šebesta',
    orgId: 'sus',
    title: 'Hlavní účetní',
    email: 'sebesta@sus-pk.example',
    phone: '+420 377 333 721',
    memberships: [{ role: 'accountant', org: 'sus' }]
  },
  {
    username: 'silnicar.kt',
    name: 'Josef Kučera',
    orgId: 'sus',
    title: 'Řidič sypače, cestmistrovství Klatovy',
    email: 'kucera@sus-pk.example',
    phone: '+420 721 455 812',
    memberships: [{ role: 'crew', org: 'sus', districts: ['KT'] }]
  },
  {
    username: 'izs',
    name: 'Operační středisko IZS Plzeňského kraje',
    title: 'Styčný důstojník IZS',
    email: 'kops@izs-pk.example',
    phone: '+420 950 330 111',
    memberships: [{ role: 'izs' }]
  }
];
