/**
 * Where a search index lives: `localSearchHost` keeps the engine on this thread; the search
 * worker runs the same host behind messages (`workerSearchHost`), so loading, indexing,
 * saving and answering never hold the page. Calls are answered in the order they were made,
 * so a `save` stores exactly the batches applied before it, with their checkpoints.
 */
import { SearchEngine, type SearchBatch, type SearchEngineOptions, type SearchView } from './search-engine';
import { sameMeta, type SavedMeta, type SearchStore } from './search-store';

export interface OpenRequest {
  /** The RxDB database the index belongs to (names its store). */
  database: string;
  /** The index within it. */
  name: string;
  options: SearchEngineOptions;
  meta: SavedMeta;
}

export interface Opened {
  /** The saved index was loaded: read the changes after these checkpoints. `null`: start empty. */
  checkpoints: Record<string, unknown> | null;
  docs: number;
  loadMs: number;
}

export interface SearchHost {
  open(req: OpenRequest): Promise<Opened>;
  apply(batch: SearchBatch): Promise<void>;
  /** Makes the declared orders (after the first build), so no search waits for their sort. */
  prepare(): Promise<void>;
  /** Row ids of every match, in no particular order; with a view, those it admits in its order. */
  search(query: string, view?: SearchView): Promise<string[]>;
  /** Stores the engine with the checkpoints it is current to; answers how long it took (ms). */
  save(checkpoints: Record<string, unknown>): Promise<number>;
  size(): Promise<number>;
  close(): void;
}

export function localSearchHost(storeFor: (database: string) => SearchStore | null): SearchHost {
  let engine: SearchEngine | null = null;
  let opened: (OpenRequest & { store: SearchStore | null }) | null = null;
  const ready = () => {
    if (!engine || !opened) throw new Error('search index not open');
    return { engine, opened };
  };
  return {
    async open(req) {
      const start = performance.now();
      const store = storeFor(req.database);
      opened = { ...req, store };
      const saved = await store?.load(req.name).catch((e: unknown) => {
        console.warn('saved search index unreadable, building it again', e);
        return null;
      });
      if (saved && sameMeta(saved.meta, req.meta)) {
        try {
          engine = SearchEngine.restore(req.options, saved.engine);
          // Saved with its orders; one declared since is made now, not at the first search.
          engine.prepare();
          return { checkpoints: saved.checkpoints, docs: engine.size, loadMs: performance.now() - start };
        } catch (e) {
          console.warn('saved search index unreadable, building it again', e);
        }
      }
      engine = SearchEngine.empty(req.options);
      return { checkpoints: null, docs: 0, loadMs: performance.now() - start };
    },
    async apply(batch) {
      ready().engine.apply(batch);
    },
    async prepare() {
      ready().engine.prepare();
    },
    async search(query, view) {
      return ready().engine.search(query, view);
    },
    async save(checkpoints) {
      const { engine, opened } = ready();
      if (!opened.store) return 0;
      const start = performance.now();
      await opened.store.save(opened.name, {
        meta: opened.meta,
        checkpoints,
        engine: engine.snapshot(),
        docs: engine.size,
        savedAt: new Date().toISOString()
      });
      return performance.now() - start;
    },
    async size() {
      return engine?.size ?? 0;
    },
    close() {
      engine = null;
      opened = null;
    }
  };
}

export interface HostRequest {
  id: number;
  op: Exclude<keyof SearchHost, 'close'>;
  args: unknown[];
}
export type HostReply = { id: number; result: unknown } | { id: number; error: string };

/** The host in a worker; `null` where workers cannot start. */
export function workerSearchHost(start: () => Worker): SearchHost | null {
  let worker: Worker;
  try {
    worker = start();
  } catch (e) {
    console.warn('search worker unavailable, indexing on the page', e);
    return null;
  }
  let next = 0;
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  worker.onmessage = (e: MessageEvent<HostReply>) => {
    const w = waiting.get(e.data.id);
    if (!w) return;
    waiting.delete(e.data.id);
    if ('error' in e.data) w.reject(new Error(e.data.error));
    else w.resolve(e.data.result);
  };
  worker.onerror = (e) => {
    for (const w of waiting.values()) w.reject(new Error(`search worker failed: ${e.message}`));
    waiting.clear();
  };
  const call =
    <R>(op: HostRequest['op']) =>
    (...args: unknown[]): Promise<R> =>
      new Promise<R>((resolve, reject) => {
        const id = ++next;
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, op, args } satisfies HostRequest);
      });
  const search = call<string[] | PackedIds>('search');
  return {
    open: call('open'),
    apply: call('apply'),
    prepare: call('prepare'),
    search: async (query, view) => unpackIds(await search(query, view)),
    save: call('save'),
    size: call('size'),
    close() {
      worker.terminate();
      for (const w of waiting.values()) w.reject(new Error('search index closed'));
      waiting.clear();
    }
  };
}

/** The worker's side: answers each request with the local host, one at a time, in order. */
export function serveSearchHost(
  host: SearchHost,
  port: { onmessage: ((e: MessageEvent<HostRequest>) => void) | null; postMessage(m: HostReply): void }
): void {
  let queue: Promise<void> = Promise.resolve();
  port.onmessage = (e) => {
    const { id, op, args } = e.data;
    queue = queue.then(async () => {
      try {
        const fn = host[op] as (...a: unknown[]) => Promise<unknown>;
        const result = await fn(...args);
        port.postMessage({ id, result: op === 'search' ? packIds(result as string[]) : result });
      } catch (err) {
        port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
      }
    });
  };
}

/**
 * Ids sent from the worker as one string: copying one string of 36,000 ids to the page takes a
 * fraction of a millisecond, a list of 36,000 strings ten and more (each cloned on its own).
 */
export interface PackedIds {
  joined: string;
  n: number;
}

const SEP = '\n';

export function packIds(ids: string[]): string[] | PackedIds {
  // An id holding the separator (CouchDB allows any text) goes as the list it is.
  for (const id of ids) if (id.includes(SEP)) return ids;
  return { joined: ids.join(SEP), n: ids.length };
}

export function unpackIds(result: string[] | PackedIds): string[] {
  if (Array.isArray(result)) return result;
  return result.n ? result.joined.split(SEP) : [];
}
