/**
 * A new road section as the administrator enters it, checked the same way in the drawing
 * screen (inline, as vertices are added) and on the server (the word that counts). Each
 * problem names its field and a stable code, so the screen says it in the person's language
 * and the API in a sentence.
 *
 * What makes a section valid here: the region maintains II. and III. class roads only (I.
 * class roads are the state's), road numbers follow the Czech numbering (three digits for
 * II. class, four to six for III. class), the pořadí důležitosti is I, II or III, and the path
 * has at least two distinct vertices, all inside the Plzeň Region (with the same margin the
 * crews' reports get) and touching the district the section is filed under.
 */
import {
  DISTRICT_BOUNDARIES,
  distanceToPathM,
  districtAt,
  inPolygon,
  inRegion,
  pathLengthKm,
  type LatLon
} from '../dispatch/geo';
import { DISTRICTS, type District } from '../schemas/region';
import { normalizePath } from './section-path';

export const ROAD_CLASSES = ['II', 'III'] as const;
export type RoadClass = (typeof ROAD_CLASSES)[number];
export const SECTION_ORDERS = ['I', 'II', 'III'] as const;
export type SectionOrder = (typeof SECTION_ORDERS)[number];
export const SECTION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,60}$/;
export const MAX_VERTICES = 500;
/** How far outside its district a section may run and still be filed under it (boundary roads). */
export const DISTRICT_MARGIN_M = 3000;

export interface SectionInput {
  id: string;
  name: string;
  roadClass: RoadClass;
  roadNumber: string;
  district: District;
  order: SectionOrder;
  unmaintained: boolean;
  path: [number, number][];
}

/** What is stored in `region_sections` besides the audit fields. */
export interface SectionFields {
  name: string;
  road: string;
  district: District;
  order: SectionOrder;
  lengthKm: number;
  unmaintained?: true;
  path: [number, number][];
}

export type SectionField = keyof SectionInput;
export type SectionProblemCode =
  | 'required'
  | 'pattern'
  | 'too_long'
  | 'taken'
  | 'state_road'
  | 'unknown_value'
  | 'road_number'
  | 'too_few_points'
  | 'too_many_points'
  | 'bad_point'
  | 'outside_region'
  | 'outside_district';

export interface SectionProblem {
  field: SectionField;
  code: SectionProblemCode;
  reason: string;
  /** path problems: the 1-based vertex at fault. */
  vertex?: number;
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const ROAD_NUMBER: Record<RoadClass, RegExp> = { II: /^\d{3}$/, III: /^\d{4,6}$/ };

/** Whether a point lies in `district` or within `DISTRICT_MARGIN_M` of its boundary. */
function nearDistrict(p: LatLon, district: District): boolean {
  const poly = DISTRICT_BOUNDARIES[district];
  return inPolygon(p, poly) || distanceToPathM(p, [...poly, poly[0]]) <= DISTRICT_MARGIN_M;
}

/** The district most of the path lies in, to suggest while drawing; null outside the region. */
export function districtOfPath(path: readonly LatLon[]): District | null {
  const counts = new Map<District, number>();
  for (const p of path) {
    const d = districtAt(p);
    if (d) counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best: District | null = null;
  for (const [d, n] of counts) if (!best || n > counts.get(best)!) best = d;
  return best;
}

/** A readable id for a new section: `sec-<district>-<road number>-<name>`. */
export function suggestSectionId(district: string, roadNumber: string, name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ['sec', district.toLowerCase(), roadNumber.replace(/\D+/g, ''), slug]
    .filter(Boolean)
    .join('-')
    .slice(0, 61)
    .replace(/-+$/, '');
}

/** Checks the path alone (the map screen shows these while drawing). */
export function checkSectionPath(rawPath: unknown, district?: string): SectionProblem[] {
  const problems: SectionProblem[] = [];
  if (!Array.isArray(rawPath))
    return [
      { field: 'path', code: 'too_few_points', reason: 'draw the section on the map or enter at least 2 points' }
    ];
  if (rawPath.length > MAX_VERTICES)
    return [{ field: 'path', code: 'too_many_points', reason: `a section has at most ${MAX_VERTICES} points` }];
  const points: [number, number][] = [];
  rawPath.forEach((p, i) => {
    const ok =
      Array.isArray(p) &&
      p.length === 2 &&
      p.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
      Math.abs(p[0]) <= 90 &&
      Math.abs(p[1]) <= 180;
    if (!ok)
      problems.push({
        field: 'path',
        code: 'bad_point',
        vertex: i + 1,
        reason: `point ${i + 1} is not a latitude and longitude`
      });
    else points.push([p[0], p[1]]);
  });
  if (problems.length) return problems;
  const path = normalizePath(points);
  if (path.length < 2)
    return [{ field: 'path', code: 'too_few_points', reason: 'a section needs at least 2 different points' }];
  points.forEach((p, i) => {
    if (!inRegion(p))
      problems.push({
        field: 'path',
        code: 'outside_region',
        vertex: i + 1,
        reason: `point ${i + 1} (${p[0]}, ${p[1]}) is outside the Plzeň Region`
      });
  });
  if (
    !problems.length &&
    (DISTRICTS as readonly string[]).includes(district ?? '') &&
    !path.some((p) => nearDistrict(p, district as District))
  )
    problems.push({
      field: 'path',
      code: 'outside_district',
      reason: `the section does not reach district ${district}; draw it there or choose its district`
    });
  return problems;
}

/** Normalizes and checks the entered fields; `taken` tells whether a section id is in use. */
export function validateSectionInput(
  raw: Record<string, unknown>,
  taken: (id: string) => boolean = () => false
): { section: SectionInput } | { problems: SectionProblem[] } {
  const problems: SectionProblem[] = [];
  const add = (field: SectionField, code: SectionProblemCode, reason: string) => problems.push({ field, code, reason });

  const id = trimmed(raw.id).toLowerCase();
  if (!id) add('id', 'required', 'the id is required');
  else if (!SECTION_ID_PATTERN.test(id))
    add('id', 'pattern', 'the id must be 2–61 lowercase letters, digits or dashes, starting with a letter or digit');
  else if (taken(id)) add('id', 'taken', `the id "${id}" is taken by another road section`);

  const name = trimmed(raw.name);
  if (!name) add('name', 'required', 'the name is required (from – to)');
  else if (name.length > 200) add('name', 'too_long', 'the name may have at most 200 characters');

  const roadClass = trimmed(raw.roadClass).toUpperCase();
  if (!roadClass) add('roadClass', 'required', 'the road class is required');
  else if (roadClass === 'I' || roadClass === 'D')
    add(
      'roadClass',
      'state_road',
      'motorways and I. class roads are the state’s; the region maintains II. and III. class roads'
    );
  else if (!(ROAD_CLASSES as readonly string[]).includes(roadClass))
    add('roadClass', 'unknown_value', 'the road class is II or III');

  const roadNumber = trimmed(raw.roadNumber);
  if (!roadNumber) add('roadNumber', 'required', 'the road number is required');
  else if (
    (ROAD_CLASSES as readonly string[]).includes(roadClass) &&
    !ROAD_NUMBER[roadClass as RoadClass].test(roadNumber)
  )
    add(
      'roadNumber',
      'road_number',
      roadClass === 'II'
        ? 'a II. class road has a three-digit number (e.g. 191)'
        : 'a III. class road has a number of four to six digits (e.g. 18210)'
    );

  const district = trimmed(raw.district).toUpperCase();
  if (!district) add('district', 'required', 'the district is required');
  else if (!(DISTRICTS as readonly string[]).includes(district))
    add('district', 'unknown_value', `"${district}" is not a district of the Plzeň Region`);

  const order = trimmed(raw.order).toUpperCase();
  if (!order) add('order', 'required', 'the order of maintenance is required');
  else if (!(SECTION_ORDERS as readonly string[]).includes(order))
    add('order', 'unknown_value', 'the order of maintenance is I, II or III');

  problems.push(...checkSectionPath(raw.path, district));
  if (problems.length) return { problems };
  return {
    section: {
      id,
      name,
      roadClass: roadClass as RoadClass,
      roadNumber,
      district: district as District,
      order: order as SectionOrder,
      unmaintained: raw.unmaintained === true,
      path: normalizePath(raw.path as [number, number][])
    }
  };
}

/** A section's length in km to one decimal, measured along its path. */
const lengthOf = (path: readonly LatLon[]) => Math.round(pathLengthKm(path) * 10) / 10;

/**
 * A new route for a section already in the catalog, judged by the same path rules as a new
 * section's under the district it is filed under; its length is measured again along it.
 */
export function redrawnRoute(
  rawPath: unknown,
  district: string
): { path: [number, number][]; lengthKm: number } | { problems: SectionProblem[] } {
  const problems = checkSectionPath(rawPath, district);
  if (problems.length) return { problems };
  const path = normalizePath(rawPath as [number, number][]);
  return { path, lengthKm: lengthOf(path) };
}

/** The stored fields of a checked section; the length is measured along the drawn path. */
export function sectionFields(s: SectionInput): SectionFields {
  return {
    name: s.name,
    road: `${s.roadClass}/${s.roadNumber}`,
    district: s.district,
    order: s.order,
    lengthKm: lengthOf(s.path),
    ...(s.unmaintained ? { unmaintained: true as const } : {}),
    path: s.path
  };
}
