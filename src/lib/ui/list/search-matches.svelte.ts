/**
 * What a list's search box finds, as runes state: the ids the local full-text index answers for
 * the typed text (after a short pause in typing), or `null` while there is no text or the index
 * is still being built. The index loads on first use (`warm()`, e.g. when the search box gets
 * focus), so a list that is only looked at never loads it.
 *
 * Given the list's plan, the index answers in the list's view (`searchViewOf`): only the
 * matches the plan's ranges admit, already in its order, so the list reads just the rows it
 * shows. The answer is asked again, without the typing pause, when the view changes (another
 * sort or filter) and whenever the index has taken in changed documents (a sync, an edit), so
 * the matches follow the data while the text stays.
 *
 * A plan whose order no index of the device holds (`bySearchIndex`: the ticket list by creation,
 * priority or title, the queue's closed history) is answered by the index with no text too: every
 * row of its view, in its order.
 *
 *   const found = searchMatches(() => ({ collection: db.tickets, text, plan }), ticketSearchOf);
 *   found.matches, found.preparing, found.progress, found.expected, found.warm()
 */
import type { RxCollection } from 'rxdb';
import type { ListPlan } from './keyset';
import { searchViewOf, viewKey, type Found } from './match-pages';
import type { SearchIndex } from './search-index';

const TYPING_PAUSE_MS = 120;
const PROGRESS_MS = 250;

export function searchMatches(
  source: () => { collection: RxCollection; text: string; plan?: ListPlan<never> | null },
  load: (collection: RxCollection) => Promise<SearchIndex>
): {
  readonly matches: Found | null;
  readonly preparing: boolean;
  /** While preparing: documents the index has taken in so far (0 until it says). */
  readonly progress: number;
  /** While preparing a first build: the documents it will take in (null when not known). */
  readonly expected: number | null;
  warm(): void;
} {
  let matches = $state.raw<Found | null>(null);
  /** Bumped when the index took in changes: the same search is asked again. */
  let changes = $state(0);
  let index: Promise<SearchIndex> | null = null;
  let indexOf: RxCollection | null = null;
  let stopFollowing: (() => void) | null = null;
  const get = (collection: RxCollection) => {
    if (!index || indexOf !== collection) {
      indexOf = collection;
      stopFollowing?.();
      stopFollowing = null;
      index = load(collection).then((i) => {
        if (indexOf === collection) stopFollowing = i.onChange(() => changes++);
        return i;
      });
    }
    return index;
  };
  let lastText = '';
  /** Documents the index had taken in when last looked at, while the list waits for it. */
  let taken = $state(0);
  let expected = $state<number | null>(null);

  $effect(() => () => stopFollowing?.());

  $effect(() => {
    const { collection, text, plan } = source();
    void changes;
    const q = text.trim();
    const typed = q !== lastText;
    lastText = q;
    const view = plan ? searchViewOf(plan) : null;
    const everything = !!plan?.bySearchIndex;
    if (!q && !everything) {
      matches = null;
      return;
    }
    let current = true;
    const timer = setTimeout(
      () => {
        void get(collection)
          .then(async (i) => {
            // A first build takes seconds on a large device (20 s at 100,000 tickets): the
            // list says how many documents the index has taken in meanwhile.
            const poll = setInterval(() => {
              if (!current) return;
              taken = i.stats.caughtUp;
              expected = i.stats.expected;
            }, PROGRESS_MS);
            try {
              if (!view) return { ids: await i.search(q), query: q };
              try {
                return { ids: await i.search(q, view), query: q, view: viewKey(view) };
              } catch (e) {
                // Without the index's order such a list has no other way to its rows.
                if (everything) throw e;
                // An index that keeps none of the view's fields still finds every match.
                console.warn('search in the list order failed, answering every match', e);
                return { ids: await i.search(q), query: q };
              }
            } finally {
              clearInterval(poll);
            }
          })
          .then((found) => {
            if (current) matches = found;
          })
          .catch((e: unknown) => console.error('the list order from the search index failed', e));
      },
      typed && q ? TYPING_PAUSE_MS : 0
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  });

  /** Whether the list waits for the index: text typed, or an order only the index holds. */
  const wanted = () => {
    const { text, plan } = source();
    return text.trim() !== '' || !!plan?.bySearchIndex;
  };
  // Derived once per change, not per read: the count line, its bar and the export button all ask.
  const preparing = $derived.by(() => {
    if (!wanted()) return false;
    if (matches === null) return true;
    // Still the answer of the view before (another sort or filter was just chosen).
    const plan = source().plan;
    const view = plan ? searchViewOf(plan) : null;
    return !!(view && matches.view && matches.view !== viewKey(view));
  });
  return {
    get matches() {
      return wanted() ? matches : null;
    },
    get preparing() {
      return preparing;
    },
    get progress() {
      return preparing ? taken : 0;
    },
    get expected() {
      return preparing ? expected : null;
    },
    warm() {
      void get(source().collection).then((i) => i.warm());
    }
  };
}

/** The ticket search index, loaded on first use. */
export const ticketSearchOf = (collection: RxCollection): Promise<SearchIndex> =>
  import('./ticket-search').then((m) => m.ticketSearch(collection));
