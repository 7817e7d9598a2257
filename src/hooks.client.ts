import type { ClientInit } from '@sveltejs/kit';
import { prefetchSession } from '$lib/ui/session-prefetch';

/**
 * Runs once per page load, before the first route's code is fetched: who is signed in, and a
 * new device's first sync pages, are asked while that code loads (session-prefetch.ts).
 */
export const init: ClientInit = () => {
  prefetchSession(location.pathname);
};
