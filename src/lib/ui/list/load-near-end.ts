/**
 * A card list reads its next page as its "show more" button comes within a screen of the view,
 * so a person scrolling never stops at it; the button stays, for the keyboard and for a browser
 * without `IntersectionObserver`. A list's first page can then hold what two screens show
 * (`CARD_PAGE_SIZE`) instead of building rows nobody sees before the first frame.
 */
import type { Action } from 'svelte/action';

/** Cards in a list's first page: two screens of a tablet, where about ten fit. */
export const CARD_PAGE_SIZE = 25;

/** Calls `load` while `node` (the "show more" button) is within a screen below the view. */
export const loadNearEnd: Action<HTMLElement, () => Promise<void>> = (node, initial) => {
  if (typeof IntersectionObserver === 'undefined') return;
  let load = initial;
  let busy = false;
  let near = false;
  const observer = new IntersectionObserver(
    (entries) => {
      near = entries[entries.length - 1].isIntersecting;
      void next();
    },
    { rootMargin: '0px 0px 100% 0px' }
  );
  // A page read may leave the button as near as before (short rows): then it reads on, since
  // the observer speaks only when the nearness changes.
  async function next() {
    if (busy || !near) return;
    busy = true;
    try {
      await load();
    } catch (err) {
      // The button still reads it on a click; scrolling does not ask again and again.
      console.warn('The next page could not be read:', err);
      return;
    } finally {
      busy = false;
    }
    observer.unobserve(node);
    observer.observe(node);
  }
  observer.observe(node);
  return {
    update(nextLoad) {
      load = nextLoad;
    },
    destroy() {
      observer.disconnect();
    }
  };
};
