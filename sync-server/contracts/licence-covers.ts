/**
 * Keeps the read-only copies of region-wide licence agreements (`licence_cover`, see
 * `domain/assets/licence-covers.ts`) in the registers of the organizations they cover, so an
 * organization's manager sees the agreements its seats draw on without reading the regional
 * office's register.
 *
 * At start every register's agreements (`lic:<org>:` key range, a few documents) are read and
 * every organization's copies brought in line. Afterwards, when the change notifier names a
 * register, only that register's agreements are read again; the copies are rewritten only when
 * a region-wide agreement changed (or an organization appeared). Runs one pass at a time; a
 * failed pass is logged and the next change tries again. Writes go straight to CouchDB: the
 * gateway refuses this type to everyone.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { COVER_TYPE, isRegionAgreement, planCovers } from '../../src/lib/domain/assets/licence-covers';
import { orgDb, parseDbName } from '../../src/lib/domain/databases';

type Doc = Record<string, unknown>;
type Stored = Doc & { _id: string; _rev: string };

const fromStored = ({ _id, _rev: _r, ...rest }: Stored): Doc => ({ id: _id, ...rest });

async function range(couch: nano.ServerScope, db: string, prefix: string): Promise<Stored[]> {
  try {
    const res = await couch.use<Stored>(db).list({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
    return res.rows.flatMap((r) => (r.doc ? [r.doc as Stored] : []));
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return [];
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

  /** Brings one organization's copies in line; returns how many documents were written. */
  private async applyTo(orgId: string): Promise<number> {
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
    if (docs.length) {
      const rows = (await this.couch.use(db).bulk({ docs })) as { error?: string; reason?: string }[];
      const failed = rows.filter((r) => r.error);
      if (failed.length) this.log?.warn({ db, failed }, 'some copies of region-wide agreements were not written');
    }
    this.applied.add(orgId);
    return docs.length;
  }

  private run(pass: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(pass).catch((err: Error) => {
      this.log?.error({ err: err.message }, 'copies of region-wide licence agreements not updated');
    });
    return this.queue;
  }

  /** Reads every register's agreements and aligns every organization's copies. */
  start(): Promise<void> {
    return this.run(async () => {
      for (const org of this.orgIds()) await this.readAgreements(org);
      let written = 0;
      for (const org of this.orgIds()) written += await this.applyTo(org);
      if (written) this.log?.info({ written }, 'copies of region-wide licence agreements updated');
    });
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
