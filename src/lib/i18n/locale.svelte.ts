/**
 * The current language as reactive state. Paraglide's messages read the locale when they are
 * called, so the layout re-renders its tree when this changes (no reload: a reload while
 * offline would work too, but it would drop what someone is typing).
 */
import { dateTimeFormat, numberFormat } from './intl-cache';
import { getLocale, locales, setLocale, type Locale } from '$lib/paraglide/runtime';
import { loadMessages } from './load-messages';

class LocaleState {
  current = $state<Locale>(getLocale());

  /** Switches once the language's messages are on hand (fetched the first time, from the service worker offline). */
  async set(locale: Locale): Promise<void> {
    await loadMessages(locale);
    setLocale(locale, { reload: false });
    this.current = locale;
    document.documentElement.lang = locale;
  }
}

export const locale = new LocaleState();
export { locales, type Locale };

/** The current language as Intl's tag (Czech formats as in Czechia, English as in Britain: day first). */
export const intlLocale = (): string => (locale.current === 'cs' ? 'cs-CZ' : 'en-GB');

export function formatDateTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(t);
}

export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return dateTimeFormat(intlLocale(), { timeStyle: 'short' }).format(t);
}

export function formatNumber(n: number): string {
  return numberFormat(intlLocale()).format(n);
}

/** A calendar day (YYYY-MM-DD) as people write it; no time zone may move it to another day. */
export function formatDay(day: string): string {
  const t = Date.parse(`${day}T12:00:00Z`);
  if (Number.isNaN(t)) return day;
  return dateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(t);
}
