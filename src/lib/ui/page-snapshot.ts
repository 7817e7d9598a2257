/**
 * A list page as last shown on this device, kept so that a reload paints it at once, before the
 * data layer (RxDB, its storage, the replication: the larger part of the app's code) has loaded.
 * The inbox keeps its items for that (`portal/inbox-snapshot.ts`); pages whose rows are read
 * through the database's indexes (the queue, the ticket list, the dispatch screens) keep their
 * own markup instead, so the frame can show it, inert, until the page itself renders.
 *
 * What is kept is the page's rendered markup without scripts, embedded frames, event
 * attributes, ids and test ids, taken once the page shows its data and has been still for a
 * moment, only for the page's default view (an address without a query) and only while nothing
 * in it is scrolled (a virtual list shows the rows of its scroll position). It holds what the
 * device already stores and shows; it is kept per person and page and goes with every sign-out.
 */
import { holdsSessionOf } from '$lib/api';

const PREFIX = 'ict.page:';
/** Larger pages are not kept (a full table of a long history): they paint once the data loads. */
export const SNAPSHOT_MAX_CHARS = 200_000;
/** Quiet time after the last change of the page before it is kept. */
export const SETTLE_MS = 800;

interface StoredSnapshot {
  userId: string;
  html: string;
}

const DROPPED_ELEMENTS = new Set(['script', 'iframe', 'object', 'embed', 'frame', 'frameset', 'base', 'meta', 'link']);
// Ids and test ids would name the real page's elements twice while both exist, and a test or a
// label must find the live page, never its picture.
const DROPPED_ATTRIBUTES = new Set(['id', 'data-testid', 'autofocus', 'srcdoc', 'formaction', 'action']);

const storage = (): Storage | null => (typeof localStorage === 'undefined' ? null : localStorage);

/** Removes from `root`'s subtree what must never come back as markup: scripts, frames, handlers. */
export function cleanMarkup(root: Element | DocumentFragment): void {
  for (const el of [...root.querySelectorAll('*')]) {
    if (DROPPED_ELEMENTS.has(el.localName)) {
      el.remove();
      continue;
    }
    for (const { name, value } of [...el.attributes]) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on') || DROPPED_ATTRIBUTES.has(lower) || /^\s*javascript:/i.test(value))
        el.removeAttribute(name);
    }
  }
}

/** The markup to keep of `node`: a cleaned copy, or null when it must not be kept. */
export function snapshotOf(node: Element): string | null {
  const wrapper = node.ownerDocument.createElement('div');
  wrapper.append(node.cloneNode(true));
  cleanMarkup(wrapper);
  const html = wrapper.innerHTML;
  return html.length <= SNAPSHOT_MAX_CHARS ? html : null;
}

/** A fragment of the kept markup, cleaned again as it is read (the storage is the device's). */
export function snapshotFragment(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  cleanMarkup(template.content);
  return template.content;
}

export function readPageSnapshot(userId: string, path: string): string | null {
  try {
    const raw = storage()?.getItem(PREFIX + path);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<StoredSnapshot>;
    return s.userId === userId && typeof s.html === 'string' ? s.html : null;
  } catch {
    return null;
  }
}

export function writePageSnapshot(userId: string, path: string, html: string): void {
  // Another window's sign-out: this one's page, left as it learns of it, is not kept.
  if (!holdsSessionOf(userId)) return;
  try {
    storage()?.setItem(PREFIX + path, JSON.stringify({ userId, html } satisfies StoredSnapshot));
  } catch {
    // Storage full or refused: this page paints once the database answers, as before.
    forgetPageSnapshot(path);
  }
}

function forgetPageSnapshot(path: string): void {
  try {
    storage()?.removeItem(PREFIX + path);
  } catch {
    // Nothing stored to forget.
  }
}

/** Every page's snapshot (at sign-out: the next person must not see this one's pages). */
export function forgetPageSnapshots(): void {
  const s = storage();
  if (!s) return;
  try {
    const keys = Array.from({ length: s.length }, (_, i) => s.key(i)).filter((k) => k?.startsWith(PREFIX));
    for (const k of keys) s.removeItem(k!);
  } catch {
    // Nothing stored to forget.
  }
}

const scrolled = (node: Element): boolean =>
  node.scrollTop > 0 || [...node.querySelectorAll('*')].some((el) => el.scrollTop > 0);

export interface KeepOptions {
  userId: string | undefined;
  /** The page shows its data (not "loading"): only then is it worth painting again. */
  ready: boolean;
}

/**
 * Svelte action for a page's outermost element: keeps its markup as the page's snapshot once
 * `ready`, after `SETTLE_MS` without changes, and when the page is left or hidden.
 */
export function keepPageSnapshot(node: HTMLElement, options: KeepOptions) {
  let opts = options;
  const path = location.pathname;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // What this page last stored: a minute's clock ticking in a badge must not rewrite the same
  // 100 KB of markup into storage every minute.
  let stored: string | null = null;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!opts.ready || !opts.userId || location.pathname !== path || location.search || !node.isConnected) return;
    if (scrolled(node)) return;
    const html = snapshotOf(node);
    if (html === stored) return;
    stored = html;
    if (html) writePageSnapshot(opts.userId, path, html);
    else forgetPageSnapshot(path);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, SETTLE_MS);
  };
  const observer = new MutationObserver(later);
  observer.observe(node, { subtree: true, childList: true, characterData: true, attributes: true });
  const onHide = () => {
    if (document.visibilityState === 'hidden' && timer !== undefined) save();
  };
  document.addEventListener('visibilitychange', onHide);
  later();
  return {
    update(next: KeepOptions) {
      opts = next;
      later();
    },
    destroy() {
      // Leaving the page keeps what it showed last, if it was still waiting to be kept.
      if (timer !== undefined) save();
      observer.disconnect();
      document.removeEventListener('visibilitychange', onHide);
    }
  };
}
