/**
 * A local full-text index over one or more collections, kept up to date from the storage's
 * change feed, so a search is a lookup in the index, not a scan of every document.
 *
 * - The index (posting lists, `search-engine.ts`) lives in a worker (`search-worker.ts`): loading,
 *   indexing, saving and answering never hold the page. Where no worker starts it runs here.
 * - Kept on the device (`search-store.ts`): a start loads the saved index and reads only what
 *   the collections' change feeds hold after its checkpoints (`getChangedDocumentsSince` in the
 *   storage's write order), so an index is built from every document once per device, not per
 *   start. After a burst of changes it is saved again once writes are quiet for a few seconds,
 *   at most once a minute; what a later start finds unsaved it reads from the feed again.
 * - Opened lazily, the first time a list asks for it (`warm()`); then it follows the
 *   collections' change events: each burst of writes (a sync batch, an edit) is read from the
 *   checkpoint and re-indexed incrementally (replace the changed entries), never rebuilt.
 * - One index per collection for the life of the database (module cache); closed with it.
 * - Sources are functions: each maps a document to the text it contributes and the list row it
 *   belongs to (`ref`), so text kept in other documents (comments as their own records) adds a
 *   source whose `ref` is the parent's id, and a search still answers with list rows.
 */
import { getChangedDocumentsSince, type RxCollection, type RxStorageInstance } from 'rxdb';
import { debounceTime, type Subscription } from 'rxjs';
import type { OrderKey, SearchBatch, SearchView } from './search-engine';
import { localSearchHost, workerSearchHost, type SearchHost } from './search-host';
import { idbSearchStore, type SavedMeta } from './search-store';

export interface SearchSource<D = Record<string, unknown>> {
  /** Short, unique among the sources of one index. */
  name: string;
  collection: RxCollection;
  /**
   * The searchable fields of a document and the row it belongs to; `null`: nothing to index.
   * The row's own document also gives the row's list fields (`values`), for ordered answers.
   */
  text(doc: D): { ref: string; fields: Record<string, string>; values?: Record<string, string> } | null;
}

export interface SearchIndexOptions {
  fields: string[];
  /** List fields kept per row, so a search answers in a list's order (`SearchView`). */
  values?: string[];
  /** The lists' orders on those fields, made ahead and kept with the index. */
  orders?: OrderKey[][];
  sources: SearchSource[];
  /** Where the engine runs; the search worker unless said (tests pass a local host). */
  host?: () => SearchHost;
}

/** How the last start went, for the benchmark and for explaining a slow first search. */
export interface SearchIndexStats {
  /** The saved index was loaded (else built from every document). */
  restored: boolean;
  /** Loading the saved index, in the host. */
  loadMs: number;
  /** Documents read from the change feeds after loading (all of them when built). */
  caughtUp: number;
  /**
   * On a first build, the documents it will read (the sources' stored documents, counted as it
   * began: what a list waiting for it shows progress against); null when a saved index was loaded.
   */
  expected: number | null;
  /** From `warm()` to the index being current. */
  readyMs: number;
  /** The last save, in the host (serialize + write). */
  saveMs: number | null;
}

/** Bumped when what is stored changes shape; an index of another format is built again. */
const FORMAT = 3;
const BATCH = 1000;
const LIVE_DEBOUNCE_MS = 150;
const SAVE_QUIET_MS = 3000;
const SAVE_EVERY_MS = 60_000;

const SEARCH_WORKER = () => new Worker(new URL('./search-worker.ts', import.meta.url), { type: 'module' });

function defaultHost(): SearchHost {
  const worker = typeof Worker === 'undefined' ? null : workerSearchHost(SEARCH_WORKER);
  return worker ?? localSearchHost(idbSearchStore);
}

export class SearchIndex {
  private readonly host: SearchHost;
  private readonly checkpoints = new Map<string, unknown>();
  private readonly subs: Subscription[] = [];
  private building: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private built = false;
  /** Documents indexed since the last save. */
  private dirty = 0;
  private lastSave = 0;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private saving: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  readonly stats: SearchIndexStats = {
    restored: false,
    loadMs: 0,
    caughtUp: 0,
    expected: null,
    readyMs: 0,
    saveMs: null
  };

  constructor(private readonly opts: SearchIndexOptions) {
    this.host = (opts.host ?? defaultHost)();
  }

  /** Whether the index is open and current (searches answer at once). */
  get ready(): boolean {
    return this.built;
  }

  /** Opens the index if it is not open; resolves when it is current. */
  warm(): Promise<void> {
    this.building ??= this.build();
    return this.building;
  }

  /**
   * Row ids of every match, each once, in no particular order; with a `view` (a list's filter
   * and order, on the `values` fields), only the matches it admits, in its order. With a view
   * and no text: every row the view admits, in its order.
   */
  async search(query: string, view?: SearchView): Promise<string[]> {
    await this.warm();
    await this.queue;
    if (!query.trim() && !view) return [];
    return this.host.search(query, view);
  }

  /** Calls `listener` whenever changed documents were indexed (a search may answer otherwise now). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Documents in the index (all sources). */
  count(): Promise<number> {
    return this.host.size();
  }

  /** Saves now what is not saved yet (the benchmark, tests). */
  async flush(): Promise<void> {
    await this.warm();
    await this.serial(() => this.save());
    await this.saving;
  }

  close(): void {
    this.closed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    for (const s of this.subs) s.unsubscribe();
    this.host.close();
  }

  private async build(): Promise<void> {
    const start = performance.now();
    await this.serial(() => this.open());
    if (!this.stats.restored) {
      // Counted through an index, not read: a first build on a large device takes seconds.
      const counts = await Promise.all(this.opts.sources.map((s) => s.collection.count().exec()));
      this.stats.expected = counts.reduce((a, b) => a + b, 0);
    }
    for (const source of this.opts.sources) {
      // Follow before catching up, so no write between the catch-up and the subscription is missed.
      this.subs.push(
        source.collection.eventBulks$
          .pipe(debounceTime(LIVE_DEBOUNCE_MS))
          .subscribe(() => void this.serial(() => this.catchUp(source)))
      );
    }
    await Promise.all(this.opts.sources.map((s) => this.serial(() => this.catchUp(s))));
    if (this.opts.orders?.length) await this.serial(() => this.host.prepare());
    this.stats.readyMs = performance.now() - start;
    this.built = true;
  }

  private async open(): Promise<void> {
    const { sources, fields, values, orders } = this.opts;
    const database = sources[0].collection.database;
    const meta: SavedMeta = {
      format: FORMAT,
      fields,
      values: values ?? [],
      sources: sources.map((s) => `${s.name}@${s.collection.schema.version}`),
      storageToken: await database.storageToken
    };
    const opened = await this.host.open({
      database: database.name,
      name: sources.map((s) => s.collection.name).join('+'),
      options: { fields, values, orders },
      meta
    });
    this.stats.restored = opened.checkpoints !== null;
    this.stats.loadMs = opened.loadMs;
    for (const [name, checkpoint] of Object.entries(opened.checkpoints ?? {})) this.checkpoints.set(name, checkpoint);
  }

  private serial(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).catch((e: unknown) => {
      if (!this.closed) console.error('search index update failed', e);
    });
    return this.queue;
  }

  /** Indexes everything written to the source since its checkpoint, a batch at a time. */
  private async catchUp(source: SearchSource): Promise<void> {
    let changed = 0;
    const storage = source.collection.storageInstance as RxStorageInstance<Record<string, unknown>, unknown, unknown>;
    const primary = source.collection.schema.primaryPath as string;
    for (;;) {
      if (this.closed) return;
      const { documents, checkpoint } = await getChangedDocumentsSince(
        storage,
        BATCH,
        this.checkpoints.get(source.name)
      );
      const batch: SearchBatch = { remove: [], add: [] };
      for (const doc of documents) {
        const key = `${source.name}:${String(doc[primary])}`;
        const text = doc._deleted ? null : source.text(doc);
        if (text) batch.add.push({ key, ...text });
        else batch.remove.push(key);
      }
      if (documents.length) await this.host.apply(batch);
      changed += documents.length;
      if (checkpoint) this.checkpoints.set(source.name, checkpoint);
      this.dirty += documents.length;
      this.stats.caughtUp += documents.length;
      if (documents.length < BATCH) break;
      // Let the page paint and take input between batches of a large first build.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    this.scheduleSave();
    if (changed && this.built) for (const listener of this.listeners) listener();
  }

  private scheduleSave(): void {
    if (this.dirty === 0 || this.closed) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    const wait = Math.max(SAVE_QUIET_MS, this.lastSave + SAVE_EVERY_MS - Date.now());
    this.saveTimer = setTimeout(() => void this.serial(() => this.save()), wait);
  }

  private async save(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.dirty === 0 || this.closed) return;
    this.dirty = 0;
    this.lastSave = Date.now();
    // The host answers in order: the saved engine holds exactly the batches sent before, which
    // are the ones these checkpoints cover. Searches need not wait for the write.
    this.saving = this.host.save(Object.fromEntries(this.checkpoints)).then(
      (ms) => (this.stats.saveMs = ms),
      (e: unknown) => {
        if (!this.closed) console.warn('search index not saved; the next start reads the changes again', e);
      }
    );
  }
}

const indexes = new WeakMap<RxCollection, SearchIndex>();

/** The index of a list whose rows live in `collection`, made once per open collection. */
export function searchIndexFor(collection: RxCollection, make: () => SearchIndexOptions): SearchIndex {
  let index = indexes.get(collection);
  if (!index) {
    const made = new SearchIndex(make());
    indexes.set(collection, made);
    collection.onClose.push(() => made.close());
    index = made;
  }
  return index;
}
