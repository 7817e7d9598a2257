/**
 * The full-text index itself (MiniSearch), with nothing of RxDB or the page: it runs in the
 * search worker (`search-worker.ts`) and, where no worker can start (unit tests), on the page.
 * Entries are keyed `source:id` and answer with their list row (`ref`); a batch replaces the
 * entries of changed documents. The whole state serializes to one string, which is what the
 * device keeps between starts (`search-store.ts`).
 */
import MiniSearch, { type SearchOptions } from 'minisearch';
import { fold } from './fold';

export interface SearchEngineOptions {
  fields: string[];
  boost?: Record<string, number>;
}

export interface SearchEntry {
  key: string;
  ref: string;
  fields: Record<string, string>;
}

/** What changed since the last batch: keys to drop (deleted, or re-added below) and entries to add. */
export interface SearchBatch {
  remove: string[];
  add: SearchEntry[];
}

interface Doc {
  key: string;
  ref: string;
  [field: string]: string;
}

const miniOptions = (o: SearchEngineOptions) => ({
  idField: 'key',
  fields: o.fields,
  storeFields: ['ref'],
  processTerm: (term: string) => (term.length > 0 ? fold(term) : null)
});

export class SearchEngine {
  private constructor(
    private readonly opts: SearchEngineOptions,
    private readonly mini: MiniSearch<Doc>
  ) {}

  static empty(opts: SearchEngineOptions): SearchEngine {
    return new SearchEngine(opts, new MiniSearch<Doc>(miniOptions(opts)));
  }

  /**
   * The engine as `serialize()` left it. In one go: it runs in the worker, and MiniSearch's
   * async loader waits a timer tick every 1,000 entries (4 ms each once timers nest), which
   * at 10,000 tickets was most of the load time.
   */
  static restore(opts: SearchEngineOptions, saved: string): SearchEngine {
    return new SearchEngine(opts, MiniSearch.loadJSON<Doc>(saved, miniOptions(opts)));
  }

  apply(batch: SearchBatch): void {
    for (const key of batch.remove) if (this.mini.has(key)) this.mini.discard(key);
    for (const e of batch.add) {
      if (this.mini.has(e.key)) this.mini.discard(e.key);
      this.mini.add({ ...e.fields, key: e.key, ref: e.ref });
    }
  }

  /** Row ids best first, each once, at most `limit`. */
  search(query: string, limit: number): string[] {
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

  get size(): number {
    return this.mini.documentCount;
  }

  serialize(): string {
    return JSON.stringify(this.mini);
  }
}
