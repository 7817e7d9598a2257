import { describe, expect, it } from 'vitest';
import { isValidIco, parseIco } from './ico';

describe('IČO', () => {
  it.each([
    ['70890366', '70890366'], // Plzeňský kraj
    ['00075370', '00075370'], // Statutární město Plzeň
    ['75370', null], // too short even for padding
    ['708 90 366', '70890366'],
    ['49777513', '49777513'], // Západočeská univerzita v Plzni
    ['10000020', '10000020'], // remainder 1: check digit 0
    ['10000071', '10000071'] // remainder 0: check digit 1
  ])('%s → %s', (input, expected) => {
    const r = parseIco(input);
    expect('ico' in r ? r.ico : null).toBe(expected);
  });

  it('pads six or seven digits with zeros', () => {
    expect(parseIco('75370')).toEqual({ problem: 'format' });
    expect(parseIco('075370')).toEqual({ ico: '00075370' });
  });

  it.each([
    ['70890367', 'checksum'],
    ['70890365', 'checksum'],
    ['7089036a', 'format'],
    ['', 'format'],
    ['123456789', 'format']
  ])('refuses %s (%s)', (input, problem) => {
    expect(parseIco(input)).toEqual({ problem });
    expect(isValidIco(input)).toBe(false);
  });
});
