/**
 * The app's calls to the sync server's own API (`/api/*`), and the copy of `/api/me` kept on
 * the device. That copy is what lets a signed-in person open the app and their local data
 * with no network: the session cookie cannot be checked offline, so the last answer stands
 * in for it until the server can be asked again.
 *
 * It shows no text itself (callers word its `ApiError` codes): the session's first request
 * (`/api/me`, asked from `hooks.client.ts`) leaves without waiting for any messages to load.
 */
// messages: none
import type { DbAccess, Membership } from './domain/access';

export interface Me {
  user: { id: string; name: string; memberships: Membership[] };
  databases: DbAccess[];
  /** The server's event stream position when it answered (`/api/me`), before the reads this answer starts. */
  eventsFrom?: string;
}

/** Stable reasons a call failed, for the UI to put into words. */
export type ApiErrorCode = 'offline' | 'unauthorized' | 'invalid-credentials' | 'rate-limited' | 'busy' | 'server';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly status = 0,
    /** For `busy`: when the server asked to be tried again (its Retry-After), seconds. */
    readonly retryAfterSeconds = 0
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const ME_KEY = 'ict.me';
/** A sign-out the server has not heard of yet (made offline): its session must still end. */
const PENDING_LOGOUT_KEY = 'ict.pendingLogout';

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: {
        accept: 'application/json',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...init.headers
      }
    });
  } catch (e) {
    throw new ApiError('offline', e instanceof Error ? e.message : String(e));
  }
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { message?: string; error?: string; reason?: string };
    return body.message ?? body.reason ?? body.error ?? res.statusText;
  } catch {
    return res.statusText;
  }
}

export async function login(username: string, password: string): Promise<void> {
  const res = await call('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  if (res.ok) return;
  const message = await errorMessage(res);
  if (res.status === 401 || res.status === 400) throw new ApiError('invalid-credentials', message, res.status);
  if (res.status === 429) throw new ApiError('rate-limited', message, res.status);
  // Many people signing in at once: the server checks passwords in turn and says when to come back.
  const retryAfter = Number(res.headers.get('retry-after'));
  if (res.status === 503 && Number.isFinite(retryAfter) && retryAfter > 0)
    throw new ApiError('busy', message, res.status, Math.min(retryAfter, 120));
  throw new ApiError('server', message, res.status);
}

/**
 * Ends the session. `pushEndpoint`: this device's push subscription, which the server drops
 * with the session, so the person's reminders and alerts stop reaching a device they left.
 */
export async function logout(pushEndpoint?: string): Promise<void> {
  const res = await call('/api/auth/logout', {
    method: 'POST',
    body: JSON.stringify(pushEndpoint ? { pushEndpoint } : {})
  });
  if (!res.ok && res.status !== 401) throw new ApiError('server', await errorMessage(res), res.status);
}

/** The signed-in user and their databases; throws `unauthorized` without a valid session. */
export async function fetchMe(): Promise<Me> {
  const res = await call('/api/me');
  if (res.status === 401) throw new ApiError('unauthorized', await errorMessage(res), 401);
  if (!res.ok) throw new ApiError('server', await errorMessage(res), res.status);
  return normalizeMe(await res.json());
}

/** Accepts `{user, databases}` or the user's fields at the top level beside `databases`. */
export function normalizeMe(raw: unknown): Me {
  const r = raw as Partial<Me> & Partial<Me['user']>;
  const user = r.user ?? { id: r.id ?? '', name: r.name ?? r.id ?? '', memberships: r.memberships ?? [] };
  return {
    user: { ...user, memberships: user.memberships ?? [] },
    databases: r.databases ?? [],
    ...(typeof r.eventsFrom === 'string' ? { eventsFrom: r.eventsFrom } : {})
  };
}

export function cacheMe(me: Me): void {
  localStorage.setItem(ME_KEY, JSON.stringify(me));
}

export function cachedMe(): Me | null {
  try {
    const raw = localStorage.getItem(ME_KEY);
    return raw ? normalizeMe(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

/**
 * Whether this device still holds `userId`'s session. A sign-out, in any window, forgets it
 * first: what a window of that person stores afterwards (a page or inbox snapshot as it is
 * left) must not outlive the sign-out.
 */
export function holdsSessionOf(userId: string): boolean {
  return cachedMe()?.user.id === userId;
}

export function forgetMe(): void {
  localStorage.removeItem(ME_KEY);
}

export function rememberPendingLogout(pushEndpoint?: string): void {
  localStorage.setItem(PENDING_LOGOUT_KEY, JSON.stringify({ at: new Date().toISOString(), pushEndpoint }));
}

/** The push endpoint a pending sign-out is to drop (none in a mark an older version left). */
function pendingPushEndpoint(): string | undefined {
  try {
    const mark = JSON.parse(localStorage.getItem(PENDING_LOGOUT_KEY) ?? 'null') as { pushEndpoint?: unknown } | null;
    return typeof mark?.pushEndpoint === 'string' ? mark.pushEndpoint : undefined;
  } catch {
    return undefined;
  }
}

export function hasPendingLogout(): boolean {
  return typeof localStorage !== 'undefined' && localStorage.getItem(PENDING_LOGOUT_KEY) !== null;
}

/**
 * Ends on the server a session signed out offline. Returns false while that cannot be done
 * (still offline): until then the device must not use the cookie for anyone.
 */
export async function finishPendingLogout(): Promise<boolean> {
  if (!hasPendingLogout()) return true;
  try {
    await logout(pendingPushEndpoint());
  } catch {
    return false;
  }
  localStorage.removeItem(PENDING_LOGOUT_KEY);
  return true;
}
