/**
 * Every document of the demo region, per database, in the collection schemas' form
 * (primary key `id`). Pure: the seeder stores them, the tests validate them.
 */
import { onHelpdesk } from '../../src/lib/domain/access';
import { orgDb, regionDb, type OrgCollection, type RegionCollection } from '../../src/lib/domain/databases';
import { DEMO_CATEGORIES, DEMO_CONTRACTORS, DEMO_SLA } from './catalog';
import { contractSamples } from './contracts';
import { HISTORY_PEOPLE, historyTickets } from './history';
import { DEMO_RULE_SETS, portalSamples } from './portal';
import { DEMO_ORGS, DEMO_USERS } from './region';
import { orgSamples, type Clock } from './samples';
import { DEMO_WINTER_PLAN, DEMO_WINTER_SECTIONS } from './sections';
import { winterSamples } from './winter-samples';

export type DemoDoc = Record<string, unknown> & { id: string };

export type DemoDatabase =
  | { db: string; kind: 'region'; collection: RegionCollection; docs: DemoDoc[] }
  | { db: string; kind: 'org'; collection: OrgCollection; docs: DemoDoc[] };

export function demoDocuments(now = new Date()): DemoDatabase[] {
  const at: Clock = (minutesAgo) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const seeded = at(60 * 24 * 500);
  const created = { createdBy: 'admin', createdAt: seeded, updatedBy: 'admin', updatedAt: seeded };

  const winter = winterSamples(at);
  const region = (collection: RegionCollection, docs: DemoDoc[]): DemoDatabase => ({
    db: regionDb(collection),
    kind: 'region',
    collection,
    docs
  });

  const out: DemoDatabase[] = [
    region(
      'orgs',
      DEMO_ORGS.map((o) => ({ ...o, ...created }))
    ),
    region('people', [
      ...DEMO_USERS.map((u) => ({
        id: u.username,
        name: u.name,
        ...(u.orgId ? { orgId: u.orgId } : {}),
        title: u.title,
        email: u.email,
        phone: u.phone,
        ...(onHelpdesk(u.memberships) ? { desk: true } : {}),
        ...created
      })),
      ...HISTORY_PEOPLE.map((p) => ({ ...p, ...created }))
    ]),
    region('catalog', [
      ...DEMO_CATEGORIES.map((c) => ({ kind: 'category', ...c, ...created })),
      ...DEMO_SLA.map((s) => ({ kind: 'sla', ...s, ...created })),
      ...DEMO_CONTRACTORS.map((c) => ({ kind: 'contractor', ...c, districts: [...c.districts], ...created })),
      { ...structuredClone(DEMO_WINTER_PLAN), ...created } as DemoDoc,
      ...DEMO_RULE_SETS.map((r) => ({ kind: 'approval-rules', ...r, ...created }))
    ]),
    region(
      'sections',
      DEMO_WINTER_SECTIONS.map((s, i) => ({ ...s, lastTreatedAt: at(20 + ((i * 37) % 400)), ...created }))
    ),
    region('izs', winter.izs),
    region('alerts', winter.alerts)
  ];

  const history = historyTickets(at);
  for (const [orgId, collections] of [...orgSamples(at), ...portalSamples(at), ...contractSamples(now, at)]) {
    for (const { collection, docs } of collections) {
      const c = collection as OrgCollection;
      const all = c === 'tickets' ? [...docs, ...(history.get(orgId) ?? [])] : docs;
      out.push({ db: orgDb(orgId, c), kind: 'org', collection: c, docs: all });
    }
  }
  out.push({ db: orgDb('sus', 'dispatch'), kind: 'org', collection: 'dispatch', docs: winter.dispatch });
  return out;
}
