/** Amounts, days and times of the portal's screens, in the person's language. */
import { numberFormat } from '$lib/i18n/intl-cache';
import { formatDateTime, intlLocale } from '$lib/i18n';

export const formatAmount = (n: number, currency: string) =>
  numberFormat(intlLocale(), { style: 'currency', currency, maximumFractionDigits: 2 }).format(n);
export const formatDay = (day: string | undefined) =>
  day ? new Date(`${day}T12:00:00`).toLocaleDateString(intlLocale()) : '';
/** A moment to the minute: deadlines and decisions are set and read in minutes, not seconds. */
export const formatTime = formatDateTime;
