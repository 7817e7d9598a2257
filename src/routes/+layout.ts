// A client-rendered app: the service worker serves one index.html for every route, offline too.
export const ssr = false;
export const prerender = false;
