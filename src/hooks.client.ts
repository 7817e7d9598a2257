import { openNewDevice } from '$lib/ui/early-open';
import { prefetchSession } from '$lib/ui/session-prefetch';

/**
 * Who is signed in, and a new device's first sync pages, are asked while the app's code loads
 * (session-prefetch.ts): as soon as this module runs, not from `init`, which waits for the whole
 * entry to run (the first render's messages included). A new device over loopback, twelve
 * interleaved runs each: `/api/me` left at 587 against 745 ms after the navigation (median), the
 * first sync request at 780 against 903 ms. Nothing this module imports waits for the messages
 * (`// messages: none` in `api.ts`, Vite's preload helper in a file of its own), and on a new
 * device the person's database is opened from here too (`early-open.ts`): with a 150 ms round
 * trip the first sync request left 662–694 ms after the navigation instead of 817–828 ms.
 */
prefetchSession(location.pathname, { open: openNewDevice });
