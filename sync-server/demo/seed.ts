/**
 * The demo region: seeded on an empty embedded store (DEMO=auto), always with DEMO=1
 * (also against Apache CouchDB), never with DEMO=0. Seeding is idempotent: documents that
 * exist are left alone, so a restart never duplicates or overwrites data people changed.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import type { DemoMode } from '../config';
import type { CouchMode } from '../plugins/couch';
import { ORGS_DB } from '../provision/org-registry';

export interface SeedOptions {
  demo: DemoMode;
  mode: CouchMode;
  log: FastifyBaseLogger;
}

export async function seedDemoIfWanted(couch: nano.ServerScope, opts: SeedOptions): Promise<boolean> {
  if (opts.demo === 'off') return false;
  if (opts.demo === 'auto') {
    if (opts.mode !== 'embedded') return false;
    const info = await couch.db.get(ORGS_DB);
    if (info.doc_count > 1) return false;
  }
  // Filled in by the demo data module.
  return false;
}
