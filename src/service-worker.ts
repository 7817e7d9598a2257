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
