/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
/**
 * Offline guarantee: after one visit every file of the app is in the precache, and every
 * navigation (reload included) is answered with the cached index.html, so the app starts with
 * no network; its data lives in IndexedDB. `/api` and `/couch` are never cached: they are the
 * live server. Map tiles are cached only when someone actually viewed them (OpenStreetMap
 * forbids bulk download). A new version waits until the page asks it to take over.
 * The code scanner's zxing WebAssembly is a file of the build (`lib/ui/scanner/detector.ts`
 * imports it with `?url`), so it is in `build` and precached: scanning works offline and the
 * polyfill never asks a CDN for it.
 */
import { build, files, version } from '$service-worker';
import { notificationFor, type PushData } from '$lib/domain/push-notification';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { cacheNames } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  getCacheKeyForURL,
  precacheAndRoute
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { packPath, unpackFiles } from '$lib/sw/precache-pack.js';

declare const self: ServiceWorkerGlobalScope;

const IMMUTABLE = /\/_app\/immutable\//;
/** Fewer missing files than this are fetched one by one: an update that changed a few chunks. */
const PACK_WORTH = 40;

/**
 * Puts the build's immutable files into Workbox's precache from one download, the pack the
 * build wrote (`lib/sw/precache-pack.js`), before Workbox's install looks for them: it finds
 * them cached and fetches only the rest (index.html, the static files). Anything wrong with
 * the pack leaves the precache as it was, and Workbox fetches every file as before.
 */
async function fillFromPack(): Promise<void> {
  try {
    const cache = await caches.open(cacheNames.precache);
    const cached = new Set((await cache.keys()).map((r) => r.url));
    const missing = build.filter((url) => IMMUTABLE.test(url) && !cached.has(getCacheKeyForURL(url) ?? ''));
    if (missing.length < PACK_WORTH) return;
    const res = await fetch(packPath('_app', version), { cache: 'no-store', credentials: 'same-origin' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const wanted = new Set(missing);
    await Promise.all(
      unpackFiles(await res.arrayBuffer())
        .filter((f) => wanted.has(f.url))
        .map((f) => cache.put(getCacheKeyForURL(f.url)!, new Response(f.body, { headers: { 'content-type': f.type } })))
    );
  } catch (err) {
    console.warn('Precache pack not used; the files are fetched one by one:', err);
  }
}

let filled: Promise<void> | null = null;
addPlugins([
  {
    handlerWillStart: async ({ event }) => {
      if (event?.type === 'install') await (filled ??= fillFromPack());
    }
  }
]);

precacheAndRoute([
  { url: '/index.html', revision: version },
  ...build.map((url) => ({ url, revision: IMMUTABLE.test(url) ? null : version })),
  ...files.filter((url) => !url.endsWith('/.gitkeep')).map((url) => ({ url, revision: version }))
]);
cleanupOutdatedCaches();

/** The static routing API's part used here (Chromium 123+; absent elsewhere, where the fetch handler serves). */
interface RouterRule {
  condition: { urlPattern: string; requestMethod: string };
  source: { cacheName: string };
}
/**
 * The build's immutable files straight from the precache, without running this worker's
 * fetch handler: a page's scripts are read by the browser itself. A file not in the cache
 * falls back to the network, as the handler's precache route does.
 */
self.addEventListener('install', (event) => {
  const install = event as ExtendableEvent & { addRoutes?: (rules: RouterRule[]) => Promise<void> };
  if (typeof install.addRoutes !== 'function') return;
  event.waitUntil(
    install
      .addRoutes([
        {
          condition: { urlPattern: '/_app/immutable/*', requestMethod: 'GET' },
          source: { cacheName: cacheNames.precache }
        }
      ])
      .catch((err: unknown) => console.warn('Static routes not set; the fetch handler serves every file:', err))
  );
});

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    denylist: [/^\/api(\/|$)/, /^\/couch(\/|$)/]
  })
);

/** `…/{z}/{x}/{y}.png` (or jpg/webp), from any tile server, the self-hosted one included. */
const TILE = /\/\d{1,2}\/\d+\/\d+(@2x)?\.(png|jpe?g|webp)(\?.*)?$/;

registerRoute(
  ({ request, url }) => request.destination === 'image' && TILE.test(url.pathname + url.search),
  new CacheFirst({
    cacheName: 'map-tiles',
    plugins: [
      new CacheableResponsePlugin({ statuses: [0, 200] }),
      new ExpirationPlugin({ maxEntries: 3000, maxAgeSeconds: 30 * 24 * 60 * 60, purgeOnQuotaError: true })
    ]
  })
);

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/**
 * Pushes from the server (`sync-server/push/`): winter alerts and the inbox's reminders,
 * shown as notifications even with the app closed (`notificationFor` picks title, tag and the
 * page a tap opens). A newer one with the same tag replaces an older one on the screen, as the
 * push service's `Topic` does in transit.
 */
self.addEventListener('push', (event) => {
  let data: PushData = {};
  try {
    data = (event.data?.json() ?? {}) as PushData;
  } catch {
    data = { title: event.data?.text() };
  }
  const n = notificationFor(data);
  event.waitUntil(
    self.registration.showNotification(n.title, {
      body: n.body,
      tag: n.tag,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      requireInteraction: n.requireInteraction,
      data: { url: n.url, id: data.id }
    })
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(
    (event.notification.data as { url?: string } | null)?.url ?? '/dispatch/alerts',
    self.location.origin
  ).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        await open.navigate(url);
        return;
      }
      await self.clients.openWindow(url);
    })()
  );
});
