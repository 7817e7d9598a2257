/**
 * The ticket list, opened many times a day, has its code fetched and evaluated while the first
 * page is idle (for people whose navigation has it), so a click only mounts the list and reads
 * its first rows; the route's scripts, a dozen, otherwise load on the click.
 *
 * Not the other lists: preloading the inbox, queue, approvals, tasks and asset lists as well
 * took scenario 10's clicks from about 100 ms to 52–78 ms on a fresh stack, but in the full
 * bench the idle callback ran while pages were still busy: the administrator's reload fetched
 * 165 KB (121 files) before its data showed, against 126 KB (88 files) and a target of 150, and
 * scenario 10's clicks took 191 and 168 ms, most likely racing the other lists' preloads.
 */
export const PRELOADED_LISTS: readonly string[] = ['/tickets'];

/** The lists among `hrefs` (the person's navigation) to preload; the current page's is already loaded. */
export function listsToPreload(hrefs: readonly string[], currentPath: string): string[] {
  return PRELOADED_LISTS.filter((l) => hrefs.includes(l) && l !== currentPath);
}

type Idle = (cb: () => void, opts?: { timeout: number }) => number;

/**
 * Preloads once `after` settled and then the browser is idle (within 3 s at the latest); returns
 * a cancel. `after` keeps a new device's first sync to itself (`session.firstSyncSettled`): the
 * list's code, fetched and compiled while 10,000 tickets were stored, made that first sync
 * 60-80 ms longer on a 2-core machine.
 */
export function preloadListsWhenIdle(
  hrefs: readonly string[],
  currentPath: string,
  after: Promise<void> = Promise.resolve()
): () => void {
  const lists = listsToPreload(hrefs, currentPath);
  if (lists.length === 0) return () => {};
  const w = window as unknown as { requestIdleCallback?: Idle; cancelIdleCallback?: (h: number) => void };
  // `$app/navigation` is loaded with the app already; imported here so that the choice above
  // is a plain module its tests can load outside SvelteKit.
  const run = () =>
    void import('$app/navigation').then(({ preloadCode }) => {
      for (const href of lists) void preloadCode(href).catch((e: unknown) => console.warn('preload of', href, e));
    });
  let cancel: (() => void) | null = null;
  let cancelled = false;
  void after.then(() => {
    if (cancelled) return;
    if (w.requestIdleCallback) {
      const handle = w.requestIdleCallback(run, { timeout: 3000 });
      cancel = () => w.cancelIdleCallback?.(handle);
    } else {
      const timer = setTimeout(run, 500);
      cancel = () => clearTimeout(timer);
    }
  });
  return () => {
    cancelled = true;
    cancel?.();
  };
}
