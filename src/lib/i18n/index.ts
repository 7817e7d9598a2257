export { m } from '$lib/paraglide/messages';
export { locale, locales, formatDateTime, formatTime, formatNumber, type Locale } from './locale.svelte';
