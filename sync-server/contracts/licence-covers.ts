/**
 * Keeps the read-only copies of region-wide licence agreements (`licence_cover`, see
 * `domain/assets/licence-covers.ts`) in the registers of the organizations they cover, so an
 * organization's manager sees the agreements its seats draw on without reading the regional
 * office's register.
 *
 * At start, what the last start found is kept in `auth` (`licence-covers:state`: the
 * region-wide agreements and the update sequence of each register once its copies were in
 * line), so a register that has not moved since is neither read nor written: a start with
 * nothing changed reads that one document, not two key ranges of every register (~280 reads
 * at region scale). A register that moved, or is new, has its agreements (`lic:<org>:`, a few
 * documents) read again and its copies brought in line; when a region-wide agreement changed,
 * every organization's copies are. The sequences come from the change notifier's baseline
 * (`ChangeNotifier.start` runs this before it follows the feed), so the writes are not news.
 *
 * Afterwards, when the change notifier names a register, only that register's agreements are
 * read again; the copies are rewritten only when a region-wide agreement changed (or an
 * organization appeared). Runs one pass at a time; a failed pass is logged and the next change
 * tries again. Writes go straight to CouchDB: the gateway refuses this type to everyone.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { COVER_TYPE, isRegionAgreement, planCovers } from '../../src/lib/domain/assets/licence-covers';
import { orgDb, parseDbName } from '../../src/lib/domain/databases';
import { AUTH_DB } from '../auth/users';
import { isStatus } from '../couch-status';

type Doc = Record<string, unknown>;
type Stored = Doc & { _id: string; _rev: string };

/** What the last start left: held agreements, and each aligned register's update sequence. */
export const COVERS_STATE_ID = 'licence-covers:state';
/**
 * The copies' id scheme the state vouches for. A state of another format (copies named
 * `cover:<agreement>` before the organization was part of the id) is not trusted: every
 * register is aligned again, which removes the old copies and writes the new ones.
 */
const COVERS_FORMAT = 2;
interface CoversState {
  _id: string;
  _rev?: string;
  type: 'licence-covers';
  format?: number;
  held: Record<string, Doc[]>;
  seqs: Record<string, string>;
}

const sameEntries = (a: object, b: object) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

const fromStored = ({ _id, _rev: _r, ...rest }: Stored): Doc => ({ id: _id, ...rest });

async function range(couch: nano.ServerScope, db: string, prefix: string): Promise<Stored[]> {
  try {
    const res = await couch.use<Stored>(db).list({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
    return res.rows.flatMap((r) => (r.doc ? [r.doc as Stored] : []));
  } catch (err) {
    if (isStatus(err, 404)) return [];
    throw err;
  }
}

export class LicenceCovers {
  /** Region-wide agreements per organization holding them. */
  private readonly held = new Map<string, Doc[]>();
  private readonly applied = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly orgIds: () => readonly string[],
    private readonly log?: FastifyBaseLogger
  ) {}

  private async readAgreements(orgId: string): Promise<boolean> {
    const docs = (await range(this.couch, orgDb(orgId, 'assets'), `lic:${orgId}:`)).map(fromStored);
    const region = docs.filter(isRegionAgreement);
    const before = JSON.stringify(this.held.get(orgId) ?? []);
    if (region.length) this.held.set(orgId, region);
    else this.held.delete(orgId);
    return JSON.stringify(region) !== before;
  }

  /** Brings one organization's copies in line; how many documents were written, and whether all were. */
  private async applyTo(orgId: string): Promise<{ written: number; ok: boolean }> {
    const db = orgDb(orgId, 'assets');
    const stored = await range(this.couch, db, 'cover:');
    const existing = stored.filter((d) => d.type === COVER_TYPE);
    const { write, remove } = planCovers([...this.held.values()].flat(), orgId, existing.map(fromStored));
    const revOf = new Map(existing.map((d) => [d._id, d._rev]));
    const docs = [
      ...write.map(({ id, ...rest }) => ({
        _id: String(id),
        ...(revOf.has(String(id)) ? { _rev: revOf.get(String(id)) } : {}),
        ...rest
      })),
      ...remove.map((d) => ({ _id: String(d.id), _rev: revOf.get(String(d.id)), _deleted: true }))
    ];
    let ok = true;
    if (docs.length) {
      const rows = (await this.couch.use(db).bulk({ docs })) as { error?: string; reason?: string }[];
      const failed = rows.filter((r) => r.error);
      if (failed.length) this.log?.warn({ db, failed }, 'some copies of region-wide agreements were not written');
      ok = failed.length === 0;
    }
    this.applied.add(orgId);
    return { written: docs.length, ok };
  }

  private run(pass: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(pass).catch((err: Error) => {
      this.log?.error({ err: err.message }, 'copies of region-wide licence agreements not updated');
    });
    return this.queue;
  }

  private async loadState(): Promise<CoversState | null> {
    try {
      return (await this.couch.use<CoversState>(AUTH_DB).get(COVERS_STATE_ID)) as CoversState;
    } catch (err) {
      if (isStatus(err, 404)) return null;
      throw err;
    }
  }

  /**
   * Aligns the copies of every register that moved since the last start (every one on the
   * first start), given each database's current update sequence; returns the databases
   * written (registers, and `auth` when the state was saved).
   */
  start(seqOf: (db: string) => string | undefined): Promise<string[]> {
    const wrote: string[] = [];
    const pass = this.run(async () => {
      const orgs = this.orgIds();
      const stored = await this.loadState();
      const state = stored?.format === COVERS_FORMAT ? stored : null;
      for (const [org, docs] of Object.entries(state?.held ?? {})) this.held.set(org, docs);
      const stale = orgs.filter((o) => {
        const seq = seqOf(orgDb(o, 'assets'));
        return seq === undefined || state?.seqs[orgDb(o, 'assets')] !== seq;
      });
      let moved = !state || Object.keys(state.held).some((o) => !orgs.includes(o));
      for (const org of [...this.held.keys()]) if (!orgs.includes(org)) this.held.delete(org);
      for (const org of stale) moved = (await this.readAgreements(org)) || moved;
      const targets = new Set(moved ? orgs : stale);
      const seqs: Record<string, string> = {};
      let written = 0;
      for (const org of orgs) {
        const db = orgDb(org, 'assets');
        if (!targets.has(org)) {
          this.applied.add(org);
          seqs[db] = state!.seqs[db];
          continue;
        }
        const r = await this.applyTo(org);
        written += r.written;
        if (r.written) wrote.push(db);
        const seq = r.written ? String((await this.couch.db.get(db)).update_seq) : seqOf(db);
        if (r.ok && seq !== undefined) seqs[db] = seq;
      }
      if (written) this.log?.info({ written }, 'copies of region-wide licence agreements updated');
      const held = Object.fromEntries(this.held);
      if (state && sameEntries(state.held, held) && sameEntries(state.seqs, seqs)) return;
      try {
        await this.couch.use<CoversState>(AUTH_DB).insert({
          _id: COVERS_STATE_ID,
          ...(stored?._rev ? { _rev: stored._rev } : {}),
          type: 'licence-covers',
          format: COVERS_FORMAT,
          held,
          seqs
        });
      } catch (err) {
        // Another instance starting at the same moment saved its own: the next start reads a little more.
        if (!isStatus(err, 409)) throw err;
      }
      wrote.push(AUTH_DB);
    });
    return pass.then(() => wrote);
  }

  /** The change notifier named these databases. */
  changed(dbs: readonly string[]): Promise<void> {
    const registers = dbs.flatMap((db) => {
      const ref = parseDbName(db);
      return ref?.kind === 'org' && ref.collection === 'assets' ? [ref.orgId] : [];
    });
    const known = new Set(this.orgIds());
    const fresh = [...known].filter((o) => !this.applied.has(o));
    if (!registers.length && !fresh.length) return this.queue;
    return this.run(async () => {
      let moved = false;
      for (const org of registers) if (known.has(org)) moved = (await this.readAgreements(org)) || moved;
      const targets = moved ? [...known] : fresh;
      for (const org of targets) await this.applyTo(org);
    });
  }
}
