/**
 * The audit log: one append-only document per administrative action, sign-in, failed sign-in
 * and password reset, in the private `audit` database that the gateway never exposes. An
 * entry is written once and never updated; its id starts with the server's time, so a time
 * range is a key range. Writing an entry must not fail the action it records after the fact,
 * so callers write it after the change and a failure is logged loudly.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';

export const AUDIT_DB = 'audit';

export interface AuditEntry {
  at: string;
  /** Username of who acted; the attempted username for failed sign-ins. */
  actor: string;
  /** Client address as the server saw it. */
  ip: string;
  /** Stable code, e.g. `org.create`, `user.deactivate`, `signin.failed`. */
  action: string;
  /** What was acted on: `org:<id>`, `user:<username>`, `catalog:<id>`, … */
  target?: string;
  before?: unknown;
  after?: unknown;
  detail?: string;
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  /** Substring searched in target and detail. */
  q?: string;
  limit?: number;
}

type StoredEntry = AuditEntry & { _id: string; type: 'audit' };

export class AuditLog {
  constructor(
    private readonly couch: nano.ServerScope,
    private readonly log: FastifyBaseLogger
  ) {}

  private get db() {
    return this.couch.use<StoredEntry>(AUDIT_DB);
  }

  async append(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const at = new Date().toISOString();
    const doc: StoredEntry = { _id: `${at}:${randomBytes(4).toString('hex')}`, type: 'audit', at, ...entry };
    try {
      await this.db.insert(doc);
    } catch (err) {
      this.log.error(
        { err: (err as Error).message, action: entry.action, target: entry.target },
        'AUDIT ENTRY NOT WRITTEN'
      );
    }
  }

  /** Several entries of one request in one write; each keeps its own id and time. */
  async appendMany(entries: Omit<AuditEntry, 'at'>[]): Promise<void> {
    if (!entries.length) return;
    const at = new Date().toISOString();
    const docs: StoredEntry[] = entries.map((entry) => ({
      _id: `${at}:${randomBytes(4).toString('hex')}`,
      type: 'audit',
      at,
      ...entry
    }));
    try {
      const rows = await this.db.bulk({ docs });
      const failed = rows.filter((r) => r.error);
      if (failed.length) throw new Error(`${failed.length} of ${docs.length}: ${failed[0].error}`);
    } catch (err) {
      this.log.error(
        { err: (err as Error).message, actions: entries.map((e) => e.action), targets: entries.map((e) => e.target) },
        'AUDIT ENTRY NOT WRITTEN'
      );
    }
  }

  /** Newest first, filtered; reads in pages so a long log never loads at once. */
  async search(query: AuditQuery): Promise<AuditEntry[]> {
    const limit = Math.min(query.limit ?? 200, 10_000);
    const out: AuditEntry[] = [];
    // Descending: startkey is the upper bound. `\ufff0` sorts after any suffix of the same instant.
    let startkey = query.to ? `${query.to}\ufff0` : '\ufff0';
    const endkey = query.from ?? '';
    const q = query.q?.toLowerCase();
    let skip = 0;
    for (;;) {
      const page = await this.db.list({ descending: true, startkey, endkey, include_docs: true, limit: 500, skip });
      for (const row of page.rows) {
        const d = row.doc;
        if (!d || d.type !== 'audit') continue;
        if (query.actor && d.actor !== query.actor) continue;
        if (query.action && !d.action.startsWith(query.action)) continue;
        if (q && !`${d.target ?? ''} ${d.detail ?? ''} ${d.actor}`.toLowerCase().includes(q)) continue;
        out.push({
          at: d.at,
          actor: d.actor,
          ip: d.ip,
          action: d.action,
          ...(d.target !== undefined ? { target: d.target } : {}),
          ...(d.before !== undefined ? { before: d.before } : {}),
          ...(d.after !== undefined ? { after: d.after } : {}),
          ...(d.detail !== undefined ? { detail: d.detail } : {})
        });
        if (out.length >= limit) return out;
      }
      if (page.rows.length < 500) return out;
      // Next page: from the last id read, skipping that one row.
      startkey = page.rows[page.rows.length - 1].id;
      skip = 1;
    }
  }
}

/** Removes what an audit entry must never hold (password hashes, reset code hashes). */
export function redactUser(user: object | null | undefined): Record<string, unknown> | undefined {
  if (!user) return undefined;
  const { passwordHash, reset, _rev, ...rest } = user as Record<string, unknown>;
  void passwordHash;
  void _rev;
  return { ...rest, ...(reset ? { reset: 'code issued' } : {}) };
}
