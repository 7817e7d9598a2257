import { loadMessages, locale } from '$lib/i18n';

// A client-rendered app: the service worker serves one index.html for every route, offline too.
export const ssr = false;
export const prerender = false;

// The first render needs the messages of the person's language (one dictionary, see messages.split.ts).
export const load = async () => {
  await loadMessages(locale.current);
};
