import { describe, expect, it } from 'vitest';
import { dateTimeFormat, numberFormat } from './intl-cache';

describe('Intl formatters made once', () => {
  it('gives the same formatter for the same locale and options, another for others', () => {
    const czk = numberFormat('cs-CZ', { style: 'currency', currency: 'CZK' });
    expect(numberFormat('cs-CZ', { style: 'currency', currency: 'CZK' })).toBe(czk);
    expect(numberFormat('cs-CZ', { style: 'currency', currency: 'EUR' })).not.toBe(czk);
    expect(numberFormat('en-GB', { style: 'currency', currency: 'CZK' })).not.toBe(czk);
    const day = dateTimeFormat('cs-CZ', { dateStyle: 'medium', timeZone: 'UTC' });
    expect(dateTimeFormat('cs-CZ', { dateStyle: 'medium', timeZone: 'UTC' })).toBe(day);
    expect(dateTimeFormat('cs-CZ', { dateStyle: 'long', timeZone: 'UTC' })).not.toBe(day);
  });

  it('writes what a formatter made for the call writes', () => {
    const options = { style: 'currency', currency: 'CZK', maximumFractionDigits: 2 } as const;
    for (const n of [0, 1600, 1234567.891, -42.5])
      expect(numberFormat('cs-CZ', options).format(n)).toBe(new Intl.NumberFormat('cs-CZ', options).format(n));
    const at = Date.UTC(2026, 11, 4, 13, 5);
    const dt = { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Prague' } as const;
    for (const locale of ['cs-CZ', 'en-GB'])
      expect(dateTimeFormat(locale, dt).format(at)).toBe(new Intl.DateTimeFormat(locale, dt).format(at));
  });
});
