/**
 * The organizations the access rules know of, loaded from `region_orgs` and kept current
 * from its changes. An organization that appears there gets its databases provisioned
 * before it shows up in `list()`, so nobody is ever granted a database that does not exist.
 * Reloads are serialized; a change during a reload triggers one more. A reload that fails is
 * tried again by itself, sooner first and then every few minutes, until one succeeds: the list
 * decides who reads what (a closed organization's databases), so it must not stay stale until
 * the next change of `region_orgs` happens to come.
 */
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import type { OrgInfo } from '../../src/lib/domain/access';
import { ORG_ID_PATTERN, regionDb } from '../../src/lib/domain/databases';
import { provisionOrg } from './provision';
import { isStatus } from '../couch-status';

export const ORGS_DB = regionDb('orgs');

interface OrgDoc {
  _id: string;
  district?: string;
  founder?: string;
  kind?: string;
  closedAt?: string;
  allowBudgetAccountantSamePerson?: boolean;
  _deleted?: boolean;
}

/** The first retry of a failed reload; each next waits twice as long, up to `RETRY_MAX_MS`. */
const RETRY_FIRST_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;

export class OrgRegistry {
  private orgs: OrgInfo[] = [];
  private provisioned = new Set<string>();
  private running: Promise<void> | null = null;
  private again = false;
  /** Increases with every change of the list, so callers can cache what they derive from it. */
  version = 0;
  /** Why the last reload failed (cleared by the next one that succeeds); shown by /api/health. */
  lastError: { message: string; at: string } | null = null;
  private listeners = new Set<() => void>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private nextDelay: number;
  private closed = false;

  constructor(
    private readonly couch: nano.ServerScope,
    private readonly log: FastifyBaseLogger,
    private readonly retryFirstMs = RETRY_FIRST_MS
  ) {
    this.nextDelay = retryFirstMs;
  }

  /** Stops retrying (the server is closing). */
  close(): void {
    this.closed = true;
    this.stopRetry();
  }

  list(): OrgInfo[] {
    return this.orgs;
  }

  get(id: string): OrgInfo | undefined {
    return this.orgs.find((o) => o.id === id);
  }

  /**
   * Calls `listener` whenever the list changed (an organization added, closed, reopened, moved
   * to another district), right after `list()` returns the new one. Returns the unsubscribe.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks organizations whose databases the start-up provisioning already made. */
  markProvisioned(ids: Iterable<string>): void {
    for (const id of ids) this.provisioned.add(id);
  }

  /** Reloads now; resolves when the list (and new organizations' databases) are current. */
  reload(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.load();
        } while (this.again);
        this.lastError = null;
        this.nextDelay = this.retryFirstMs;
        this.stopRetry();
      } catch (err) {
        this.lastError = { message: (err as Error).message, at: new Date().toISOString() };
        this.scheduleRetry();
        throw err;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.nextDelay;
    this.nextDelay = Math.min(delay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.reload().catch((err: Error) =>
        this.log.error({ err: err.message, retryInMs: this.nextDelay }, 'organization reload failed again')
      );
    }, delay);
    this.retryTimer.unref();
  }

  private stopRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async load(): Promise<void> {
    const res = await this.couch.use<OrgDoc>(ORGS_DB).list({ include_docs: true });
    const next: OrgInfo[] = [];
    for (const row of res.rows) {
      const doc = row.doc;
      if (!doc || doc._id.startsWith('_design/') || !ORG_ID_PATTERN.test(doc._id)) continue;
      next.push({
        id: doc._id,
        district: doc.district ?? '',
        founder: doc.founder,
        kind: doc.kind,
        ...(doc.closedAt ? { closed: true } : {}),
        ...(doc.allowBudgetAccountantSamePerson ? { allowBudgetAccountantSamePerson: true } : {})
      });
    }
    for (const org of next) {
      if (this.provisioned.has(org.id)) continue;
      const report = await provisionOrg(this.couch, org.id);
      this.provisioned.add(org.id);
      this.log.info({ org: org.id, created: report.createdDbs.length }, 'organization provisioned');
    }
    const changed = JSON.stringify(next) !== JSON.stringify(this.orgs);
    this.orgs = next;
    if (!changed) return;
    this.version += 1;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (err) {
        // A listener's failure is its own; the list is current for everyone else.
        this.log.error({ err: (err as Error).message }, 'a listener of the organization list failed');
      }
    }
  }
}

/** Reads the organization ids stored in `region_orgs` (for start-up provisioning). */
export async function storedOrgIds(couch: nano.ServerScope): Promise<string[]> {
  try {
    const res = await couch.use(ORGS_DB).list();
    return res.rows.map((r) => r.id).filter((id) => ORG_ID_PATTERN.test(id));
  } catch (err) {
    if (isStatus(err, 404)) return [];
    throw err;
  }
}
