/** Lowercase without diacritics, so "tiskarna" finds "Tiskárna" (Czech users often type without them). */
export const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
