/**
 * The demo asset register: every organization gets equipment that looks like its own (a
 * school has its PC classroom, teachers' laptops, projectors in every classroom; the road
 * maintenance has phones and SIMs for its crews), about 1,100 assets in all. Deterministic:
 * one seeded random sequence per organization, dates relative to the seeding time.
 */
import { assetDocId } from '../../src/lib/domain/assets/ids';
import type { AssetKind, AssetState } from '../../src/lib/domain/schemas/assets';
import type { Clock } from './samples';
import type { DemoOrg } from './region';

type Doc = Record<string, unknown> & { id: string };

interface Model {
  manufacturer: string;
  model: string;
  price: number;
  warrantyYears: number;
}

const MODELS: Record<AssetKind, Model[]> = {
  workstation: [
    { manufacturer: 'Dell', model: 'OptiPlex 7010', price: 18_490, warrantyYears: 3 },
    { manufacturer: 'HP', model: 'ProDesk 400 G9', price: 17_890, warrantyYears: 3 },
    { manufacturer: 'Lenovo', model: 'ThinkCentre M70q Gen 4', price: 16_390, warrantyYears: 3 }
  ],
  laptop: [
    { manufacturer: 'Lenovo', model: 'ThinkPad T14 Gen 4', price: 28_900, warrantyYears: 3 },
    { manufacturer: 'HP', model: 'ProBook 450 G10', price: 22_490, warrantyYears: 3 },
    { manufacturer: 'Dell', model: 'Latitude 5540', price: 26_350, warrantyYears: 3 }
  ],
  server: [
    { manufacturer: 'Dell', model: 'PowerEdge R450', price: 145_000, warrantyYears: 5 },
    { manufacturer: 'HPE', model: 'ProLiant DL360 Gen10 Plus', price: 168_500, warrantyYears: 5 }
  ],
  network: [
    { manufacturer: 'MikroTik', model: 'CRS326-24G-2S+RM', price: 4_890, warrantyYears: 2 },
    { manufacturer: 'Cisco', model: 'Catalyst 1000-24T-4G-L', price: 18_700, warrantyYears: 5 },
    { manufacturer: 'Ubiquiti', model: 'UniFi U6 Pro', price: 4_190, warrantyYears: 2 },
    { manufacturer: 'Fortinet', model: 'FortiGate 60F', price: 21_400, warrantyYears: 3 }
  ],
  printer: [
    { manufacturer: 'HP', model: 'LaserJet Pro M404dn', price: 7_890, warrantyYears: 2 },
    { manufacturer: 'Canon', model: 'i-SENSYS MF455dw', price: 11_990, warrantyYears: 2 },
    { manufacturer: 'Konica Minolta', model: 'bizhub C250i', price: 89_000, warrantyYears: 5 }
  ],
  projector: [
    { manufacturer: 'Epson', model: 'EB-W51', price: 14_890, warrantyYears: 3 },
    { manufacturer: 'BenQ', model: 'MW560', price: 12_390, warrantyYears: 3 },
    { manufacturer: 'Epson', model: 'EB-695Wi', price: 39_900, warrantyYears: 5 }
  ],
  phone: [
    { manufacturer: 'Samsung', model: 'Galaxy A54 5G', price: 8_990, warrantyYears: 2 },
    { manufacturer: 'Apple', model: 'iPhone 13', price: 16_990, warrantyYears: 2 },
    { manufacturer: 'Yealink', model: 'SIP-T54W', price: 5_390, warrantyYears: 2 }
  ],
  tablet: [
    { manufacturer: 'Samsung', model: 'Galaxy Tab A8', price: 5_490, warrantyYears: 2 },
    { manufacturer: 'Apple', model: 'iPad 10.9 (10. gen.)', price: 11_990, warrantyYears: 2 }
  ],
  sim: [{ manufacturer: 'Vodafone', model: 'SIM datová 10 GB', price: 0, warrantyYears: 0 }],
  other: [{ manufacturer: 'APC', model: 'Back-UPS Pro 1500', price: 6_490, warrantyYears: 2 }]
};

const KIND_CODE: Record<AssetKind, string> = {
  workstation: 'PC',
  laptop: 'NB',
  server: 'SRV',
  network: 'NET',
  printer: 'TISK',
  projector: 'PROJ',
  phone: 'TEL',
  tablet: 'TAB',
  sim: 'SIM',
  other: 'OST'
};

const NAMES: Record<AssetKind, string> = {
  workstation: 'Počítač',
  laptop: 'Notebook',
  server: 'Server',
  network: 'Síťový prvek',
  printer: 'Tiskárna',
  projector: 'Projektor',
  phone: 'Telefon',
  tablet: 'Tablet',
  sim: 'SIM karta',
  other: 'UPS'
};

const SUPPLIERS = [
  'Alza.cz a.s.',
  'AutoCont a.s.',
  'Datron, a.s.',
  'C SYSTEM CZ a.s.',
  'Centrální nákup Plzeňského kraje'
];

type Profile = Partial<Record<AssetKind, number>>;

const PROFILES: Record<DemoOrg['kind'], Profile> = {
  school: { workstation: 38, laptop: 22, printer: 6, network: 8, projector: 14, server: 1, tablet: 6, phone: 3 },
  office: { workstation: 90, laptop: 45, printer: 14, network: 16, server: 6, phone: 30, projector: 6, tablet: 5 },
  roads: { workstation: 40, laptop: 25, printer: 8, network: 12, server: 2, phone: 45, tablet: 15, sim: 20 },
  health: { workstation: 45, laptop: 20, printer: 10, network: 10, server: 3, phone: 12, other: 4 },
  purchasing: { workstation: 18, laptop: 10, printer: 3, network: 4, phone: 8 },
  social: { workstation: 10, laptop: 5, printer: 3, network: 3, tablet: 8, phone: 4 },
  culture: { workstation: 12, laptop: 5, printer: 3, network: 4, projector: 5, tablet: 2 },
  other: { workstation: 10, laptop: 5, printer: 2, network: 3 }
};

const SITES: Record<DemoOrg['kind'], string[]> = {
  school: ['Hlavní budova', 'Hlavní budova', 'Hlavní budova', 'Pavilon B', 'Tělocvična'],
  office: ['Škroupova 18', 'Škroupova 18', 'Vejprnická 56'],
  roads: ['Ředitelství', 'Cestmistrovství Klatovy', 'Cestmistrovství Domažlice', 'Cestmistrovství Rokycany'],
  health: ['Ředitelství', 'Nemocnice Klatovy', 'Nemocnice Domažlice'],
  purchasing: ['Vejprnická 56'],
  social: ['Domov', 'Domov'],
  culture: ['Hlavní budova', 'Depozitář'],
  other: ['Sídlo']
};

const ROOMS: Record<AssetKind, string[]> = {
  workstation: ['PC učebna 1', 'PC učebna 2', 'sborovna', 'kancelář 12', 'sekretariát', 'kabinet fyziky', 'knihovna'],
  laptop: ['kabinet matematiky', 'kabinet jazyků', 'ředitelna', 'kancelář 14', 'sklad IT'],
  server: ['serverovna'],
  network: ['serverovna', 'rozvaděč 1. patro', 'rozvaděč 2. patro', 'chodba'],
  printer: ['sborovna', 'sekretariát', 'chodba 1. patro', 'kancelář 12'],
  projector: ['učebna 11', 'učebna 12', 'učebna 21', 'učebna 22', 'aula', 'učebna chemie', 'učebna 31'],
  phone: ['kancelář 12', 'terén', 'sekretariát'],
  tablet: ['kabinet jazyků', 'sklad IT', 'terén'],
  sim: ['terén'],
  other: ['serverovna']
};

const FIRST = ['Jan', 'Petr', 'Jana', 'Eva', 'Martin', 'Lenka', 'Tomáš', 'Hana', 'Pavel', 'Lucie', 'Jiří', 'Kateřina'];
const LAST_M = ['Novák', 'Svoboda', 'Dvořák', 'Černý', 'Procházka', 'Kučera', 'Veselý', 'Horák'];
const LAST_F = ['Nováková', 'Svobodová', 'Dvořáková', 'Černá', 'Procházková', 'Kučerová', 'Veselá', 'Horáková'];
const FEMALE = new Set(['Jana', 'Eva', 'Lenka', 'Hana', 'Lucie', 'Kateřina']);

/** Accounts that hold equipment in the demo ("my equipment"), by organization. */
const HOLDERS: Record<string, { id: string; name: string }[]> = {
  'gym-kt': [
    { id: 'ucitel.gymkt', name: 'Mgr. Tomáš Beneš' },
    { id: 'reditel.gymkt', name: 'Mgr. Karel Šíma' },
    { id: 'zastupce.gymkt', name: 'Mgr. Hana Vlková' }
  ],
  'sos-do': [{ id: 'ucitel.sosdo', name: 'Bc. Lucie Černá' }],
  sus: [
    { id: 'silnicar.kt', name: 'Josef Kovář' },
    { id: 'dispecer', name: 'Martin Procházka' },
    { id: 'reditel.sus', name: 'Ing. Miroslav Řezáč' }
  ],
  ku: [{ id: 'helpdesk', name: 'Jana Nováková' }]
};

/** mulberry32: small, fast, the same sequence on every machine. */
function random(seed: string): () => number {
  let a = 0;
  for (const ch of seed) a = (Math.imul(a, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The inventory-number prefix of an organization: its id without dashes, upper case. */
export const inventoryPrefix = (orgId: string) => orgId.replace(/-/g, '').toUpperCase();

export function demoAssets(org: DemoOrg, at: Clock): Doc[] {
  const rnd = random(`assets:${org.id}`);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const now = Date.parse(at(0));
  const created = at(60 * 24 * 420);
  const audit = { orgId: org.id, createdBy: 'helpdesk', createdAt: created, updatedBy: 'helpdesk', updatedAt: created };
  const holders = [...(HOLDERS[org.id] ?? [])];
  const out: Doc[] = [];
  let seq = 0;
  for (const [kind, count] of Object.entries(PROFILES[org.kind]) as [AssetKind, number][]) {
    for (let i = 0; i < count; i++) {
      seq++;
      const m = pick(MODELS[kind]);
      const bought = now - Math.floor(30 + rnd() * 3000) * DAY;
      const inventoryNo = `${inventoryPrefix(org.id)}-${KIND_CODE[kind]}-${String(seq).padStart(4, '0')}`;
      const r = rnd();
      const state: AssetState =
        r < 0.78 ? 'in_use' : r < 0.88 ? 'in_stock' : r < 0.94 ? 'in_repair' : r < 0.98 ? 'retired' : 'ordered';
      const personal = ['laptop', 'phone', 'tablet', 'sim'].includes(kind) && state === 'in_use';
      const account = personal && holders.length ? holders.shift() : undefined;
      const first = pick(FIRST);
      const holderName =
        account?.name ?? (personal ? `${first} ${pick(FEMALE.has(first) ? LAST_F : LAST_M)}` : undefined);
      const stateSince = day(state === 'ordered' ? now - 10 * DAY : bought + Math.floor(rnd() * 200) * DAY);
      const doc: Doc = {
        id: assetDocId(org.id, inventoryNo),
        type: 'asset',
        key: inventoryNo,
        refId: '',
        inventoryNo,
        kind,
        name: `${NAMES[kind]} ${m.manufacturer} ${m.model}`,
        manufacturer: m.manufacturer,
        model: m.model,
        serialNo: `${m.manufacturer.slice(0, 2).toUpperCase()}${Math.floor(rnd() * 1e8)
          .toString(36)
          .toUpperCase()}`,
        state,
        stateSince: stateSince > day(now) ? day(now) : stateSince,
        site: pick(SITES[org.kind]),
        room: pick(ROOMS[kind]),
        ...(account ? { holder: account.id } : {}),
        ...(holderName ? { holderName } : {}),
        ...(state === 'ordered' ? {} : { purchaseDate: day(bought) }),
        price: m.price,
        supplier: pick(SUPPLIERS),
        ...(m.warrantyYears && state !== 'ordered' ? { warrantyEnd: day(bought + m.warrantyYears * 365 * DAY) } : {}),
        ...audit
      };
      doc.day = doc.warrantyEnd ?? '';
      if (state === 'in_repair')
        doc.stateReason = pick(['Nejde zapnout', 'Vadný disk', 'Prasklý displej', 'Servis u dodavatele']);
      if (state === 'retired') {
        doc.stateReason = 'Neopravitelné, ekologická likvidace';
        doc.retirement = {
          reason: 'Neopravitelné, ekologická likvidace',
          requestedBy: 'helpdesk',
          requestedAt: at(60 * 24 * 30),
          decision: 'approved',
          decidedBy: org.id === 'gym-kt' ? 'reditel.gymkt' : 'admin',
          decidedAt: at(60 * 24 * 29)
        };
      }
      out.push(doc);
    }
  }
  // One retirement waiting for the director of the grammar school, and warranties ending soon.
  if (org.id === 'gym-kt') {
    const pending = out.find((d) => d.kind === 'workstation' && d.state === 'in_repair') ?? out[0];
    pending.retirement = {
      reason: 'Základní deska po přepětí, oprava dražší než nový počítač',
      requestedBy: 'helpdesk',
      requestedAt: at(60 * 24 * 2)
    };
    for (const d of out.filter((x) => x.kind === 'projector' && x.warrantyEnd).slice(0, 3)) {
      d.warrantyEnd = day(now + 25 * DAY);
      d.day = d.warrantyEnd;
    }
  }
  return out;
}

/** History of the grammar school's assets (created, and what happened since), for the detail screen. */
export function demoAssetHistory(orgId: string, assets: readonly Doc[], now: string): Doc[] {
  if (orgId !== 'gym-kt') return [];
  const out: Doc[] = [];
  for (const a of assets) {
    const base = {
      orgId,
      type: 'asset_history',
      key: '',
      refId: a.id,
      state: '',
      day: '',
      createdBy: 'helpdesk',
      updatedBy: 'helpdesk'
    };
    const created = String(a.createdAt);
    out.push({
      ...base,
      id: `hist:${a.id.slice(6)}:1`,
      action: 'imported',
      changes: [{ field: 'inventoryNo', to: String(a.inventoryNo) }],
      createdAt: created,
      updatedAt: created
    });
    if (a.state === 'in_repair' || a.state === 'retired') {
      const since = `${String(a.stateSince)}T09:00:00.000Z`;
      const t = since < created ? created : since > now ? now : since;
      out.push({
        ...base,
        id: `hist:${a.id.slice(6)}:2`,
        action: 'state',
        changes: [{ field: 'state', from: 'in_use', to: String(a.state) }],
        ...(a.stateReason ? { note: String(a.stateReason) } : {}),
        createdAt: t,
        updatedAt: t
      });
    }
  }
  return out;
}
