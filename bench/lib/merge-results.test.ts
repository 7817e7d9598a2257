import { describe, expect, it } from 'vitest';
import type { BenchOutput } from '../run';
import { mergeResults, scenarioOf } from './merge-results';

const run = (startedAt: string, commit: string, ids: string[]): BenchOutput => ({
  machine: { cpu: 'cpu', cores: 2, memoryGb: 24, os: 'linux', node: 'v20', commit },
  startedAt,
  seconds: 1,
  config: {} as BenchOutput['config'],
  figures: ids.map((id) => ({ id, what: `figure ${id} of ${commit}`, unit: 'ms' as const, value: 1 })),
  details: Object.fromEntries(ids.map((id) => [scenarioOf(id), { commit }])),
  errors: {},
  load: Object.fromEntries(ids.map((id) => [scenarioOf(id), { start: 1, end: 1 }])),
  speed: Object.fromEntries(ids.map((id) => [scenarioOf(id), { start: startedAt.length, end: Number(startedAt[9]) }]))
});

describe('bench results of a partial run', () => {
  it('names the scenario of a figure by its leading number', () => {
    expect(['1a/1b', '1c', '2', '8', '10'].map(scenarioOf)).toEqual(['1', '1', '2', '8', '10']);
  });

  it('keeps the scenarios it did not run, marked with their own run, and replaces the ones it ran', () => {
    const before = run('2026-11-29T10:00:00Z', 'old', ['1a', '1a/1b', '4', '7']);
    const now = run('2026-11-30T10:00:00Z', 'new', ['4', '8']);
    const merged = mergeResults(before, now, ['4', '8']);
    expect(merged.figures.map((f) => `${f.id} ${f.what.split(' ').pop()}`)).toEqual([
      '1a old',
      '1a/1b old',
      '4 new',
      '7 old',
      '8 new'
    ]);
    expect(merged.scenarioRuns?.['1']?.commit).toBe('old');
    expect(merged.scenarioRuns?.['4']?.commit).toBe('new');
    // The speed probe's times stay with the run they were taken in (the last digit of its day: 9 before, 0 now).
    expect(merged.speed).toEqual({
      '1': { start: 20, end: 9 },
      '4': { start: 20, end: 0 },
      '7': { start: 20, end: 9 },
      '8': { start: 20, end: 0 }
    });
    expect(merged.details).toEqual({
      '1': { commit: 'old' },
      '4': { commit: 'new' },
      '7': { commit: 'old' },
      '8': { commit: 'new' }
    });
  });

  it('drops the old figures of a scenario that failed this time rather than showing them as current', () => {
    const before = run('2026-11-29T10:00:00Z', 'old', ['6']);
    const now = { ...run('2026-11-30T10:00:00Z', 'new', []), errors: { '6': 'browser crashed' } };
    const merged = mergeResults(before, now, ['6']);
    expect(merged.figures).toEqual([]);
    expect(merged.errors['6']).toBe('browser crashed');
  });

  it('a whole run stands alone', () => {
    const now = run('2026-11-30T10:00:00Z', 'new', ['1a', '2']);
    expect(mergeResults(null, now, ['1', '2']).figures).toHaveLength(2);
  });
});
