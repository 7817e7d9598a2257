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
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope;

const IMMUTABLE = /\/_app\/immutable\//;

precacheAndRoute([
  { url: '/index.html', revision: version },
  ...build.map((url) => ({ url, revision: IMMUTABLE.test(url) ? null : version })),
  ...files.filter((url) => !url.endsWith('/.gitkeep')).map((url) => ({ url, revision: version }))
]);
cleanupOutdatedCaches();

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
 * Winter alerts pushed by the server (`sync-server/push/`): shown as a notification even with
 * the app closed; one per district at a time (`tag`), so a newer alert replaces an older one
 * on the screen as the push service's `Topic` does in transit. Tapping it opens the alert.
 */
interface AlertPush {
  id?: string;
  title?: string;
  body?: string;
  district?: string;
  severity?: number;
  url?: string;
}

self.addEventListener('push', (event) => {
  let data: AlertPush = {};
  try {
    data = (event.data?.json() ?? {}) as AlertPush;
  } catch {
    data = { title: event.data?.text() };
  }
  const url = data.url && data.url.startsWith('/') ? data.url : '/dispatch/alerts';
  event.waitUntil(
    self.registration.showNotification(data.title || 'Zimní výstraha', {
      body: data.body ?? '',
      tag: `winter-${data.district ?? 'all'}`,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      requireInteraction: (data.severity ?? 0) >= 3,
      data: { url, id: data.id }
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
