/**
 * Keeps the benchmark from rotting: runs the parts that need no browser (gateway overhead,
 * live fan-out) with tiny sizes against the real stack. Asserts only that figures came out,
 * never how fast anything was: a timing is not a test.
 */
import { describe, expect, it } from 'vitest';
import { SMOKE } from './config';
import { consoleTable, markdownTable } from './lib/report';
import { runBench } from './run';

describe('benchmark (smoke)', () => {
  it('measures gateway overhead and fan-out on the real stack', { timeout: 120_000 }, async () => {
    const out = await runBench(SMOKE, ['4', '5'], () => undefined);
    expect(out.errors).toEqual({});
    const values = out.figures.map((f) => (typeof f.value === 'number' ? f.value : f.value.median));
    expect(out.figures.filter((f) => f.id === '4')).toHaveLength(8);
    expect(out.figures.filter((f) => f.id === '5')).toHaveLength(4);
    for (const f of out.figures.filter((f) => f.unit === 'ms' || f.unit === 'x')) {
      const v = typeof f.value === 'number' ? f.value : f.value.median;
      expect(v, f.what).toBeGreaterThan(0);
    }
    expect(values.every((v) => Number.isFinite(v))).toBe(true);
    expect(out.machine.node).toBe(process.version);
    expect(consoleTable(out.figures)).toContain('gateway ÷ direct');
    expect(markdownTable(out.figures)).toContain('| 5 |');
  });
});
