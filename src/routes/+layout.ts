import { loadMessages, locale } from '$lib/i18n';

// A client-rendered app: the service worker serves one index.html for every route, offline too.
export const ssr = false;
export const prerender = false;

// The first render needs the person's language: every message group asked for so far, in it (see
// messages.split.ts; each module's own groups come with its code).
export const load = async () => {
  await loadMessages(locale.current);
};
