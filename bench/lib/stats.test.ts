import { describe, expect, it } from 'vitest';
import { percentile, ratio, summarize } from './stats';

describe('stats', () => {
  it('takes the median of odd and even sample counts', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(summarize([4, 1, 2, 3]).median).toBe(2.5);
  });

  it('interpolates percentiles between ranks', () => {
    const xs = Array.from({ length: 101 }, (_, i) => i);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile([10], 95)).toBe(10);
  });

  it('gives the ratio of medians and the spread run by run', () => {
    const r = ratio([2, 4, 6], [1, 2, 2]);
    expect(r.median).toBe(2);
    expect(r.min).toBe(2);
    expect(r.max).toBe(3);
  });
});
