/**
 * Where things are in the Plzeň Region: its seven districts as simplified polygons (data, a
 * few dozen vertices; good enough to tell a district and to refuse a position that is plainly
 * outside the region, not a cadastral boundary), the district of a point, and the road
 * section nearest to a point (what a crew's report suggests). Coordinates are `[lat, lon]`,
 * Leaflet's order. Distances use an equirectangular projection: exact to well under a metre
 * over the few kilometres that matter here.
 */
import type { District } from '../schemas/region';

export type LatLon = readonly [number, number];

/** Simplified district boundaries; neighbours share vertices, so the region has no gaps. */
export const DISTRICT_BOUNDARIES: Record<District, readonly LatLon[]> = {
  TC: [
    [50.0, 12.45],
    [50.05, 12.85],
    [49.9, 13.0],
    [49.68, 13.02],
    [49.55, 12.95],
    [49.61, 12.8],
    [49.62, 12.55],
    [49.75, 12.4]
  ],
  PS: [
    [50.05, 12.85],
    [50.1, 13.3],
    [50.0, 13.52],
    [49.86, 13.55],
    [49.8, 13.5],
    [49.8, 13.27],
    [49.72, 13.2],
    [49.68, 13.02],
    [49.9, 13.0]
  ],
  RO: [
    [50.0, 13.52],
    [49.97, 13.95],
    [49.65, 13.95],
    [49.6, 13.8],
    [49.68, 13.55],
    [49.8, 13.5],
    [49.86, 13.55]
  ],
  PM: [
    [49.8, 13.27],
    [49.8, 13.5],
    [49.68, 13.5],
    [49.68, 13.27]
  ],
  PJ: [
    [49.72, 13.2],
    [49.8, 13.27],
    [49.68, 13.27],
    [49.68, 13.5],
    [49.8, 13.5],
    [49.68, 13.55],
    [49.6, 13.8],
    [49.45, 13.8],
    [49.4, 13.55],
    [49.45, 13.2],
    [49.55, 13.1],
    [49.68, 13.02]
  ],
  DO: [
    [49.62, 12.55],
    [49.61, 12.8],
    [49.55, 12.95],
    [49.68, 13.02],
    [49.55, 13.1],
    [49.45, 13.2],
    [49.3, 13.1],
    [49.25, 12.85],
    [49.4, 12.6]
  ],
  KT: [
    [49.45, 13.2],
    [49.4, 13.55],
    [49.45, 13.8],
    [49.25, 13.85],
    [49.05, 13.55],
    [49.15, 13.15],
    [49.3, 13.1]
  ]
};

const DISTRICT_IDS = Object.keys(DISTRICT_BOUNDARIES) as District[];

/** Ray casting; a point on an edge may count for either neighbour. */
export function inPolygon([lat, lon]: LatLon, poly: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [yi, xi] = poly[i];
    const [yj, xj] = poly[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function districtAt(p: LatLon): District | null {
  return DISTRICT_IDS.find((d) => inPolygon(p, DISTRICT_BOUNDARIES[d])) ?? null;
}

/** Within the region, with a margin for GPS error and roads that run along the boundary. */
export function inRegion(p: LatLon, marginM = 3000): boolean {
  if (districtAt(p)) return true;
  return DISTRICT_IDS.some((d) => distanceToPathM(p, closed(DISTRICT_BOUNDARIES[d])) <= marginM);
}

const closed = (poly: readonly LatLon[]): LatLon[] => [...poly, poly[0]];

const M_PER_DEG = 111_320;

function toXY([lat, lon]: LatLon, lat0: number): [number, number] {
  return [lon * M_PER_DEG * Math.cos((lat0 * Math.PI) / 180), lat * M_PER_DEG];
}

export function distanceM(a: LatLon, b: LatLon): number {
  const [ax, ay] = toXY(a, a[0]);
  const [bx, by] = toXY(b, a[0]);
  return Math.hypot(ax - bx, ay - by);
}

/** Shortest distance from a point to a polyline, in metres. */
export function distanceToPathM(p: LatLon, path: readonly LatLon[]): number {
  const [px, py] = toXY(p, p[0]);
  let best = Infinity;
  for (let i = 0; i < path.length; i++) {
    const [ax, ay] = toXY(path[i], p[0]);
    const [bx, by] = toXY(path[Math.min(i + 1, path.length - 1)], p[0]);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
    best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)));
  }
  return best;
}

export function pathLengthKm(path: readonly LatLon[]): number {
  let m = 0;
  for (let i = 1; i < path.length; i++) m += distanceM(path[i - 1], path[i]);
  return m / 1000;
}

export interface NearSection<S> {
  section: S;
  distanceM: number;
}

/** Sections within `maxM` of a point, nearest first (what a report screen suggests). */
export function nearestSections<S extends { path: readonly LatLon[] }>(
  p: LatLon,
  sections: readonly S[],
  maxM = 2000,
  limit = 3
): NearSection<S>[] {
  return sections
    .map((section) => ({ section, distanceM: distanceToPathM(p, section.path) }))
    .filter((s) => s.distanceM <= maxM)
    .sort((a, b) => a.distanceM - b.distanceM)
    .slice(0, limit);
}
