/** Summaries of repeated measurements: the median with its spread, and percentiles. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function summarize(samples: readonly number[]): Summary {
  return {
    median: percentile(samples, 50),
    min: Math.min(...samples),
    max: Math.max(...samples),
    runs: samples.length
  };
}

/** Ratio of two medians; the spread of a ratio is taken run by run (run i of a over run i of b). */
export function ratio(a: readonly number[], b: readonly number[]): Summary {
  const n = Math.min(a.length, b.length);
  const perRun = Array.from({ length: n }, (_, i) => a[i] / b[i]);
  return { ...summarize(perRun), median: percentile(a, 50) / percentile(b, 50) };
}
