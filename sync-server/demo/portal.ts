/**
 * Demo of the portal: the approval rule sets (act 320/2001 now, act 231/2025 from 2027-01-01),
 * orders, invoices and a příslib at every step at `gym-kt` and `sus` (one rejected and
 * corrected, one příslib half drawn), and the education department's task to all its
 * schools with mixed progress. Decisions and steps carry the server receipt time they would
 * have had, because the seed stores them directly.
 */
import { ACT_231_2025, ACT_320_2001 } from '../../src/lib/domain/portal/rule-sets';
import { DEMO_ORGS } from './region';
import type { Clock } from './samples';

type Doc = Record<string, unknown> & { id: string };

export const DEMO_RULE_SETS = [
  {
    id: 'approval-rules-320-2001',
    name: 'Zákon č. 320/2001 Sb., o finanční kontrole',
    effectiveFrom: '2001-01-01',
    approvalRules: ACT_320_2001
  },
  {
    id: 'approval-rules-231-2025',
    name: 'Zákon č. 231/2025 Sb., o řízení a kontrole veřejných financí',
    effectiveFrom: '2027-01-01',
    approvalRules: ACT_231_2025
  }
];

interface People {
  registrar: string;
  prikazce: string;
  spravce: string;
  ucetni: string;
}

const ORG_PEOPLE: Record<string, People> = {
  'gym-kt': { registrar: 'referent.gymkt', prikazce: 'reditel.gymkt', spravce: 'ucetni.gymkt', ucetni: 'ucetni.gymkt' },
  sus: { registrar: 'ucetni.sus', prikazce: 'reditel.sus', spravce: 'ekonom.sus', ucetni: 'ucetni.sus' }
};
const ROLE_OF = { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' } as const;
type Step = keyof typeof ROLE_OF;

interface Spec {
  n: string;
  type: 'order' | 'invoice' | 'prislib';
  supplier: string;
  ico: string;
  amount: number;
  subject: string;
  budgetLine: string;
  /** Decisions of round 1 (and round 2 after a rejection), in order. */
  rounds: [Step, 'approve' | 'reject', string?][][];
  daysAgo: number;
  prislib?: string;
}

const G: Spec[] = [
  {
    n: 'OBJ-2026-101',
    type: 'order',
    supplier: 'Alza.cz a.s.',
    ico: '27082440',
    amount: 48900,
    subject: 'Tři notebooky pro učebnu informatiky',
    budgetLine: '5137',
    rounds: [[]],
    daysAgo: 1
  },
  {
    n: 'OBJ-2026-098',
    type: 'order',
    supplier: 'Papírnictví Klatovy s.r.o.',
    ico: '25232312',
    amount: 6420,
    subject: 'Kancelářský papír a tonery',
    budgetLine: '5139',
    rounds: [[['prikazce', 'approve']]],
    daysAgo: 3
  },
  {
    n: 'OBJ-2026-090',
    type: 'order',
    supplier: 'Datart International, a.s.',
    ico: '28199081',
    amount: 15990,
    subject: 'Dataprojektor do učebny fyziky',
    budgetLine: '5137',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve']
      ]
    ],
    daysAgo: 9
  },
  {
    n: 'FV-2026-0412',
    type: 'invoice',
    supplier: 'O2 Czech Republic a.s.',
    ico: '60193336',
    amount: 3872.5,
    subject: 'Telefonní služby za říjen',
    budgetLine: '5162',
    rounds: [[]],
    daysAgo: 0
  },
  {
    n: 'FV-2026-0405',
    type: 'invoice',
    supplier: 'Alza.cz a.s.',
    ico: '27082440',
    amount: 48900,
    subject: 'Notebooky dle OBJ-2026-086',
    budgetLine: '5137',
    rounds: [[['prikazce', 'approve']]],
    daysAgo: 2
  },
  {
    n: 'FV-2026-0398',
    type: 'invoice',
    supplier: 'Datart International, a.s.',
    ico: '28199081',
    amount: 15990,
    subject: 'Dataprojektor dle OBJ-2026-090',
    budgetLine: '5137',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['ucetni', 'approve']
      ]
    ],
    daysAgo: 6
  },
  {
    n: 'FV-2026-0391',
    type: 'invoice',
    supplier: 'Papírnictví Klatovy s.r.o.',
    ico: '25232312',
    amount: 7420,
    subject: 'Kancelářské potřeby',
    budgetLine: '5139',
    rounds: [
      [['prikazce', 'reject', 'Částka nesouhlasí s objednávkou OBJ-2026-098 (6 420 Kč).']],
      [['prikazce', 'approve']]
    ],
    daysAgo: 5
  },
  {
    n: 'FV-2026-0388',
    type: 'invoice',
    supplier: 'Úklid Šumava s.r.o.',
    ico: '26355256',
    amount: 12100,
    subject: 'Mimořádný úklid po malování',
    budgetLine: '5169',
    rounds: [[['prikazce', 'reject', 'Chybí předávací protokol, doložte prosím.']]],
    daysAgo: 4
  },
  {
    n: 'LP-2026-001',
    type: 'prislib',
    supplier: '',
    ico: '',
    amount: 240000,
    subject: 'Energie (elektřina, plyn) na rok 2026',
    budgetLine: '5154',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve']
      ]
    ],
    daysAgo: 330
  },
  {
    n: 'FV-2026-0120',
    type: 'invoice',
    supplier: 'ČEZ Prodej, a.s.',
    ico: '27232433',
    amount: 60000,
    subject: 'Záloha na elektřinu, 1. pololetí',
    budgetLine: '5154',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['ucetni', 'approve']
      ]
    ],
    daysAgo: 200,
    prislib: 'LP-2026-001'
  },
  {
    n: 'FV-2026-0350',
    type: 'invoice',
    supplier: 'ČEZ Prodej, a.s.',
    ico: '27232433',
    amount: 60000,
    subject: 'Záloha na elektřinu, 2. pololetí',
    budgetLine: '5154',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['ucetni', 'approve']
      ]
    ],
    daysAgo: 60,
    prislib: 'LP-2026-001'
  },
  {
    n: 'OBJ-2026-102',
    type: 'order',
    supplier: 'Alza.cz a.s.',
    ico: '27082440',
    amount: 2390,
    subject: 'Myši a klávesnice do učebny',
    budgetLine: '5139',
    rounds: [[['prikazce', 'reject', 'Zatím nepotřebujeme, máme zásobu.']]],
    daysAgo: 2
  }
];

const S: Spec[] = [
  {
    n: 'OBJ-S-2026-311',
    type: 'order',
    supplier: 'Posypový materiál Plzeň s.r.o.',
    ico: '25232312',
    amount: 385000,
    subject: 'Posypová sůl, 100 t',
    budgetLine: '5139',
    rounds: [[]],
    daysAgo: 1
  },
  {
    n: 'OBJ-S-2026-305',
    type: 'order',
    supplier: 'Alza.cz a.s.',
    ico: '27082440',
    amount: 21990,
    subject: 'Tablety pro dispečink',
    budgetLine: '5137',
    rounds: [[['prikazce', 'approve']]],
    daysAgo: 4
  },
  {
    n: 'OBJ-S-2026-290',
    type: 'order',
    supplier: 'O2 Czech Republic a.s.',
    ico: '60193336',
    amount: 9800,
    subject: 'Datové karty pro sypače',
    budgetLine: '5162',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve']
      ]
    ],
    daysAgo: 12
  },
  {
    n: 'FV-S-2026-1204',
    type: 'invoice',
    supplier: 'Datart International, a.s.',
    ico: '28199081',
    amount: 8990,
    subject: 'Monitory pro cestmistrovství',
    budgetLine: '5137',
    rounds: [[]],
    daysAgo: 0
  },
  {
    n: 'FV-S-2026-1199',
    type: 'invoice',
    supplier: 'O2 Czech Republic a.s.',
    ico: '60193336',
    amount: 14520,
    subject: 'Mobilní služby za říjen',
    budgetLine: '5162',
    rounds: [[['prikazce', 'approve']]],
    daysAgo: 2
  },
  {
    n: 'FV-S-2026-1190',
    type: 'invoice',
    supplier: 'Alza.cz a.s.',
    ico: '27082440',
    amount: 21990,
    subject: 'Tablety dle OBJ-S-2026-280',
    budgetLine: '5137',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve']
      ]
    ],
    daysAgo: 5
  },
  {
    n: 'FV-S-2026-1170',
    type: 'invoice',
    supplier: 'Úklid Šumava s.r.o.',
    ico: '26355256',
    amount: 18150,
    subject: 'Úklid středisek',
    budgetLine: '5169',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve'],
        ['ucetni', 'approve']
      ]
    ],
    daysAgo: 10
  },
  {
    n: 'FV-S-2026-1185',
    type: 'invoice',
    supplier: 'Papírnictví Klatovy s.r.o.',
    ico: '25232312',
    amount: 3100,
    subject: 'Tiskopisy',
    budgetLine: '5139',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'reject', 'Položka 5139 je vyčerpána, použijte 5169.']
      ],
      []
    ],
    daysAgo: 6
  },
  {
    n: 'LP-S-2026-002',
    type: 'prislib',
    supplier: '',
    ico: '',
    amount: 900000,
    subject: 'Pohonné hmoty pro zimní údržbu 2026',
    budgetLine: '5156',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve']
      ]
    ],
    daysAgo: 320
  },
  {
    n: 'FV-S-2026-0201',
    type: 'invoice',
    supplier: 'ČEPRO, a.s.',
    ico: '60193531',
    amount: 450000,
    subject: 'Nafta, leden až březen',
    budgetLine: '5156',
    rounds: [
      [
        ['prikazce', 'approve'],
        ['spravce', 'approve'],
        ['ucetni', 'approve']
      ]
    ],
    daysAgo: 240,
    prislib: 'LP-S-2026-002'
  },
  {
    n: 'OBJ-S-2026-312',
    type: 'order',
    supplier: 'Datart International, a.s.',
    ico: '28199081',
    amount: 4990,
    subject: 'Tiskárna pro středisko Klatovy',
    budgetLine: '5137',
    rounds: [[['prikazce', 'reject', 'Tiskárnu převezmeme z ústředí.']]],
    daysAgo: 0
  },
  {
    n: 'FV-S-2026-1206',
    type: 'invoice',
    supplier: 'O2 Czech Republic a.s.',
    ico: '60193336',
    amount: 990,
    subject: 'Roaming dispečink',
    budgetLine: '5162',
    rounds: [[]],
    daysAgo: 0
  }
];

const slug = (n: string) => n.toLowerCase();

function approvalsFor(orgId: string, specs: Spec[], at: Clock): Doc[] {
  const p = ORG_PEOPLE[orgId];
  const out: Doc[] = [];
  const ids = new Map<string, string>();
  for (const s of specs) {
    const base = `apv-${orgId}-${slug(s.n)}`;
    const id = s.prislib ? `${ids.get(s.prislib)}:inv:${slug(s.n)}` : base;
    ids.set(s.n, id);
    const minutes = s.daysAgo * 24 * 60 + 60 * 3;
    const registered = at(minutes);
    const round = s.rounds.length;
    const doc: Doc = {
      id,
      orgId,
      type: s.type,
      number: s.n,
      amount: s.amount,
      currency: 'CZK',
      subject: s.subject,
      budgetLine: s.budgetLine,
      registeredOn: registered.slice(0, 10),
      registrar: p.registrar,
      round,
      createdBy: p.registrar,
      createdAt: registered,
      updatedBy: p.registrar,
      updatedAt: round > 1 ? at(minutes - 120) : registered,
      receivedAt: registered
    };
    if (s.type === 'prislib')
      Object.assign(doc, { validFrom: registered.slice(0, 10), validTo: at(minutes - 60 * 24 * 364).slice(0, 10) });
    else
      Object.assign(doc, {
        supplier: s.supplier,
        supplierIco: s.ico,
        dueDate: at(minutes - 60 * 24 * 14).slice(0, 10)
      });
    if (s.prislib) doc.prislibId = ids.get(s.prislib);
    out.push(doc);
    s.rounds.forEach((decisions, r) =>
      decisions.forEach(([step, verdict, comment], i) => {
        const t = at(minutes - 60 * (r * 3 + i + 1));
        out.push({
          id: `${id}:dec:r${r + 1}-${step}`,
          orgId,
          type: 'decision',
          parentId: id,
          round: r + 1,
          step,
          verdict,
          role: ROLE_OF[step],
          ...(comment ? { comment } : {}),
          ...(step === 'spravce' && verdict === 'approve' ? { fundsConfirmed: true } : {}),
          decidedAt: t,
          createdBy: p[step],
          createdAt: t,
          updatedBy: p[step],
          updatedAt: t,
          receivedAt: t
        });
      })
    );
  }
  return out;
}

const SCHOOLS = DEMO_ORGS.filter((o) => o.founder === 'skolstvi').map((o) => o.id);
const DIRECTOR: Record<string, string> = { 'gym-kt': 'reditel.gymkt' };
const WORKER: Record<string, string> = { 'gym-kt': 'ucitel.gymkt' };
const director = (org: string) => DIRECTOR[org] ?? `reditel.${org.replace('-', '')}`;
const worker = (org: string) => WORKER[org] ?? `ict.${org.replace('-', '')}`;

type Progress = [action: string, by: 'director' | 'worker' | 'issuer', text?: string][];

/** Per school: how far the inventory task got. */
const PROGRESS: Record<string, Progress> = {
  'gym-tc': [
    ['accept', 'director'],
    ['assign', 'director'],
    ['done', 'worker'],
    ['report', 'director'],
    ['accept-up', 'issuer']
  ],
  'sos-do': [
    ['assign', 'director'],
    ['done', 'worker'],
    ['report', 'director'],
    ['return-up', 'issuer', 'Chybí seznam licencí, doplňte prosím.']
  ],
  'gym-kt': [
    ['accept', 'director'],
    ['assign', 'director'],
    ['comment', 'worker', 'Učebny 1–3 hotové, zbývá kabinet fyziky.']
  ],
  'sps-ro': []
};

function tasksFor(at: Clock): Map<string, Doc[]> {
  const out = new Map<string, Doc[]>();
  const issued = at(60 * 24 * 10);
  for (const org of SCHOOLS) {
    // gym-pj got the task with an earlier deadline that has passed: overdue.
    const overdue = org === 'gym-pj';
    const id = `task-${org}-ict-inventura-2026`;
    const task: Doc = {
      id,
      orgId: org,
      type: 'task',
      title: 'Zaslat inventuru ICT majetku k 31. 12. 2026',
      description:
        'Zkontrolujte evidenci ICT majetku a licencí školy, doplňte chybějící inventární čísla a zašlete soupis odboru školství.',
      issueId: 'issue-skolstvi-ict-inventura-2026',
      issuedBy: 'skolstvi',
      targets: SCHOOLS,
      dueAt: overdue ? at(60 * 24) : at(-60 * 24 * 46),
      createdBy: 'odbor.skolstvi',
      createdAt: issued,
      updatedBy: 'odbor.skolstvi',
      updatedAt: issued,
      receivedAt: issued
    };
    const steps = (PROGRESS[org] ?? [['accept', 'director']]).map(([action, by, text], i) => {
      const t = at(60 * 24 * (9 - i));
      const who = by === 'director' ? director(org) : by === 'worker' ? worker(org) : 'odbor.skolstvi';
      return {
        id: `${id}:step:${String(i + 1).padStart(2, '0')}-${action}`,
        orgId: org,
        type: 'task-step',
        parentId: id,
        action,
        at: t,
        ...(action === 'assign' ? { assignee: worker(org) } : {}),
        ...(text ? { text } : {}),
        createdBy: who,
        createdAt: t,
        updatedBy: who,
        updatedAt: t,
        receivedAt: t
      };
    });
    out.set(org, [task, ...steps]);
  }
  return out;
}

/** Organization → collection → documents. */
export function portalSamples(at: Clock): Map<string, { collection: string; docs: Doc[] }[]> {
  const out = new Map<string, { collection: string; docs: Doc[] }[]>();
  const add = (org: string, collection: string, docs: Doc[]) =>
    out.set(org, [...(out.get(org) ?? []), { collection, docs }]);
  add('gym-kt', 'approvals', approvalsFor('gym-kt', G, at));
  add('sus', 'approvals', approvalsFor('sus', S, at));
  for (const [org, docs] of tasksFor(at)) add(org, 'tasks', docs);
  return out;
}
