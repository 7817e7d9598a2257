/**
 * Fetches the messages of a language before they are shown. In the browser build each language
 * is cut into groups by module, each fetched with the code that uses it; this fetches, in
 * `locale`, every group asked for so far (see messages.split.ts). In dev and tests Paraglide's
 * modules hold every language already and there is nothing to load.
 */
import * as messages from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';

type Split = { loadMessages?: (locale: Locale) => Promise<void> };

export async function loadMessages(locale: Locale): Promise<void> {
  await (messages as Split).loadMessages?.(locale);
}
