/**
 * A local full-text index (MiniSearch) over one or more collections, kept up to date from the
 * storage's change feed, so a search is a lookup in the index, not a scan of every document.
 *
 * - Built lazily, the first time a list asks for it (`warm()` on opening the list, in slices
 *   that yield to the page), from `getChangedDocumentsSince` in the storage's write order; the
 *   checkpoint it keeps is where the next catch-up starts. After that it follows the
 *   collection's change events: each burst of writes (a sync batch, an edit) is read from the
 *   checkpoint and re-indexed incrementally (`discard` + `add`), never rebuilt.
 * - One index per collection for the life of the database (module cache); dropped when the
 *   collection closes. Not persisted: a rebuild is a few seconds at 100,000 tickets, once per
 *   app start and only for the person who searches.
 * - Sources are functions: each maps a document to the text it contributes and the list row it
 *   belongs to (`ref`), so text kept in other documents (comments as their own records) adds a
 *   source whose `ref` is the parent's id, and a search still answers with list rows.
 */
import MiniSearch, { type SearchOptions } from 'minisearch';
import { getChangedDocumentsSince, type RxCollection, type RxStorageInstance } from 'rxdb';
import { debounceTime, type Subscription } from 'rxjs';
import { fold } from './fold';

export interface SearchSource<D = Record<string, unknown>> {
  /** Short, unique among the sources of one index. */
  name: string;
  collection: RxCollection;
  /** The searchable fields of a document and the row it belongs to; `null`: nothing to index. */
  text(doc: D): { ref: string; fields: Record<string, string> } | null;
}

export interface SearchIndexOptions {
  fields: string[];
  boost?: Record<string, number>;
  sources: SearchSource[];
}

const BATCH = 1000;
const LIVE_DEBOUNCE_MS = 150;

interface Entry {
  key: string;
  ref: string;
  [field: string]: string;
}

export class SearchIndex {
  private readonly mini: MiniSearch<Entry>;
  private readonly checkpoints = new Map<string, unknown>();
  private readonly subs: Subscription[] = [];
  private building: Promise<void> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: SearchIndexOptions) {
    this.mini = new MiniSearch<Entry>({
      idField: 'key',
      fields: opts.fields,
      storeFields: ['ref'],
      processTerm: (term) => (term.length > 0 ? fold(term) : null)
    });
  }

  /** Whether the first build is done (searches answer at once). */
  get ready(): boolean {
    return this.building !== null && this.built;
  }
  private built = false;

  /** Starts the first build if it has not started; resolves when the index is current. */
  warm(): Promise<void> {
    this.building ??= this.build();
    return this.building;
  }

  /** Row ids best first, each once, at most `limit`. */
  async search(query: string, limit = 1000): Promise<string[]> {
    await this.warm();
    await this.queue;
    const words = query.trim();
    if (!words) return [];
    const options: SearchOptions = {
      prefix: true,
      // Typos are forgiven in longer words only: fuzzy matching of short ones finds everything.
      fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
      combineWith: 'AND',
      ...(this.opts.boost ? { boost: this.opts.boost } : {})
    };
    const seen = new Set<string>();
    for (const hit of this.mini.search(words, options)) {
      seen.add(hit.ref as string);
      if (seen.size >= limit) break;
    }
    return [...seen];
  }

  /** Documents in the index (all sources). */
  get size(): number {
    return this.mini.documentCount;
  }

  close(): void {
    this.closed = true;
    for (const s of this.subs) s.unsubscribe();
  }

  private async build(): Promise<void> {
    for (const source of this.opts.sources) {
      // Follow first, so no write between the catch-up and the subscription is missed.
      this.subs.push(
        source.collection.eventBulks$
          .pipe(debounceTime(LIVE_DEBOUNCE_MS))
          .subscribe(() => void this.serial(() => this.catchUp(source)))
      );
    }
    await Promise.all(this.opts.sources.map((s) => this.serial(() => this.catchUp(s))));
    this.built = true;
  }

  private serial(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).catch((e: unknown) => console.error('search index update failed', e));
    return this.queue;
  }

  /** Indexes everything written to the source since its checkpoint, a batch at a time. */
  private async catchUp(source: SearchSource): Promise<void> {
    const storage = source.collection.storageInstance as RxStorageInstance<Record<string, unknown>, unknown, unknown>;
    const primary = source.collection.schema.primaryPath as string;
    for (;;) {
      if (this.closed) return;
      const { documents, checkpoint } = await getChangedDocumentsSince(
        storage,
        BATCH,
        this.checkpoints.get(source.name)
      );
      for (const doc of documents) {
        const key = `${source.name}:${String(doc[primary])}`;
        if (this.mini.has(key)) this.mini.discard(key);
        if (doc._deleted) continue;
        const text = source.text(doc);
        if (text) this.mini.add({ ...text.fields, key, ref: text.ref });
      }
      if (checkpoint) this.checkpoints.set(source.name, checkpoint);
      if (documents.length < BATCH) return;
      // Let the page paint and take input between batches of a large first build.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
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
