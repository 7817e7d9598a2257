/**
 * The geometry of a road section as the administrator enters it: drawn on the map or typed
 * (pasted) as one `lat, lon` pair per line, the way a keyboard or screen-reader user, or a
 * copy from another map, gives it. Both end as the same path of `[lat, lon]` vertices,
 * rounded to about a metre, with repeated vertices dropped.
 */
import type { LatLon } from '../dispatch/geo';

/** 5 decimal places of a degree: about 1.1 m of latitude. */
const round = (x: number) => Math.round(x * 1e5) / 1e5;

/** Rounds every vertex and drops a vertex equal to the one before it (a double click). */
export function normalizePath(path: readonly LatLon[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [lat, lon] of path) {
    const p: [number, number] = [round(lat), round(lon)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

export interface CoordinateLineError {
  /** 1-based line of the text. */
  line: number;
  text: string;
}

/**
 * One point per line: `49.395, 13.295`, `49.395 13.295`, `49,395; 13,295` (Czech decimal
 * commas), `49.395N, 13.295E`. Blank lines are skipped; a line that is not a pair of numbers
 * is reported with its number rather than guessed at.
 */
export function parseCoordinates(text: string): { path: [number, number][]; errors: CoordinateLineError[] } {
  const path: [number, number][] = [];
  const errors: CoordinateLineError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw
      .trim()
      .replace(/°/g, '')
      .replace(/(\d)\s*[NnEe](?=$|[\s,;])/g, '$1');
    if (!line) return;
    const pair = splitPair(line);
    if (!pair) errors.push({ line: i + 1, text: raw.trim() });
    else path.push(pair);
  });
  return { path, errors };
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

function splitPair(line: string): [number, number] | null {
  // A semicolon, a tab or spaces separate the two numbers, so commas inside them are decimal
  // commas; otherwise a single comma separates two numbers with decimal points.
  let parts = line.split(/\s*;\s*|\t+|\s+/).filter(Boolean);
  if (parts.length === 2) parts = parts.map((p) => p.replace(/,$/, '').replace(',', '.'));
  else if (parts.length === 1) parts = line.split(',').map((p) => p.trim());
  else return null;
  if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) return null;
  return [Number(parts[0]), Number(parts[1])];
}

/** The path as the text field shows it: one `lat, lon` a line. */
export function formatCoordinates(path: readonly LatLon[]): string {
  return path.map(([lat, lon]) => `${lat}, ${lon}`).join('\n');
}
