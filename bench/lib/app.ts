/**
 * Watching the app from outside, with nothing added to it: the app is opened like a user
 * would (fresh profile, signed in, the real build served by the sync server) and "synced"
 * means the documents are in the app's own IndexedDB store. The store is found by RxDB's
 * Dexie naming (`rxdb-dexie-<database>--<schema version>--<collection>`, table `docs`) and
 * counted from the page; the time is the page's own clock, i.e. milliseconds since the
 * navigation started.
 *
 * Counting the store on an interval costs the app: IndexedDB counts a store by walking it, and
 * each count's transaction holds the app's next write to that store until it is done (a first
 * sync of 10,000 tickets: some 56,000 records walked in an instrumented run, a load the peers it
 * is compared with do not carry). A timed first sync therefore installs `watchStoredDocs` before the app loads: it
 * notes the keys of every document the app's own writes commit to the store (at the
 * transaction's `complete`), and one count confirms the end.
 */
import type { Page } from 'playwright-core';
import { json, type Endpoint } from './couch';

/** Documents a client can see in a database: all but design documents (the gateway hides them). */
export async function visibleDocCount(couch: Endpoint, db: string): Promise<number> {
  const res = await json<{ rows: { id: string }[] }>(couch, `${encodeURIComponent(db)}/_all_docs`);
  return res.rows.filter((r) => !r.id.startsWith('_design/')).length;
}

export async function visibleDocCountAll(couch: Endpoint, dbs: readonly string[]): Promise<number> {
  let n = 0;
  for (const db of dbs) n += await visibleDocCount(couch, db);
  return n;
}

/** Page-side state of `watchStoredDocs`, per store-name suffix. */
interface StoredWatch {
  keys: Set<unknown>;
  /** After each commit that added keys: how many there were, and the page time. */
  commits: [number, number][];
}

/**
 * Before the page loads: keeps, for each of `collections`, the keys the app's writes commit to
 * its `docs` table, so that `waitForLocalDocs` reads a number instead of counting the store.
 */
export async function watchStoredDocs(page: Page, collections: readonly string[]): Promise<void> {
  await page.addInitScript(
    (suffixes: string[]) => {
      const watches: Record<string, StoredWatch> = {};
      for (const s of suffixes) watches[s] = { keys: new Set(), commits: [] };
      (globalThis as unknown as { __storedDocs: Record<string, StoredWatch> }).__storedDocs = watches;
      const pending = new WeakMap<IDBTransaction, { watch: StoredWatch; keys: unknown[] }>();
      for (const method of ['add', 'put'] as const) {
        const original = IDBObjectStore.prototype[method] as (this: IDBObjectStore, ...args: unknown[]) => IDBRequest;
        IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: unknown[]) {
          const request = original.apply(this, args);
          const suffix = this.name === 'docs' ? suffixes.find((s) => this.transaction.db.name.endsWith(s)) : undefined;
          if (suffix && typeof this.keyPath === 'string') {
            const tx = this.transaction;
            let open = pending.get(tx);
            if (!open) {
              const entry = { watch: watches[suffix], keys: [] as unknown[] };
              open = entry;
              pending.set(tx, entry);
              tx.addEventListener('complete', () => {
                const before = entry.watch.keys.size;
                for (const k of entry.keys) entry.watch.keys.add(k);
                const after = entry.watch.keys.size;
                if (after > before) entry.watch.commits.push([after, performance.now()]);
              });
            }
            open.keys.push((args[0] as Record<string, unknown>)[this.keyPath]);
          }
          return request;
        } as (typeof IDBObjectStore.prototype)[typeof method];
      }
    },
    collections.map((c) => `--${c}`)
  );
}

/**
 * Resolves with the page time at which the app's local `collection` holds at least `expected`
 * documents. Rejects after `timeoutMs`, or once the number stopped moving for `stallMs`. With
 * `watchStoredDocs` installed for the collection the time is that of the commit that completed
 * it; otherwise the store is counted every `intervalMs`.
 */
export async function waitForLocalDocs(
  page: Page,
  collection: string,
  expected: number,
  timeoutMs = 600_000,
  intervalMs = 50,
  stallMs = 30_000
): Promise<number> {
  return page.evaluate(
    async ({ collection, expected, timeoutMs, intervalMs, stallMs, WATCH_QUIET_MS }) => {
      const suffix = `--${collection}`;
      const deadline = performance.now() + timeoutMs;
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const watch = (globalThis as unknown as { __storedDocs?: Record<string, StoredWatch> }).__storedDocs?.[suffix];
      const openStore = async (): Promise<IDBDatabase> => {
        for (;;) {
          const all = await indexedDB.databases();
          const found = all.find((d) => d.name?.startsWith('rxdb-dexie-') && d.name.endsWith(suffix));
          if (found?.name) {
            const db = await new Promise<IDBDatabase | null>((resolve) => {
              const req = indexedDB.open(found.name!);
              req.onsuccess = () => {
                const opened = req.result;
                if (opened.objectStoreNames.contains('docs')) resolve(opened);
                else {
                  opened.close();
                  resolve(null);
                }
              };
              req.onerror = () => resolve(null);
            });
            if (db) {
              // Release the connection if the app wants to upgrade its schema.
              db.onversionchange = () => db.close();
              return db;
            }
          }
          if (performance.now() > deadline) throw new Error(`no local store for ${collection}`);
          await sleep(intervalMs);
        }
      };
      const count = (db: IDBDatabase) =>
        new Promise<number>((resolve, reject) => {
          const req = db.transaction('docs', 'readonly').objectStore('docs').count();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      let db: IDBDatabase | null = null;
      const stored = async () => count((db ??= await openStore()));
      const done = (at: number) => {
        db?.close();
        return at;
      };
      // The watch is trusted until the store, counted once, says otherwise: at the end, or when
      // the watch stands still (documents stored before it was installed, e.g. by a reload).
      let watched = !!watch;
      let checkedAt = performance.now();
      let last = -1;
      let lastChange = performance.now();
      for (;;) {
        let n: number;
        if (!watched) {
          n = await stored();
          if (n >= expected) return done(performance.now());
        } else {
          n = watch!.keys.size;
          const full = n >= expected;
          if (full || performance.now() - Math.max(lastChange, checkedAt) > WATCH_QUIET_MS) {
            checkedAt = performance.now();
            const inStore = await stored();
            if (inStore >= expected)
              return done(full ? watch!.commits.find(([size]) => size >= expected)![1] : performance.now());
            if (full) {
              watched = false;
              n = inStore;
            }
          }
        }
        if (n !== last) {
          last = n;
          lastChange = performance.now();
        }
        // A sync that stopped short is a finding, not something to wait out.
        if (performance.now() - lastChange > stallMs) {
          const status = document.querySelector('[data-testid="sync-status"]')?.textContent?.trim() ?? '(no status)';
          throw new Error(
            `the app's sync stopped: local ${collection} holds ${n} of ${expected} documents, unchanged for ${stallMs / 1000} s; the app shows "${status}"`
          );
        }
        if (performance.now() > deadline)
          throw new Error(`local ${collection} holds ${n} of ${expected} documents after ${timeoutMs} ms`);
        await sleep(watched ? Math.min(intervalMs, 20) : intervalMs);
      }
    },
    { collection, expected, timeoutMs, intervalMs, stallMs, WATCH_QUIET_MS: 2000 }
  );
}

/**
 * Resolves once the sync status the app shows is calm: no first-sync progress bar and not
 * busy (RxDB's replications all idle). Returns the page time.
 */
export async function waitForSyncCalm(page: Page, timeoutMs = 600_000): Promise<number> {
  const status = page.getByTestId('sync-status');
  await status.waitFor({ timeout: timeoutMs });
  return page.evaluate(async (timeoutMs) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const el = document.querySelector('[data-testid="sync-status"]');
      const calm =
        el && !el.querySelector('.bar') && !el.classList.contains('busy') && !el.classList.contains('problem');
      if (calm) return performance.now();
      if (performance.now() > deadline)
        throw new Error(`sync status still "${el?.textContent?.trim()}" after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, timeoutMs);
}

/**
 * Resolves when every source of the navigation's inbox badge first answered on this page (the
 * app's `inbox-loaded` user-timing mark), with the mark's page time; NaN if it never came.
 * Until then a freshly loaded page is still reading its sources (and, before they read by
 * `getAll`, walked a cursor over the person's rows), and a list clicked in that time is
 * measured with that start-up work inside.
 */
export function waitForInboxLoaded(page: Page, timeoutMs = 30_000): Promise<number> {
  return page.evaluate(async (timeoutMs) => {
    const mark = () => performance.getEntriesByName('inbox-loaded', 'mark')[0]?.startTime;
    const until = performance.now() + timeoutMs;
    while (mark() === undefined && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
    return mark() ?? NaN;
  }, timeoutMs);
}
