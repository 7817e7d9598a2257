/**
 * The two yardsticks for the app's initial sync, each in its own fresh browser profile:
 * 1b. PouchDB's native replication (pouchdb-browser, idb adapter, default options) of the same
 *     database through the gateway, with the same session cookie the app would have;
 * 1c. the lower bound: one `_all_docs?include_docs=true` straight from CouchDB and one Dexie
 *     `bulkPut` into IndexedDB. The page is opened on CouchDB's own origin, so the request is
 *     same-origin and needs no CORS and no change to the server.
 * 1d. the same into a store shaped like the app's (`store`): its indexes, and each document
 *     given the fields those indexes read as RxDB's Dexie storage keeps them (primary key,
 *     `_deleted` as '0', `_meta.lwt`, the device's inbox fields where they hold). IndexedDB updates every
 *     index on every put, so this is the floor of the app's own store.
 * 1e. (diagnostic only) 1d with the indexes created after the write, on the filled store.
 * Both pages are JSON responses, not the app, so no app code runs beside the measurement.
 */
import { dexieBundle, pouchdbBundle } from '../browser/bundles';
import type { StoreShape } from '../lib/app-store';
import { freshProfile, loginProfile } from '../lib/browser';
import type { Stack } from '../lib/stack';

export async function pouchdbReplication(
  stack: Stack,
  opts: { user: string; db: string; expected: number }
): Promise<number> {
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    await profile.page.goto(`${stack.url}/api/me`);
    await profile.page.addScriptTag({ content: await pouchdbBundle() });
    const result = await profile.page.evaluate(
      async ({ remote }) => {
        type Pouch = {
          replicate: {
            from(src: string, opts?: object): Promise<{ docs_written: number; ok: boolean }>;
          };
          info(): Promise<{ doc_count: number }>;
        };
        const PouchDB = (globalThis as unknown as { PouchDB: new (name: string, o?: object) => Pouch }).PouchDB;
        const local = new PouchDB('bench-peer', { adapter: 'idb' });
        const start = performance.now();
        await local.replicate.from(remote);
        const ms = performance.now() - start;
        const info = await local.info();
        return { ms, docs: info.doc_count };
      },
      { remote: `${stack.url}/couch/${opts.db}` }
    );
    if (result.docs < opts.expected) throw new Error(`PouchDB replicated ${result.docs} of ${opts.expected} documents`);
    return result.ms;
  } finally {
    await profile.close();
  }
}

export async function lowerBound(
  stack: Stack,
  opts: {
    db: string;
    expected: number;
    store?: StoreShape;
    /** Write into a store with the primary key only, then create the store's indexes on it in one upgrade. */
    deferIndexes?: boolean;
    /** Called when the page is done, before the browser closes (a diagnostic reads its processes). */
    beforeClose?: () => void;
  }
): Promise<number> {
  const profile = await freshProfile();
  try {
    const origin = stack.couch.base.replace(/\/$/, '');
    await profile.page.goto(`${origin}/`);
    await profile.page.addScriptTag({ content: await dexieBundle() });
    const result = await profile.page.evaluate(
      async ({ url, authorization, store, deferIndexes }) => {
        type Table = { bulkPut(rows: unknown[]): Promise<unknown>; count(): Promise<number> };
        type DexieDb = {
          version(n: number): { stores(s: Record<string, string>): void };
          open(): Promise<unknown>;
          close(): void;
          table(n: string): Table;
        };
        const Dexie = (globalThis as unknown as { Dexie: new (name: string) => DexieDb }).Dexie;
        const db = new Dexie('bench-lower-bound');
        let deferredCount = 0;
        const primary = store ? store.schema.split(',')[0] : '_id';
        db.version(1).stores({ tickets: deferIndexes ? primary : (store?.schema ?? '_id') });
        await db.open();
        const start = performance.now();
        const res = await fetch(url, { headers: { authorization } });
        const body = (await res.json()) as { rows: { doc: Record<string, unknown> }[] };
        const lwt = Date.now();
        // The app's `inboxOf` (`ticket-inbox.ts`): each rule's person, while the status is one of the rule's.
        const deviceFields = (doc: Record<string, unknown>) => {
          const inbox: Record<string, string> = {};
          for (const rule of store?.deviceFields ?? []) {
            let at: unknown = doc;
            for (const key of rule.person) at = (at as Record<string, unknown> | undefined)?.[key];
            if (rule.statuses.includes(doc.status as string) && typeof at === 'string' && at) inbox[rule.key] = at;
          }
          return Object.keys(inbox).length ? { inbox } : {};
        };
        const docs = store
          ? body.rows.map((r, i) => ({
              ...r.doc,
              ...deviceFields(r.doc),
              [store.primaryKey]: r.doc._id,
              _deleted: '0',
              _meta: { lwt: lwt + i / 1000 }
            }))
          : body.rows.map((r) => r.doc);
        await db.table('tickets').bulkPut(docs);
        if (deferIndexes && store) {
          db.close();
          const specs = store.schema
            .split(',')
            .slice(1)
            .map((s) => s.trim())
            .map((s) => (s.startsWith('[') ? s.slice(1, -1).split('+') : s));
          await new Promise<void>((resolve, reject) => {
            // IndexedDB's own createIndex, not Dexie's, so the figure is the browser's (Dexie's version 1 is 10).
            const req = indexedDB.open('bench-lower-bound', 20);
            req.onupgradeneeded = () => {
              const os = req.transaction!.objectStore('tickets');
              for (const kp of specs) os.createIndex(Array.isArray(kp) ? kp.join('+') : kp, kp);
            };
            req.onsuccess = () => {
              const c = req.result.transaction('tickets').objectStore('tickets').count();
              c.onsuccess = () => {
                deferredCount = c.result;
                req.result.close();
                resolve();
              };
            };
            req.onerror = () => reject(req.error);
          });
        }
        const ms = performance.now() - start;
        return { ms, docs: deferIndexes ? deferredCount : await db.table('tickets').count() };
      },
      {
        url: `${origin}/${opts.db}/_all_docs?include_docs=true`,
        authorization: stack.couch.headers.authorization ?? '',
        store: opts.store ?? null,
        deferIndexes: opts.deferIndexes ?? false
      }
    );
    opts.beforeClose?.();
    if (result.docs < opts.expected) throw new Error(`lower bound stored ${result.docs} of ${opts.expected} documents`);
    return result.ms;
  } finally {
    await profile.close();
  }
}
