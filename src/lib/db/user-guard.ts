/**
 * Each local store syncs with its own user's session only. Browser tabs share one cookie: a
 * tab left open while another person signs in elsewhere would otherwise pull the new user's
 * data into the first user's store and push the first user's edits under the new session.
 * So every pull and every push first asks `/api/me` who the cookie belongs to; one answer
 * serves the requests that asked while it was on its way (the collections of one cycle start
 * together), never a later one, which could follow a switch. Another user stops the
 * sync for good and reports it; no data moves under the wrong session. A 401 (signed out,
 * expired) is an ordinary auth failure that is retried.
 */
import { SyncHttpError, type FetchLike } from './couch-http';

export class SessionMismatchError extends Error {
  constructor(readonly actual: string) {
    super(`The session now belongs to ${actual}; this window's data belongs to another user.`);
    this.name = 'SessionMismatchError';
  }
}

export type UserGuard = () => Promise<void>;

export function createUserGuard(
  fetchFn: FetchLike,
  origin: string,
  userId: string,
  onMismatch: (actual: string) => void
): UserGuard {
  let inflight: Promise<void> | null = null;
  let mismatch: string | null = null;

  const check = async () => {
    let res: Response;
    try {
      res = await fetchFn(`${origin}/api/me`, { headers: { accept: 'application/json' } });
    } catch (err) {
      throw new SyncHttpError((err as Error).message ?? 'network error', 0);
    }
    if (!res.ok) throw new SyncHttpError(`session check: HTTP ${res.status}`, res.status);
    const body = (await res.json()) as { user?: { id?: string }; id?: string };
    const actual = body.user?.id ?? body.id ?? '';
    if (actual !== userId) {
      mismatch = actual;
      onMismatch(actual);
      throw new SessionMismatchError(actual);
    }
  };

  return async () => {
    if (mismatch !== null) throw new SessionMismatchError(mismatch);
    inflight ??= check().finally(() => (inflight = null));
    return inflight;
  };
}
