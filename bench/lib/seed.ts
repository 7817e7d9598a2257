/**
 * Benchmark data, written straight to CouchDB with the admin URL (as an import would):
 * tickets into an organization's database, and extra organizations into `region_orgs`,
 * which the server provisions databases for; seeding waits until they exist.
 */
import { DISTRICTS } from '../../src/lib/domain/schemas/region';
import { ORG_COLLECTIONS, orgDb, regionDb } from '../../src/lib/domain/databases';
import { visibleDocCount } from './app';
import { bulkInsert, json, waitForDb, type Endpoint } from './couch';
import { makeTickets } from './tickets';

/** Adds tickets until the organization's database holds `count` documents. */
export async function fillTickets(couch: Endpoint, org: string, count: number, user: string, seed = 1): Promise<void> {
  const db = orgDb(org, 'tickets');
  await waitForDb(couch, db);
  const have = await visibleDocCount(couch, db);
  if (have >= count) return;
  const docs = makeTickets(count - have, { orgId: org, user, idPrefix: `seed-${org}-${seed}`, seed });
  await bulkInsert(couch, db, docs);
}

/** Organization ids in `region_orgs`. */
export async function listOrgs(couch: Endpoint): Promise<string[]> {
  const res = await json<{ rows: { id: string }[] }>(couch, `${regionDb('orgs')}/_all_docs`);
  return res.rows.map((r) => r.id).filter((id) => !id.startsWith('_'));
}

/** Adds benchmark organizations until the region has `count`, and waits for their databases. */
export async function ensureOrgCount(couch: Endpoint, count: number): Promise<string[]> {
  await waitForDb(couch, regionDb('orgs'));
  const existing = await listOrgs(couch);
  const now = new Date().toISOString();
  const added = Array.from({ length: Math.max(0, count - existing.length) }, (_, i) => {
    const n = String(i + 1).padStart(3, '0');
    return {
      _id: `bench-${n}`,
      name: `Základní škola benchmark ${n}`,
      shortName: `ZŠ ${n}`,
      kind: 'school',
      district: DISTRICTS[i % DISTRICTS.length],
      founder: 'skolstvi',
      createdBy: 'admin',
      createdAt: now,
      updatedBy: 'admin',
      updatedAt: now
    };
  });
  if (added.length > 0) await bulkInsert(couch, regionDb('orgs'), added);
  const orgs = [...existing, ...added.map((o) => o._id)];
  for (const org of orgs) {
    for (const c of ORG_COLLECTIONS) await waitForDb(couch, orgDb(org, c), 300_000);
  }
  return orgs;
}
