/** Sample work per organization: tickets, assets, and a little of everything else. */
import type { Ticket } from '../../src/lib/domain/schemas';
import { demoNotes } from './notes';
import { DEMO_ORGS } from './region';

type Doc = Record<string, unknown> & { id: string };
export type Clock = (minutesAgo: number) => string;

const ORG_USER: Record<string, string> = {
  'gym-kt': 'ucitel.gymkt',
  'sos-do': 'ucitel.sosdo',
  sus: 'dispecer',
  ku: 'helpdesk'
};

const TICKET_TEMPLATES = [
  {
    title: 'Nefunguje projektor v učebně',
    category: 'cat-hardware',
    priority: 'P3',
    description: 'Projektor se po zapnutí po minutě vypne, kontrolka bliká červeně.'
  },
  {
    title: 'Tiskárna hlásí zaseknutý papír',
    category: 'cat-printer',
    priority: 'P4',
    description: 'Tiskárna na chodbě hlásí zaseknutý papír, ale žádný uvnitř není.'
  },
  {
    title: 'Nelze se přihlásit do informačního systému',
    category: 'cat-account',
    priority: 'P2',
    description: 'Po změně hesla se nelze přihlásit, systém hlásí zablokovaný účet.'
  },
  {
    title: 'Výpadek připojení k internetu',
    category: 'cat-network',
    priority: 'P1',
    description: 'Celá budova je bez připojení od rána, router nereaguje.'
  },
  {
    title: 'Instalace účetního programu na nový počítač',
    category: 'cat-software',
    priority: 'P4',
    description: 'Prosím o instalaci a nastavení účetního programu na nový počítač v kanceláři.'
  }
] as const;

function ticketsFor(orgId: string, index: number, at: Clock): Doc[] {
  const author = ORG_USER[orgId] ?? 'helpdesk';
  const picks = [
    TICKET_TEMPLATES[index % TICKET_TEMPLATES.length],
    TICKET_TEMPLATES[(index + 2) % TICKET_TEMPLATES.length]
  ];
  return picks.map((t, i) => {
    const id = `tkt-${orgId}-${String(i + 1).padStart(4, '0')}`;
    const created = at(60 * (3 + index * 5 + i * 26));
    const events: Ticket['events'] = [{ id: `${id}-e1`, at: created, by: author, kind: 'status', to: 'new' }];
    const ticket: Doc = {
      id,
      orgId,
      title: t.title,
      description: t.description,
      category: t.category,
      priority: t.priority,
      requester: author,
      status: 'new',
      events,
      createdBy: author,
      createdAt: created,
      updatedBy: author,
      updatedAt: created,
      // The server seeds these itself, so it received them when they were reported.
      receivedAt: created
    };
    // In the contractor's districts, the second ticket is already with the contractor.
    const district = DEMO_ORGS.find((o) => o.id === orgId)?.district;
    if (i === 1 && (district === 'KT' || district === 'DO')) {
      const assigned = at(60 * (index * 5 + i * 26));
      const assignee = { queue: 'contractor' as const, userId: 'technik.kt' };
      events.push({ id: `${id}-e2`, at: assigned, by: 'helpdesk', kind: 'assign', assignee });
      events.push({ id: `${id}-e3`, at: assigned, by: 'helpdesk', kind: 'status', to: 'assigned' });
      Object.assign(ticket, { status: 'assigned', assignee, updatedBy: 'helpdesk', updatedAt: assigned });
    }
    return ticket;
  });
}

function assetsFor(orgId: string, at: Clock): Doc[] {
  const prefix = orgId.replace(/-/g, '').toUpperCase();
  const created = at(60 * 24 * 400);
  const base = { orgId, createdBy: 'helpdesk', createdAt: created, updatedBy: 'helpdesk', updatedAt: created };
  const warranty = (years: number) => new Date(Date.parse(created) + years * 365 * 86_400_000).toISOString();
  return [
    {
      id: `asset-${orgId}-pc-0001`,
      inventoryNo: `${prefix}-PC-0001`,
      kind: 'workstation',
      name: 'Dell OptiPlex 7010',
      site: 'Kancelář vedení',
      state: 'in_use',
      serialNo: 'DL7010-83KQ2',
      warrantyUntil: warranty(3),
      ...base
    },
    {
      id: `asset-${orgId}-nb-0002`,
      inventoryNo: `${prefix}-NB-0002`,
      kind: 'laptop',
      name: 'Lenovo ThinkPad T14',
      site: 'Sekretariát',
      state: 'in_use',
      serialNo: 'PF3X9A1',
      warrantyUntil: warranty(3),
      ...base
    },
    {
      id: `asset-${orgId}-prn-0003`,
      inventoryNo: `${prefix}-PRN-0003`,
      kind: 'printer',
      name: 'HP LaserJet Pro M404dn',
      site: 'Chodba, 1. patro',
      state: 'in_use',
      serialNo: 'VNB3K12345',
      warrantyUntil: warranty(2),
      ...base
    },
    {
      id: `asset-${orgId}-net-0004`,
      inventoryNo: `${prefix}-NET-0004`,
      kind: 'network',
      name: 'MikroTik hEX S',
      site: 'Serverovna',
      state: 'in_use',
      serialNo: 'HGF09A1B2C',
      ...base
    }
  ];
}

/** Everything per organization database name suffix (collection → docs). */
export function orgSamples(at: Clock): Map<string, { collection: string; docs: Doc[] }[]> {
  const out = new Map<string, { collection: string; docs: Doc[] }[]>();
  DEMO_ORGS.forEach((org, index) => {
    out.set(org.id, [
      { collection: 'tickets', docs: ticketsFor(org.id, index, at) },
      { collection: 'assets', docs: assetsFor(org.id, at) }
    ]);
  });
  for (const [orgId, notes] of demoNotes(at))
    out.get(orgId)?.push({ collection: 'notes', docs: notes as unknown as Doc[] });
  return out;
}
