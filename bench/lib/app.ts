/**
 * Watching the app from outside, with nothing added to it: the app is opened like a user
 * would (fresh profile, signed in, the real build served by the sync server) and "synced"
 * means the documents are in the app's own IndexedDB store. The store is found by RxDB's
 * Dexie naming (`rxdb-dexie-<database>--<schema version>--<collection>`, table `docs`) and
 * counted from the page on a short interval; the time is the page's own clock, i.e.
 * milliseconds since the navigation started.
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

/**
 * Resolves with the page time at which the app's local `collection` holds at least `expected`
 * documents. Rejects after `timeoutMs`.
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
    async ({ collection, expected, timeoutMs, intervalMs, stallMs }) => {
      const suffix = `--${collection}`;
      const deadline = performance.now() + timeoutMs;
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      let db: IDBDatabase | null = null;
      while (!db) {
        const all = await indexedDB.databases();
        const found = all.find((d) => d.name?.startsWith('rxdb-dexie-') && d.name.endsWith(suffix));
        if (found?.name) {
          db = await new Promise<IDBDatabase | null>((resolve) => {
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
          // Release the connection if the app wants to upgrade its schema.
          if (db) db.onversionchange = () => db?.close();
        }
        if (!db) {
          if (performance.now() > deadline) throw new Error(`no local store for ${collection}`);
          await sleep(intervalMs);
        }
      }
      const count = () =>
        new Promise<number>((resolve, reject) => {
          const req = db!.transaction('docs', 'readonly').objectStore('docs').count();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      let last = -1;
      let lastChange = performance.now();
      for (;;) {
        const n = await count();
        if (n >= expected) {
          const at = performance.now();
          db.close();
          return at;
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
        await sleep(intervalMs);
      }
    },
    { collection, expected, timeoutMs, intervalMs, stallMs }
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
