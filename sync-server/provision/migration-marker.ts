/**
 * The region-wide record of a start-up migration: one document in `auth` per migration
 * (`migration:<name>`) listing the organizations done, so a start with everything done costs
 * one read, not one per database. An organization is added only after its work is final (its
 * compaction finished), so a start interrupted half-way simply runs it again; additions by
 * another instance are kept (read again and retry on conflict).
 */
import type nano from 'nano';
import { statusOf } from '../couch-status';

export interface MarkerRef {
  db: string;
  id: string;
}

interface Marker {
  _id: string;
  _rev?: string;
  type: 'migration';
  /** Organization id → when it was done. */
  done: Record<string, string>;
}

const COMPACTION_WAIT_MS = 120_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readMarker(couch: nano.ServerScope, ref: MarkerRef): Promise<Marker> {
  try {
    return (await couch.use<Marker>(ref.db).get(ref.id)) as Marker;
  } catch (err) {
    if (statusOf(err) === 404) return { _id: ref.id, type: 'migration', done: {} };
    throw err;
  }
}

async function markDone(couch: nano.ServerScope, ref: MarkerRef, orgs: readonly string[], at: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const marker = await readMarker(couch, ref);
    for (const org of orgs) marker.done[org] ??= at;
    try {
      await couch.use<Marker>(ref.db).insert(marker);
      return;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }
  throw new Error(`could not record ${ref.id} (the marker kept changing)`);
}

/**
 * Runs `migrate` for each organization the marker does not list yet, one after another, and
 * records those it reports done. Returns the organizations recorded.
 */
export async function migratePendingOrgs(
  couch: nano.ServerScope,
  ref: MarkerRef,
  orgIds: readonly string[],
  migrate: (orgId: string) => Promise<boolean>
): Promise<string[]> {
  const marker = await readMarker(couch, ref);
  const done: string[] = [];
  for (const org of orgIds) if (!marker.done[org] && (await migrate(org))) done.push(org);
  if (done.length) await markDone(couch, ref, done, new Date().toISOString());
  return done;
}

/** Compacts a database and waits for it; false when it is still running after two minutes. */
export async function compacted(couch: nano.ServerScope, db: string): Promise<boolean> {
  await couch.db.compact(db);
  const until = Date.now() + COMPACTION_WAIT_MS;
  for (;;) {
    const info = (await couch.db.get(db)) as { compact_running?: boolean };
    if (!info.compact_running) return true;
    if (Date.now() > until) return false;
    await sleep(250);
  }
}
