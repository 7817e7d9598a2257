/**
 * Fetches the messages of a language before they are shown. In the browser build each language
 * is its own dictionary, loaded on demand (see messages.split.ts); in dev and tests Paraglide's
 * modules hold every language already and there is nothing to load.
 */
import * as messages from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

type Split = { loadMessages?: (locale: Locale) => Promise<void> };

export async function loadMessages(locale: Locale): Promise<void> {
  await (messages as Split).loadMessages?.(locale);
}
