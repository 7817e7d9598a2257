/**
 * The data layer's code (RxDB, its storage and the sync: 72 KB as sent, the largest part of a
 * signed-in start), asked for while a person types on a sign-in page, and when a page of the app
 * opens on a browser that holds no stores of the person (`session-prefetch.ts`). Signing in opens
 * it next, and on a new device nothing can show before it has loaded; the sign-in page itself
 * painted without it.
 */
let asked: Promise<unknown> | null = null;

export function prefetchDataLayer(): void {
  asked ??= import('$lib/db').catch(() => {
    // Offline before the service worker cached it: signing in asks again, or says why not.
    asked = null;
  });
}
