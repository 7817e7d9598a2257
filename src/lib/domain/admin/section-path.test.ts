import { describe, expect, it } from 'vitest';
import { formatCoordinates, normalizePath, parseCoordinates } from './section-path';

describe('section path', () => {
  it.each([
    ['decimal points with a comma', '49.395, 13.295'],
    ['decimal points with a space', '49.395 13.295'],
    ['decimal points, no space', '49.395,13.295'],
    ['Czech decimal commas with a semicolon', '49,395; 13,295'],
    ['Czech decimal commas with a space', '49,395 13,295'],
    ['a tab (a spreadsheet column pair)', '49.395\t13.295'],
    ['hemisphere letters and degrees', '49.395°N, 13.295°E']
  ])('reads %s', (_name, line) => {
    expect(parseCoordinates(`${line}\n\n  49.321, 13.218  `)).toEqual({
      path: [
        [49.395, 13.295],
        [49.321, 13.218]
      ],
      errors: []
    });
  });

  it('names each line it cannot read instead of guessing', () => {
    expect(parseCoordinates('49.395, 13.295\n49,395,13,295\nKlatovy\n1 2 3').errors).toEqual([
      { line: 2, text: '49,395,13,295' },
      { line: 3, text: 'Klatovy' },
      { line: 4, text: '1 2 3' }
    ]);
  });

  it('rounds to about a metre and drops a repeated vertex', () => {
    expect(
      normalizePath([
        [49.3950001, 13.2950004],
        [49.395, 13.295],
        [49.321, 13.218]
      ])
    ).toEqual([
      [49.395, 13.295],
      [49.321, 13.218]
    ]);
  });

  it('formats a path that reads back the same', () => {
    const path: [number, number][] = [
      [49.395, 13.295],
      [49.321, 13.218]
    ];
    expect(parseCoordinates(formatCoordinates(path)).path).toEqual(path);
  });
});
