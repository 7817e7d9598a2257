import { describe, expect, it } from 'vitest';
import { matches } from './search';

describe('admin list search', () => {
  it.each([
    ['', true],
    ['klatovy', true],
    ['GYMNAZIUM klatovy', true],
    ['gym 70890366', true],
    ['plzen', false]
  ])('%s → %s', (q, expected) => {
    expect(matches(q, ['gym-kt', 'Gymnázium Jaroslava Vrchlického, Klatovy', '70890366'])).toBe(expected);
  });
});
