/**
 * A new device's local database, opened from the client hooks (`session-prefetch.ts`) as soon as
 * the person, their early pages and the data layer's code are in, instead of once the frame's
 * code has loaded and mounted and the session starts: on a new device nothing shows before the
 * database is open, and its first sync page waited for that mount (0.1-0.5 s after the data
 * layer's code had arrived, on a 2-core machine). The session takes the open database
 * (`session.svelte.ts`) and gives it its handlers then.
 */
// messages: none
import type { Me } from '$lib/api';
import type { AppDb, OpenOptions } from '$lib/db';
import type { EarlyPulls } from '$lib/db/early-pull';

export type DbHandlers = Required<Pick<OpenOptions, 'onSessionMismatch' | 'onAccessChanged'>>;

export interface OpenedDb {
  db: AppDb;
  /** Gives the session's handlers; what the database told before is told to them now, in order. */
  bind(handlers: DbHandlers): void;
}

/** Handlers for a database opened before anyone could handle what it tells: kept until `bind`. */
export function lateHandlers(): { options: DbHandlers; bind(handlers: DbHandlers): void } {
  let bound: DbHandlers | null = null;
  const waiting: ((h: DbHandlers) => void)[] = [];
  const call = (tell: (h: DbHandlers) => void) => (bound ? tell(bound) : void waiting.push(tell));
  return {
    options: {
      onSessionMismatch: (actual) => call((h) => h.onSessionMismatch(actual)),
      onAccessChanged: (next) => call((h) => h.onAccessChanged(next))
    },
    bind(handlers) {
      bound = handlers;
      for (const tell of waiting.splice(0)) tell(handlers);
    }
  };
}

/** Opens `me`'s database (the data layer's code is imported first), the collections of the page at `pathname` filled first. */
export async function openDb(me: Me, early: EarlyPulls | null, pathname: string, handlers: DbHandlers): Promise<AppDb> {
  const [{ openUserDb }, { collectionsFirst }] = await Promise.all([import('$lib/db'), import('$lib/ui/nav-items')]);
  // What the person opened fills first; the rest of a new device follows.
  return openUserDb(me, { early, firstSyncFirst: collectionsFirst(me.user, pathname), ...handlers });
}

/**
 * Opens `me`'s database on a new device, before the session can handle what it tells; null (the
 * session opens it after the first paint) where the page paints without data (`landsWithoutData`).
 */
export async function openNewDevice(me: Me, early: EarlyPulls, pathname: string): Promise<OpenedDb | null> {
  if ((await import('$lib/ui/nav-items')).landsWithoutData(me.user, pathname)) return null;
  const late = lateHandlers();
  return { db: await openDb(me, early, pathname, late.options), bind: late.bind };
}
