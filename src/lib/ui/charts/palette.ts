/**
 * Series colours for charts on a white background: each has at least 3:1 contrast against
 * white (WCAG 1.4.11 for graphics), neighbours differ in lightness as well as hue, and line
 * series also differ in point shape, so no series is told apart by colour alone.
 */
export const SERIES_COLOURS = [
  '#1f5fa8',
  '#a61b1b',
  '#1d6b3a',
  '#8a5300',
  '#6a3d9a',
  '#00707a',
  '#4f5b6a',
  '#a6126b'
] as const;

export const POINT_STYLES = [
  'circle',
  'rect',
  'triangle',
  'rectRot',
  'crossRot',
  'star',
  'rectRounded',
  'cross'
] as const;

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length];
}

export function pointStyle(i: number): (typeof POINT_STYLES)[number] {
  return POINT_STYLES[i % POINT_STYLES.length];
}
