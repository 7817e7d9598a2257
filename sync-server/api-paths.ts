/**
 * The server's own paths, the API and the gateway: the session is read only for them
 * (auth/index.ts), and the app's shell is never served for them (plugins/static.ts).
 */
const API_PREFIXES = ['/api/', '/couch/'];

export const isApiPath = (url: string) =>
  url === '/api' || url === '/couch' || API_PREFIXES.some((p) => url.startsWith(p));
