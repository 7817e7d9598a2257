/**
 * What the map (and its list view) shows, filtered: sections coloured by state, reports by
 * type and faded by age, crews at their last position, districts with their calamity flag.
 * Pure, so the list and the map show the same data and tests can check it without Leaflet.
 * A crew's position comes from what its phone sent with GPS: position entries, treatments and
 * reports carrying a GPS accuracy (a report a dispatcher types in from a phone call has none).
 */
import {
  decidingTime,
  type CalamityState,
  type DispatchEntry,
  type SectionState,
  type SectionStatus
} from '$lib/domain/dispatch';
import type { Section } from '../winter-data.svelte';

export interface MapFilter {
  district: string;
  order: string;
  reportType: string;
}

export interface MapSection {
  section: Section;
  state: SectionState;
  status: SectionStatus;
}

export interface MapReport {
  entry: DispatchEntry;
  lat: number;
  lon: number;
  ageMin: number;
  opacity: number;
}

export interface MapCrew {
  userId: string;
  lat: number;
  lon: number;
  at: number;
  vehicle?: string;
}

export const REPORT_WINDOW_MIN = 24 * 60;

export function opacityForAge(ageMin: number): number {
  return ageMin < 60 ? 1 : ageMin < 180 ? 0.75 : ageMin < 720 ? 0.5 : 0.3;
}

export function mapData(
  input: {
    sections: readonly Section[];
    states: ReadonlyMap<string, SectionState>;
    entries: readonly DispatchEntry[];
    calamity: ReadonlyMap<string, CalamityState>;
    now: number;
  },
  f: MapFilter
) {
  const inDistrict = (d: string | undefined) => !f.district || d === f.district;
  const sections: MapSection[] = input.sections
    .filter((s) => inDistrict(s.district) && (!f.order || s.order === f.order))
    .flatMap((s) => {
      const state = input.states.get(s.id);
      return state ? [{ section: s, state, status: state.status }] : [];
    });
  const reports: MapReport[] = input.entries
    .filter((e) => e.entry === 'report' && typeof e.lat === 'number' && typeof e.lon === 'number')
    .filter((e) => inDistrict(e.district) && (!f.reportType || e.reportType === f.reportType))
    .map((e) => {
      const ageMin = Math.max(0, Math.round((input.now - decidingTime(e)) / 60_000));
      return { entry: e, lat: e.lat!, lon: e.lon!, ageMin, opacity: opacityForAge(ageMin) };
    })
    .filter((r) => r.ageMin <= REPORT_WINDOW_MIN)
    .sort((a, b) => b.ageMin - a.ageMin);
  const last = new Map<string, MapCrew>();
  for (const e of input.entries) {
    const fromDevice =
      e.entry === 'position' || e.entry === 'treatment' || (e.entry === 'report' && e.accuracy !== undefined);
    if (!fromDevice || typeof e.lat !== 'number' || typeof e.lon !== 'number' || !inDistrict(e.district)) continue;
    const at = decidingTime(e);
    if ((last.get(e.createdBy)?.at ?? -Infinity) < at)
      last.set(e.createdBy, { userId: e.createdBy, lat: e.lat, lon: e.lon!, at, vehicle: e.vehicle });
  }
  const calamityDistricts = [...input.calamity].filter(([, c]) => c.on).map(([d]) => d);
  return { sections, reports, crews: [...last.values()], calamityDistricts };
}

export type MapData = ReturnType<typeof mapData>;
