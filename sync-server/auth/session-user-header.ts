/**
 * A device's store belongs to one user, but a browser's cookie jar follows whoever signed in
 * last. The app names its store's user in `x-sync-user` on every sync request; a session of
 * someone else is refused here, before any data moves either way, with 409 and
 * `session_mismatch`, which the app shows as "signed in as someone else" and stops syncing.
 * Without the header (PouchDB, curl, another CouchDB) nothing changes: the session decides.
 */
import type { FastifyRequest } from 'fastify';
import { SESSION_MISMATCH, SESSION_USER_HEADER } from '../../src/lib/domain/sync-protocol';

export function sessionUserMismatch(request: FastifyRequest): { error: string; reason: string; user: string } | null {
  const raw = request.headers[SESSION_USER_HEADER];
  if (raw === undefined || !request.user) return null;
  let claimed: string;
  try {
    claimed = decodeURIComponent(Array.isArray(raw) ? raw.join(',') : raw);
  } catch {
    claimed = String(raw);
  }
  if (claimed === request.user.id) return null;
  return {
    error: SESSION_MISMATCH,
    user: request.user.id,
    reason: `this browser is now signed in as ${request.user.id}, not ${claimed}: sign in again to sync ${claimed}'s data`
  };
}
