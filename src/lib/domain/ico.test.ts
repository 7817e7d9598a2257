import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidIco, normalizeIco } from './ico';

describe('IČO checksum', () => {
  it.each([
    ['00066001', true],
    ['70890366', true],
    ['27082440', true], // Alza.cz a.s.
    ['27082441', false],
    ['1234567', false],
    ['abcdefgh', false],
    ['', false],
    ['123456789', false]
  ])('%s → %s', (ico, ok) => expect(isValidIco(ico)).toBe(ok));

  it('pads short numbers and ignores spaces', () => {
    expect(normalizeIco('66 001')).toBe('00066001');
    expect(isValidIco('66 001')).toBe(true);
  });

  it('exactly one check digit completes any seven digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), (seven) => {
        const valid = [...'0123456789'].filter((d) => isValidIco(seven + d));
        expect(valid).toHaveLength(1);
      })
    );
  });
});
