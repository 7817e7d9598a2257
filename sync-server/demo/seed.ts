/**
 * The demo region: seeded on an empty embedded store whose PUBLIC_ORIGIN is this machine
 * (DEMO=auto), always with DEMO=1
 * (also against Apache CouchDB), never with DEMO=0. Seeding only adds what is missing:
 * documents and users that exist are left alone, so a restart never overwrites what people
 * changed. Documents are stored as RxDB's CouchDB replication stores them (`_id` holds the
 * primary key).
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { createUser, findUser } from '../auth/users';
import type { DemoMode } from '../config';
import type { CouchMode } from '../plugins/couch';
import { storedOrgIds } from '../provision/org-registry';
import { provisionAll } from '../provision/provision';
import { demoDocuments } from './documents';
import { DEMO_ORGS, DEMO_PASSWORD, DEMO_USERS } from './region';
import { statusOf } from '../couch-status';

export interface SeedOptions {
  demo: DemoMode;
  mode: CouchMode;
  log: FastifyBaseLogger;
  /** With DEMO=auto, a server reachable at another origin than this machine is not a demo. */
  publicOrigin?: string;
}

/** Whether the origin is this machine only (the demo's known passwords then reach no one else). */
export function isLocalOrigin(origin: string): boolean {
  const host = new URL(origin).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');
}

/** Decides from DEMO and the store whether to seed, and does. */
export async function seedDemoIfWanted(couch: nano.ServerScope, opts: SeedOptions): Promise<boolean> {
  if (opts.demo === 'off') return false;
  if (opts.demo === 'auto' && (opts.mode !== 'embedded' || (await storedOrgIds(couch)).length > 0)) return false;
  if (opts.demo === 'auto' && opts.publicOrigin && !isLocalOrigin(opts.publicOrigin)) {
    opts.log.warn(
      { origin: opts.publicOrigin },
      'DEMO=auto does not seed the demo region (known passwords) on a server reachable at another origin; set DEMO=1 to seed it anyway'
    );
    return false;
  }
  const started = Date.now();
  const added = await seedDemo(couch);
  opts.log.info({ docs: added.docs, users: added.users, ms: Date.now() - started }, 'demo region seeded');
  return true;
}

/** Which of these ids the database holds a live document for. */
async function storedIds(store: nano.DocumentScope<unknown>, ids: string[]): Promise<Set<string>> {
  const existing = await store.fetchRevs({ keys: ids });
  return new Set(
    existing.rows.filter((r) => 'value' in r && !(r.value as { deleted?: boolean }).deleted).map((r) => r.key)
  );
}

export async function seedDemo(couch: nano.ServerScope): Promise<{ docs: number; users: number }> {
  await provisionAll(
    couch,
    DEMO_ORGS.map((o) => o.id)
  );
  let docs = 0;
  // Organizations last: their arrival is what the registry reacts to.
  const databases = demoDocuments().sort((a, b) => Number(a.db === 'region_orgs') - Number(b.db === 'region_orgs'));
  for (const { db, docs: wanted } of databases) {
    const store = couch.use(db);
    const have = await storedIds(
      store,
      wanted.map((d) => d.id)
    );
    const missing = wanted.filter((d) => !have.has(d.id)).map(({ id, ...rest }) => ({ _id: id, ...rest }));
    if (missing.length === 0) continue;
    const res = await store.bulk({ docs: missing });
    // Another server seeding the same CouchDB at once may have stored some first: CouchDB then
    // answers a conflict, the embedded store its rule's refusal of the other version.
    const refused = res.filter((r) => r.error);
    const storedMeanwhile = refused.length
      ? await storedIds(
          store,
          refused.map((r) => String(r.id))
        )
      : new Set();
    const failed = refused.filter((r) => !storedMeanwhile.has(String(r.id)));
    if (failed.length)
      throw new Error(`demo seed rejected in ${db}: ${failed.map((f) => `${f.id}: ${f.reason}`).join('; ')}`);
    docs += res.length - refused.length;
  }
  let users = 0;
  for (const u of DEMO_USERS) {
    if (await findUser(couch, u.username)) continue;
    try {
      await createUser(couch, {
        username: u.username,
        name: u.name,
        password: DEMO_PASSWORD,
        memberships: u.memberships,
        orgId: u.orgId
      });
      users += 1;
    } catch (err) {
      if (statusOf(err) === 409 && (await findUser(couch, u.username))) continue;
      throw err;
    }
  }
  return { docs, users };
}
