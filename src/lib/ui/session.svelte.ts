/**
 * Who is signed in on this device and their local database. Starting the app asks the server
 * first; when it cannot be reached, the last `/api/me` stored on the device opens the local
 * data, so work continues offline. Only a definite "no session" from the server (401) sends
 * the person to the login page.
 */
import { goto } from '$app/navigation';
import { resolve } from '$app/paths';
import {
  ApiError,
  cacheMe,
  cachedMe,
  fetchMe,
  finishPendingLogout,
  forgetMe,
  login,
  logout,
  normalizeMe,
  rememberPendingLogout,
  type Me
} from '$lib/api';
import { m } from '$lib/i18n';
import { currentSubscription } from '$lib/ui/notifications/push-client';
import { forgetPageSnapshots, readPageSnapshot } from '$lib/ui/page-snapshot';
import { forgetInboxSnapshot, readInboxSnapshot } from '$lib/ui/portal/inbox-snapshot';
// The data layer (RxDB, PouchDB) loads only once someone is signed in: the login page stays light.
import type { AppDb } from '$lib/db';
import type { EarlyPulls } from '$lib/db/early-pull';
import { openDb, type DbHandlers, type OpenedDb } from './early-open';
import { earlyPullsFor, takeStartedSession } from './session-prefetch';
import { afterPaint } from './after-paint';

export type SessionPhase = 'starting' | 'anonymous' | 'ready';

/** Longest the data layer waits for the landing page to paint from the snapshot (slow devices). */
const FIRST_PAINT_WAIT_MS = 1500;
/** Longest the service worker's install waits for the first sync (`dataSettled`). */
const DATA_SETTLED_CAP_MS = 60_000;

const isAdministration = (pathname: string) =>
  pathname === resolve('/admin') || pathname.startsWith(`${resolve('/admin')}/`);

class Session {
  phase = $state<SessionPhase>('starting');
  me = $state.raw<Me | null>(null);
  db = $state.raw<AppDb | null>(null);
  /** The session was taken from the device because the server was unreachable. */
  fromCache = $state(false);
  error = $state<string | null>(null);
  /**
   * A reload paints its landing page (the inbox) from the device's snapshot while `db` is still
   * null; the data layer loads once that page has painted. Only pages that need no `db` show
   * meanwhile (`paintsWithoutDb`).
   */
  early = $state(false);
  /** A reload of a list page paints its last markup (`page-snapshot.ts`) until `db` is open. */
  pageSnapshot = $state.raw<{ path: string; html: string } | null>(null);
  #starting: Promise<void> | null = null;
  /** This start found none of the person's stores on the device: its first sync fills them. */
  #newDevice = false;
  #painted: (() => void) | null = null;

  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    // A sign-out made offline ends its session before anything else may use the cookie.
    if (typeof window !== 'undefined') window.addEventListener('online', () => void finishPendingLogout());
    // Started by the client hook while the frame's code loaded, when it could be (session-prefetch.ts).
    const started = takeStartedSession();
    if (!(await finishPendingLogout())) {
      this.#discardStarted(started?.db);
      this.phase = 'anonymous';
      return;
    }
    try {
      await this.#open(await (started?.me ?? fetchMe()), false, true, started?.early, started?.db);
    } catch (e) {
      this.#discardStarted(started?.db);
      const cached = cachedMe();
      if (e instanceof ApiError && e.code === 'offline' && cached) {
        await this.#open(cached, true, true);
      } else {
        if (e instanceof ApiError && e.code === 'unauthorized') forgetMe();
        // A database that failed to open must not leave the frame painted from the snapshot.
        this.early = false;
        this.pageSnapshot = null;
        this.phase = 'anonymous';
      }
    }
  }

  async #open(
    me: Me,
    fromCache: boolean,
    reload = false,
    earlyStarted?: Promise<EarlyPulls | null>,
    dbStarted?: Promise<OpenedDb | null>
  ): Promise<void> {
    if (!fromCache) cacheMe(me);
    let opened: OpenedDb | null = null;
    if (this.db && this.me?.user.id !== me.user.id) await this.#close();
    this.me = me;
    this.fromCache = fromCache;
    if (!this.db) {
      if (
        reload &&
        ((await this.#paintFromSnapshot(me)) ||
          (await this.#paintFromPageSnapshot(me)) ||
          (await this.#paintWithoutData(me)))
      )
        await this.#firstPaint();
      // A new device's database, opened while the frame loaded (`early-open.ts`). Its handlers are
      // given once the session is ready: a session mismatch it told before is acted on then.
      opened = fromCache ? null : ((await dbStarted) ?? null);
      if (opened) {
        this.#newDevice = true;
        this.db = opened.db;
      } else {
        // A device that holds nothing of the person's asks its first pages now, while the data layer loads.
        const early = fromCache ? null : await (earlyStarted ?? earlyPullsFor(me));
        this.#newDevice = !!early;
        this.db = await openDb(me, early, location.pathname, this.#dbHandlers());
      }
    }
    exposeForDiagnostics(this.db);
    this.watchOtherTabs();
    this.early = false;
    this.pageSnapshot = null;
    this.phase = 'ready';
    opened?.bind(this.#dbHandlers());
  }

  /** Closes a database the client hooks opened (`early-open.ts`) that this session did not take. */
  #discardStarted(db: Promise<OpenedDb | null> | undefined): void {
    void db?.then((opened) => (opened && opened.db !== this.db ? opened.db.close() : undefined)).catch(() => undefined);
  }

  /** What the database tells the session: another person's cookie, or this person's access changed. */
  #dbHandlers(): DbHandlers {
    return {
      onSessionMismatch: () => void this.#staleWindow(),
      // Memberships changed on the server: navigation, forms and the offline copy follow at once.
      onAccessChanged: (next) => {
        if (next.user.id !== this.me?.user.id) return;
        const fresh = normalizeMe(next);
        cacheMe(fresh);
        this.me = fresh;
        this.fromCache = false;
      }
    };
  }

  /**
   * Settles once this device has its data or cannot get it now: no one signed in, the sync
   * done (first or not), offline, a sync error, or `capMs` passed. The service worker's install
   * waits for it: its precache (some 300 files) on a new device would otherwise share the two
   * cores and the network with the first sync, which the person is waiting for.
   */
  dataSettled(capMs = DATA_SETTLED_CAP_MS): Promise<void> {
    if (!this.#starting) return Promise.resolve();
    return new Promise<void>((done) => {
      let stop = () => {};
      let ended = false;
      const finish = () => {
        if (ended) return;
        ended = true;
        clearTimeout(timer);
        stop();
        done();
      };
      const timer = setTimeout(finish, capMs);
      stop = $effect.root(() => {
        $effect(() => {
          const sync = this.db?.sync;
          // Not from inside the effect's own run: the root it would stop is still running it.
          if (this.phase === 'anonymous' || sync?.syncedOrOffline || (sync?.errors.length ?? 0) > 0)
            queueMicrotask(finish);
        });
      });
    });
  }

  /**
   * Settles once the session has started, and on a new device once its first sync settled too
   * (`dataSettled`): work that can wait (code for later clicks) stays off the two cores while a
   * new device stores what the person waits for. A device that held the person's data goes on
   * as soon as its database is open.
   */
  async firstSyncSettled(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    if (this.#newDevice) await this.dataSettled();
  }

  /**
   * The pages that paint before the data layer has loaded: home (which sends on), the inbox
   * (from its snapshot) and the administration (which reads the server, never the device).
   */
  paintsWithoutDb(pathname: string): boolean {
    return pathname === resolve('/') || pathname === resolve('/inbox') || isAdministration(pathname);
  }

  /**
   * On a reload landing on the inbox, shows its snapshot (`inbox-snapshot.ts`) so the page
   * paints before RxDB and its replication, the largest part of the app's code, have loaded.
   */
  async #paintFromSnapshot(me: Me): Promise<boolean> {
    if (typeof location === 'undefined' || !this.paintsWithoutDb(location.pathname)) return false;
    const snapshot = readInboxSnapshot(me.user.id);
    if (!snapshot || snapshot.items.length === 0) return false;
    // The frame's own modules (already loaded with it), kept off the login page.
    const [{ homeOf }, { inboxState }] = await Promise.all([
      import('$lib/ui/nav-items'),
      import('$lib/ui/portal/inbox-state.svelte')
    ]);
    if (homeOf(me.user, { work: new Set(['inbox']) })?.id !== 'inbox') return false;
    inboxState.restore(snapshot.items, snapshot.truncated);
    this.early = true;
    return true;
  }

  /**
   * On a reload of a list page the device has a snapshot of (its default view), shows that
   * markup inert while RxDB loads; the page itself replaces it once the database is open. Home
   * stands for the page it sends the person to at once (the dispatcher's desk, the crew's form).
   */
  async #paintFromPageSnapshot(me: Me): Promise<boolean> {
    if (typeof location === 'undefined' || location.search) return false;
    let path = location.pathname;
    if (path === resolve('/')) {
      const { homeWithoutWork } = await import('$lib/ui/nav-items');
      const home = homeWithoutWork(me.user)?.href;
      if (!home) return false;
      path = resolve(home as '/');
    }
    const html = readPageSnapshot(me.user.id, path);
    if (!html) return false;
    this.pageSnapshot = { path, html };
    this.early = true;
    return true;
  }

  /**
   * On a reload of the administration, or of home for a person whose home it is, paints it
   * before RxDB loads: its screens read the server, not the device, so an administrator's
   * first page carries none of the data layer.
   */
  async #paintWithoutData(me: Me): Promise<boolean> {
    if (typeof location === 'undefined') return false;
    const { landsWithoutData } = await import('$lib/ui/nav-items');
    const lands = landsWithoutData(me.user, location.pathname);
    if (lands) this.early = true;
    return lands;
  }

  /** Resolves once the landing page has painted (it calls `markPainted`), or after a while. */
  #firstPaint(): Promise<void> {
    return new Promise<void>((done) => {
      const timer = setTimeout(done, FIRST_PAINT_WAIT_MS);
      this.#painted = () => {
        this.#painted = null;
        clearTimeout(timer);
        void afterPaint().then(done);
      };
    });
  }

  /** The landing page has its content on screen: the data layer may load now. */
  markPainted(): void {
    this.#painted?.();
  }

  /** A device that knows the person may reopen their data without the network. */
  get offlineUser(): Me | null {
    return cachedMe();
  }

  async signIn(username: string, password: string): Promise<void> {
    // The previous person's session, signed out offline, ends before this one starts.
    if (!(await finishPendingLogout()))
      throw new ApiError('offline', 'The previous sign-out could not reach the server yet.');
    await login(username, password);
    // What the client hooks started for the cookie before this sign-in is nobody's now.
    this.#discardStarted(takeStartedSession()?.db);
    const me = await fetchMe();
    await this.#open(me, false);
    // Ask the browser to keep offline work when storage runs low; a refusal changes nothing.
    void navigator.storage?.persist?.().catch(() => false);
  }

  async continueOffline(): Promise<void> {
    const me = cachedMe();
    if (me) await this.#open(me, true);
  }

  /** Signs out; `wipe` also removes this person's local data (a shared tablet). */
  async signOut(wipe: boolean): Promise<void> {
    const userId = this.me?.user.id;
    // This device's push subscription goes with the session (the server drops it), and the
    // browser's is ended: the person's reminders and alerts must not reach a device they left.
    const push = await currentSubscription().catch(() => null);
    try {
      await logout(push?.endpoint);
    } catch {
      // Offline: remembered, and the session is ended on the server as soon as it can be
      // reached, before the next person's start or sign-in may use the cookie.
      rememberPendingLogout(push?.endpoint);
    }
    await push?.unsubscribe().catch(() => false);
    await this.#close();
    forgetMe();
    forgetInboxSnapshot();
    forgetPageSnapshots();
    if (wipe && userId) await (await import('$lib/db')).wipeLocalData(userId);
    this.me = null;
    this.phase = 'anonymous';
    this.#starting = null;
    this.#newDevice = false;
    await goto(resolve('/login'));
  }

  /**
   * Another person signed in in another tab of this browser (the cookie is shared): this
   * window's store must not sync with their session. It closes and asks to sign in again,
   * without calling logout, which would end the other person's session.
   */
  async #staleWindow(reason = m.session_other_user()): Promise<void> {
    if (this.phase !== 'ready') return;
    await this.#close();
    this.me = null;
    this.error = reason;
    this.phase = 'anonymous';
    this.#starting = null;
    this.#newDevice = false;
    await goto(resolve('/login'));
  }

  /**
   * The other tab announces its sign-in, and its sign-out, through the device's copy of
   * `/api/me`: written for the one, removed for the other (also when its start met an ended
   * session). A window left signed in after the person signed out elsewhere would go on
   * showing and changing their data on a shared computer.
   */
  watchOtherTabs(): void {
    if (typeof window === 'undefined' || this.#watching) return;
    this.#watching = true;
    window.addEventListener('storage', (ev) => {
      if ((ev.key !== 'ict.me' && ev.key !== null) || !this.me) return;
      if (!ev.newValue) {
        void this.#staleWindow(m.session_signed_out_elsewhere());
        return;
      }
      try {
        const other = (JSON.parse(ev.newValue) as { user?: { id?: string } }).user?.id;
        if (other && other !== this.me.user.id) void this.#staleWindow();
      } catch {
        // Not ours to read: the per-cycle check of the sync still guards the store.
      }
    });
  }
  #watching = false;

  async #close(): Promise<void> {
    const db = this.db;
    this.db = null;
    if (db) await db.close();
  }
}

/** Browser tests and support staff reach the local database from the console. */
function exposeForDiagnostics(db: AppDb): void {
  (globalThis as { __ictDb?: AppDb }).__ictDb = db;
}

export const session = new Session();
