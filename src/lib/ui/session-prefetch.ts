/**
 * The session's first requests, started when the app's code starts (the client hooks module,
 * `hooks.client.ts`) instead of when the frame has mounted: who is signed in (`/api/me`) and,
 * on a device that holds nothing of the person's yet, its first sync pages (`early-pull.ts`).
 *
 * The frame mounts only after the route's code and the first render's messages are in: on a
 * new device the first sync request went out 580–780 ms after the navigation, most of it that
 * chain of downloads; started here, 370–470 ms. The session's start takes what was started
 * here (once) and goes on as before; it starts the same requests itself when nothing was.
 *
 * Not on the sign-in page (nobody is signed in there yet, and a 401 kept for later would send
 * the person back to it after signing in), and not while an offline sign-out is waiting to
 * reach the server: nothing may use the cookie before it has (`finishPendingLogout`).
 */
import { fetchMe, hasPendingLogout, type Me } from '$lib/api';
import type { EarlyPulls } from '$lib/db/early-pull';
import type { OpenedDb } from './early-open';
import { listStores, storePrefix } from '$lib/db/local-names';
import { prefetchDataLayer } from './data-layer';

export interface StartedSession {
  me: Promise<Me>;
  /** The early pulls for `me`; null when the device holds the person's data, or on any failure. */
  early: Promise<EarlyPulls | null>;
  /** A new device's database, opened here (`early-open.ts`); null where it was not. Rejects if its open failed. */
  db: Promise<OpenedDb | null>;
}

export interface PrefetchOptions {
  /** Opens a new device's database once `me` and its early pulls are in (`openNewDevice`); not opened here without it. */
  open?: (me: Me, early: EarlyPulls, pathname: string) => Promise<OpenedDb | null>;
}

let started: StartedSession | null = null;

/** Starts the session's first requests for a page of the app opened at `pathname`. */
export function prefetchSession(pathname: string, opts: PrefetchOptions = {}): void {
  if (started || pathname === '/login' || pathname.startsWith('/login/') || hasPendingLogout()) return;
  const me = fetchMe();
  // Its code is fetched while the answer comes: asked for after the answer, it came 150–250 ms
  // later on a new device, behind the route's own code.
  const code = import('$lib/db/early-pull');
  // Whether the device holds the person's stores is asked now too, not after the answer.
  const stores = listStores();
  // Taken later, or never (the session may be started otherwise): not an unhandled rejection here.
  me.catch(() => undefined);
  const early = earlyPullsFor(me, code, stores);
  const { open } = opts;
  const db = open
    ? Promise.all([me, early]).then(([who, pulls]) => (pulls ? open(who, pulls, pathname) : null))
    : Promise.resolve(null);
  // Taken by the session after `me`, or never: not an unhandled rejection here.
  db.catch(() => undefined);
  started = { me, early, db };
  // A new device opens its stores first thing, and shows nothing before: the data layer's code
  // is asked as soon as the browser is found to hold no one's stores (or, on a device shared with
  // others, none of this person's), not once the frame has mounted and opens the session. Asked
  // then, it arrived about 1.2 s after the navigation, and the first sync page waited for it.
  const anyone = storePrefix();
  void stores.then((names) => {
    if (names && !names.some((name) => name.startsWith(anyone))) prefetchDataLayer();
  });
  void early.then((pulls) => {
    if (pulls) prefetchDataLayer();
  });
}

/**
 * A new device's first pages for `me` (`early-pull.ts`); null when the device holds the
 * person's data, or on any failure (the pull then asks itself).
 */
export function earlyPullsFor(
  me: Me | Promise<Me>,
  code: Promise<typeof import('$lib/db/early-pull')> = import('$lib/db/early-pull'),
  stores?: Promise<readonly string[] | null>
): Promise<EarlyPulls | null> {
  return Promise.all([me, code])
    .then(([who, m]) => m.startEarlyPulls(who, { stores }))
    .catch(() => null);
}

/** What `prefetchSession` started, handed out once. */
export function takeStartedSession(): StartedSession | null {
  const s = started;
  started = null;
  return s;
}
