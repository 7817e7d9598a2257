import { describe, expect, it } from 'vitest';
import { mayHaveMore } from './pull';

describe('whether a _changes page may have more behind it', () => {
  it('is so for a full page, and for one short only by what the gateway hides', () => {
    expect(mayHaveMore(0, 200, 200, 200)).toBe(true);
    expect(mayHaveMore(0, 2, 1, 2)).toBe(true); // the design document was filtered out
    expect(mayHaveMore('0', '5-abc', 195, 200)).toBe(true);
  });
  it('is not so for a clearly short page, nor for one that did not move the sequence', () => {
    expect(mayHaveMore(0, 40, 39, 200)).toBe(false);
    expect(mayHaveMore(7, 7, 0, 2)).toBe(false);
    expect(mayHaveMore('7-x', '7-x', 0, 2)).toBe(false);
  });
});
