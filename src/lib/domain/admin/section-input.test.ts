import { describe, expect, it } from 'vitest';
import {
  checkSectionPath,
  districtOfPath,
  redrawnRoute,
  sectionFields,
  suggestSectionId,
  validateSectionInput
} from './section-input';

// Klatovy → Janovice nad Úhlavou, in district KT.
const KT_PATH: [number, number][] = [
  [49.395, 13.295],
  [49.36, 13.26],
  [49.321, 13.218]
];
const good = {
  id: 'sec-kt-191-klatovy-janovice',
  name: 'Klatovy – Janovice nad Úhlavou',
  roadClass: 'II',
  roadNumber: '191',
  district: 'KT',
  order: 'II',
  path: KT_PATH
};

describe('new road section input', () => {
  it('normalizes a good section and measures it along its path', () => {
    const r = validateSectionInput({ ...good, district: 'kt', path: [...KT_PATH, KT_PATH[2]] });
    expect(r).toEqual({ section: { ...good, roadClass: 'II', order: 'II', unmaintained: false, path: KT_PATH } });
    if (!('section' in r)) throw new Error('refused');
    const fields = sectionFields(r.section);
    expect(fields).toMatchObject({ road: 'II/191', district: 'KT', order: 'II', path: KT_PATH });
    expect(fields.lengthKm).toBeGreaterThan(9);
    expect(fields.lengthKm).toBeLessThan(11);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a malformed id', { id: 'Úsek 1' }, 'id', 'pattern'],
    ['no id', { id: ' ' }, 'id', 'required'],
    ['no name', { name: '' }, 'name', 'required'],
    ['an I. class road (the state’s)', { roadClass: 'I' }, 'roadClass', 'state_road'],
    ['an unknown class', { roadClass: 'IV' }, 'roadClass', 'unknown_value'],
    ['a II. class road with a five-digit number', { roadNumber: '18210' }, 'roadNumber', 'road_number'],
    [
      'a III. class road with a three-digit number',
      { roadClass: 'III', roadNumber: '191' },
      'roadNumber',
      'road_number'
    ],
    ['an unknown district', { district: 'PH' }, 'district', 'unknown_value'],
    ['an order that does not exist', { order: 'IV' }, 'order', 'unknown_value'],
    ['one point', { path: [KT_PATH[0]] }, 'path', 'too_few_points'],
    ['the same point twice', { path: [KT_PATH[0], KT_PATH[0]] }, 'path', 'too_few_points'],
    ['no path', { path: undefined }, 'path', 'too_few_points'],
    ['a point that is not a number pair', { path: [KT_PATH[0], [49.3, 'x']] }, 'path', 'bad_point'],
    ['a latitude beyond the pole', { path: [KT_PATH[0], [91, 13]] }, 'path', 'bad_point'],
    ['a point in Prague', { path: [KT_PATH[0], [50.087, 14.421]] }, 'path', 'outside_region'],
    ['a path in another district', { district: 'RO' }, 'path', 'outside_district'],
    [
      'more than 500 points',
      { path: Array.from({ length: 501 }, (_, i) => [49.3 + i / 1e4, 13.3]) },
      'path',
      'too_many_points'
    ]
  ])('refuses %s', (_name, patch, field, code) => {
    const r = validateSectionInput({ ...good, ...patch });
    expect('problems' in r && r.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
  });

  it('refuses an id that is taken and names the vertex outside the region', () => {
    const r = validateSectionInput({ ...good, path: [KT_PATH[0], [48.5, 13.3], KT_PATH[2]] }, (id) => id === good.id);
    expect('problems' in r && r.problems.map((p) => [p.field, p.code, p.vertex])).toEqual([
      ['id', 'taken', undefined],
      ['path', 'outside_region', 2]
    ]);
  });

  it('accepts a road along the district boundary, within the margin', () => {
    // Towards Kdyně, in DO, ending about a kilometre from the KT boundary.
    const edge: [number, number][] = [
      [49.4, 13.15],
      [49.39, 13.04]
    ];
    expect(checkSectionPath(edge, 'KT')).toEqual([]);
    expect(checkSectionPath(edge, 'DO')).toEqual([]);
    expect(checkSectionPath(edge, 'RO').map((p) => p.code)).toEqual(['outside_district']);
  });

  it('suggests the district most of the path lies in, and a readable id', () => {
    expect(districtOfPath(KT_PATH)).toBe('KT');
    expect(districtOfPath([[50.087, 14.421]])).toBeNull();
    expect(suggestSectionId('KT', '191', 'Klatovy – Janovice nad Úhlavou')).toBe(
      'sec-kt-191-klatovy-janovice-nad-uhlavou'
    );
    expect(suggestSectionId('KT', '', '')).toBe('sec-kt');
    expect(suggestSectionId('KT', '191', 'x'.repeat(80)).length).toBeLessThanOrEqual(61);
  });
});

describe('redrawn route of an existing section', () => {
  it('keeps a good route without repeated points and measures it again, as for a new section', () => {
    const r = redrawnRoute([...KT_PATH, KT_PATH[2]], 'KT');
    const asNew = validateSectionInput(good);
    if (!('section' in asNew)) throw new Error('refused');
    expect(r).toEqual({ path: KT_PATH, lengthKm: sectionFields(asNew.section).lengthKm });
    if (!('path' in r)) throw new Error('refused');
    expect(r.lengthKm).toBeGreaterThan(5);
  });

  it.each<[string, unknown, string, string]>([
    ['a single point', [KT_PATH[0]], 'KT', 'too_few_points'],
    ['no path at all', undefined, 'KT', 'too_few_points'],
    ['a point outside the region', [KT_PATH[0], [50.087, 14.421]], 'KT', 'outside_region'],
    ['a route outside its district', KT_PATH, 'RO', 'outside_district'],
    ['a point that is not a coordinate', [KT_PATH[0], ['a', 13]], 'KT', 'bad_point']
  ])('refuses %s with the same problem a new section gets', (_name, path, district, code) => {
    const r = redrawnRoute(path, district);
    expect('problems' in r && r.problems.map((p) => p.code)).toContain(code);
    expect('problems' in r && r.problems).toEqual(checkSectionPath(path, district));
  });
});
