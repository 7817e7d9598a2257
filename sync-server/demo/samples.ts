/** Sample work per organization: tickets, assets, and a little of everything else. */
import type { Ticket } from '../../src/lib/domain/schemas';
import { demoAssetHistory, demoAssets } from './assets';
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

function assetDocs(org: (typeof DEMO_ORGS)[number], at: Clock): Doc[] {
  const assets = demoAssets(org, at);
  return [...assets, ...demoAssetHistory(org.id, assets, at(0))];
}

/** Everything per organization database name suffix (collection → docs). */
export function orgSamples(at: Clock): Map<string, { collection: string; docs: Doc[] }[]> {
  const out = new Map<string, { collection: string; docs: Doc[] }[]>();
  DEMO_ORGS.forEach((org, index) => {
    out.set(org.id, [
      { collection: 'tickets', docs: ticketsFor(org.id, index, at) },
      { collection: 'assets', docs: assetDocs(org, at) }
    ]);
  });
  for (const [orgId, notes] of demoNotes(at))
    out.get(orgId)?.push({ collection: 'notes', docs: notes as unknown as Doc[] });
  return out;
}
