import { describe, expect, it } from 'vitest';
import { checkEntryShape } from '../../src/lib/domain/dispatch/entry-types';
import { districtAt, inRegion } from '../../src/lib/domain/dispatch/geo';
import { DISTRICTS } from '../../src/lib/domain/schemas/region';
import { DEMO_WINTER_SECTIONS } from './sections';
import { winterSamples } from './winter-samples';

describe('demo road network and winter evening', () => {
  it('has at least 8 sections of II. and III. class roads in each of the 7 districts', () => {
    for (const d of DISTRICTS)
      expect(DEMO_WINTER_SECTIONS.filter((s) => s.district === d).length).toBeGreaterThanOrEqual(8);
    expect(DEMO_WINTER_SECTIONS.every((s) => /^(II|III)\//.test(s.road))).toBe(true);
    expect(new Set(DEMO_WINTER_SECTIONS.map((s) => s.id)).size).toBe(DEMO_WINTER_SECTIONS.length);
    expect(DEMO_WINTER_SECTIONS.some((s) => s.unmaintained)).toBe(true);
  });

  it.each(DEMO_WINTER_SECTIONS.map((s) => [s.id, s] as const))('%s lies in its district', (_id, s) => {
    expect(districtAt(s.path[0])).toBe(s.district);
    expect(districtAt(s.path[s.path.length - 1])).toBe(s.district);
    expect(s.path.every((p) => inRegion(p))).toBe(true);
    expect(s.lengthKm).toBeGreaterThan(1);
  });

  it('every sample deník entry has the fields of its type', () => {
    for (const e of winterSamples(() => new Date().toISOString()).dispatch) expect(checkEntryShape(e), e.id).toBeNull();
  });
});
