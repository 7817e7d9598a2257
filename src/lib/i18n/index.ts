export { m } from '$lib/paraglide/messages';
export { loadMessages } from './load-messages';
export {
  locale,
  locales,
  formatDateTime,
  formatDay,
  formatTime,
  formatNumber,
  intlLocale,
  type Locale
} from './locale.svelte';
