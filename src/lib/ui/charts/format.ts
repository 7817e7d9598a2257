/** Numbers, money, shares and months in the reader's language (Czech: `1 600 Kč`, `92 %`, `březen 2026`). */
import { dateTimeFormat, numberFormat } from '$lib/i18n/intl-cache';
import { intlLocale } from '$lib/i18n';

export function formatInt(n: number): string {
  return numberFormat(intlLocale(), { maximumFractionDigits: 0 }).format(n);
}

export function formatCzk(n: number): string {
  return numberFormat(intlLocale(), { style: 'currency', currency: 'CZK', maximumFractionDigits: 0 }).format(n);
}

/** A share 0–1 as a whole percentage; null (nothing to measure) as an en dash. */
export function formatShare(share: number | null): string {
  if (share === null) return '–';
  return numberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

function monthDate(month: string): Date {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 15));
}

/** `2026-03` → `březen 2026` / `March 2026`. */
export function formatMonth(month: string): string {
  return dateTimeFormat(intlLocale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(monthDate(month));
}

/** `2026-03` → `3/26`-like short form for chart axes. */
export function formatMonthShort(month: string): string {
  return dateTimeFormat(intlLocale(), { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(monthDate(month));
}
