/**
 * Region reference data (organizations, people, catalog, road sections, alerts, IZS hand-offs)
 * can be changed through the gateway by whoever the role table lets write it, not only through
 * `/api/admin`. Every such write is recorded in the audit log like an administrative action:
 * who, when, from where, and the document before and after. Entries are written after CouchDB
 * accepted the documents (a refused write changed nothing and is not recorded), in one batch per
 * request; a failure to record is logged loudly and never undoes the write.
 */
import { parseDbName } from '../../src/lib/domain/databases';
import type { AcceptedWrite } from '../gateway/lifecycle-hook';
import type { AuditLog } from './audit-log';

/** A stored version without CouchDB's bookkeeping, as the audit shows it. */
function plain(doc: Record<string, unknown> | null): Record<string, unknown> | undefined {
  if (!doc) return undefined;
  const { _rev, _revisions, _id, ...rest } = doc;
  void _rev;
  void _revisions;
  return { id: _id, ...rest };
}

export function regionWriteAction(kind: string, before: unknown, after: Record<string, unknown>): string {
  const verb = after._deleted ? 'delete' : before ? 'edit' : 'create';
  return `region.${kind}.${verb}`;
}

export function regionWriteAudit(audit: Pick<AuditLog, 'appendMany'>): (write: AcceptedWrite) => Promise<void> {
  return async ({ user, db, ip, docs }) => {
    const ref = parseDbName(db);
    if (ref?.kind !== 'region') return;
    await audit.appendMany(
      docs.map(({ before, after }) => ({
        actor: user.id,
        ip,
        action: regionWriteAction(ref.collection, before, after),
        target: `${ref.collection}:${String(after._id)}`,
        ...(before ? { before: plain(before) } : {}),
        after: plain(after),
        detail: 'sync'
      }))
    );
  };
}
