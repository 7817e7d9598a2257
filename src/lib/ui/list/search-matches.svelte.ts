/**
 * What a list's search box finds, as runes state: the ids the local full-text index answers for
 * the typed text (after a short pause in typing), or `null` while there is no text or the index
 * is still being built. The index and MiniSearch load on first use (`warm()`, e.g. when the
 * search box gets focus), so a list that is only looked at never loads them.
 *
 *   const found = searchMatches(() => ({ collection: db.tickets, text }), ticketSearchOf);
 *   found.matches, found.preparing, found.warm()
 */
import type { RxCollection } from 'rxdb';
import type { SearchIndex } from './search-index';

const TYPING_PAUSE_MS = 120;

export function searchMatches(
  source: () => { collection: RxCollection; text: string },
  load: (collection: RxCollection) => Promise<SearchIndex>
): { readonly matches: string[] | null; readonly preparing: boolean; warm(): void } {
  let matches = $state.raw<string[] | null>(null);
  let index: Promise<SearchIndex> | null = null;
  let indexOf: RxCollection | null = null;
  const get = (collection: RxCollection) => {
    if (!index || indexOf !== collection) {
      indexOf = collection;
      index = load(collection);
    }
    return index;
  };

  $effect(() => {
    const { collection, text } = source();
    const q = text.trim();
    if (!q) {
      matches = null;
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      void get(collection)
        .then((i) => i.search(q))
        .then((ids) => {
          if (current) matches = ids;
        });
    }, TYPING_PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  });

  return {
    get matches() {
      return source().text.trim() ? matches : null;
    },
    get preparing() {
      return source().text.trim() !== '' && matches === null;
    },
    warm() {
      void get(source().collection).then((i) => i.warm());
    }
  };
}

/** The ticket search index, loaded on first use. */
export const ticketSearchOf = (collection: RxCollection): Promise<SearchIndex> =>
  import('./ticket-search').then((m) => m.ticketSearch(collection));
