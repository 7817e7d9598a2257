import { describe, expect, it } from 'vitest';
import type { DispatchEntry, SectionState } from '$lib/domain/dispatch';
import type { Section } from '../winter-data.svelte';
import { mapData, opacityForAge } from './map-data';

const NOW = Date.parse('2026-01-14T10:00:00.000Z');
const iso = (minAgo: number) => new Date(NOW - minAgo * 60_000).toISOString();
const e = (id: string, minAgo: number, extra: Partial<DispatchEntry>): DispatchEntry => ({
  id,
  orgId: 'sus',
  entry: 'report',
  district: 'KT',
  createdBy: 'silnicar.kt',
  createdAt: iso(minAgo),
  updatedAt: iso(minAgo),
  receivedAt: iso(minAgo),
  ...extra
});
const sec = (id: string, district: string, order: string): Section => ({
  id,
  district,
  order,
  name: id,
  road: 'II/1',
  path: [
    [49.4, 13.3],
    [49.41, 13.31]
  ]
});
const st = (id: string): SectionState => ({ sectionId: id, status: 'ok', offHours: false, openReports: 0 });

const input = {
  sections: [sec('a', 'KT', 'I'), sec('b', 'DO', 'II')],
  states: new Map([
    ['a', st('a')],
    ['b', st('b')]
  ]),
  entries: [
    e('r1', 10, { reportType: 'black_ice', lat: 49.4, lon: 13.3, accuracy: 12 }),
    e('r2', 200, { reportType: 'snow', lat: 49.41, lon: 13.31, createdBy: 'dispecer' }),
    e('r3', 2000, { reportType: 'snow', lat: 49.41, lon: 13.31 }),
    e('p1', 5, { entry: 'position', lat: 49.42, lon: 13.32, createdBy: 'silnicar.kt' }),
    e('r4', 20, { reportType: 'closure', lat: 49.44, lon: 12.93, district: 'DO' })
  ],
  calamity: new Map([['DO', { on: true, since: NOW, by: 'dispecer', entryId: 'c' }]]),
  now: NOW
};

describe('map data', () => {
  it('filters sections, reports and crews by district, order and report type', () => {
    const all = mapData(input, { district: '', order: '', reportType: '' });
    expect(all.sections.map((s) => s.section.id)).toEqual(['a', 'b']);
    expect(all.reports.map((r) => r.entry.id)).toEqual(['r2', 'r4', 'r1']);
    expect(all.calamityDistricts).toEqual(['DO']);
    const kt = mapData(input, { district: 'KT', order: 'I', reportType: 'black_ice' });
    expect(kt.sections.map((s) => s.section.id)).toEqual(['a']);
    expect(kt.reports.map((r) => r.entry.id)).toEqual(['r1']);
  });

  it('places a crew at its latest GPS position; a report typed in by the dispatcher is no position', () => {
    const { crews } = mapData(input, { district: '', order: '', reportType: '' });
    expect(crews).toEqual([expect.objectContaining({ userId: 'silnicar.kt', lat: 49.42, lon: 13.32 })]);
  });

  it('fades reports with age and drops those older than a day', () => {
    expect([opacityForAge(10), opacityForAge(100), opacityForAge(400), opacityForAge(1000)]).toEqual([
      1, 0.75, 0.5, 0.3
    ]);
  });
});
