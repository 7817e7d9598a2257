/**
 * The lists people open many times a day have their code fetched and evaluated while the first
 * page is idle, so a click on the navigation only mounts the list and reads its first rows
 * (the route's scripts, a dozen, otherwise load on the click).
 */
import { preloadCode } from '$app/navigation';

export const PRELOADED_LISTS: readonly string[] = ['/tickets'];

/** The lists among `hrefs` (the person's navigation) to preload; the current page's is already loaded. */
export function listsToPreload(hrefs: readonly string[], currentPath: string): string[] {
  return PRELOADED_LISTS.filter((l) => hrefs.includes(l) && l !== currentPath);
}

type Idle = (cb: () => void, opts?: { timeout: number }) => number;

/** Preloads once the browser is idle (within 3 s at the latest); returns a cancel. */
export function preloadListsWhenIdle(hrefs: readonly string[], currentPath: string): () => void {
  const lists = listsToPreload(hrefs, currentPath);
  if (lists.length === 0) return () => {};
  const w = window as unknown as { requestIdleCallback?: Idle; cancelIdleCallback?: (h: number) => void };
  const run = () => {
    for (const href of lists) void preloadCode(href).catch((e: unknown) => console.warn('preload of', href, e));
  };
  if (w.requestIdleCallback) {
    const handle = w.requestIdleCallback(run, { timeout: 3000 });
    return () => w.cancelIdleCallback?.(handle);
  }
  const timer = setTimeout(run, 500);
  return () => clearTimeout(timer);
}
