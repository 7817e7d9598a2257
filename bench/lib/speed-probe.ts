/**
 * How fast this machine runs one fixed piece of JavaScript right now, in Node and in the page.
 *
 * A figure without a peer (a list's click in ms) moves with the machine as much as with the
 * code: the same build's clicks took 25–40 ms in some runs and 110–270 ms in others, each run
 * keeping one speed throughout, on a machine whose load average and steal time showed nothing.
 * The probe is timed where such a figure is taken, so that a slow run shows whether the machine
 * (or the browser's renderer) was slow at that moment, or the app.
 */
import type { Page } from 'playwright-core';

/**
 * The work: objects built, serialized, parsed and sorted, as the app's own work is. Self-contained
 * (no outside names), so that the same source runs in the page through `page.evaluate`.
 */
export function probeWork(): number {
  const rows: { id: string; n: number; title: string }[] = [];
  for (let i = 0; i < 10_000; i++)
    rows.push({ id: `row-${(i * 7919) % 10_000}`, n: (i * 104729) % 1000, title: `Řádek ${i}` });
  const copy = JSON.parse(JSON.stringify(rows)) as typeof rows;
  copy.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let sum = 0;
  for (const r of copy) sum = (sum * 31 + r.n + r.title.length) % 1_000_003;
  return sum;
}

/** Median of `runs` timings of `probeWork`, in ms, after one warm-up; `now` is the clock to use. */
export function probeMs(work: () => number, now: () => number, runs = 5): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    work();
    times.push(now() - start);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 100) / 100;
}

/** The probe in this process. */
export const nodeSpeedMs = () => probeMs(probeWork, () => performance.now());

/** The probe in the page's main thread (the renderer that paints the app). */
export async function pageSpeedMs(page: Page): Promise<number> {
  // A string, so that the bundler's helpers (names it adds around functions) stay out of the page.
  return page.evaluate<number>(`(() => {
    const work = ${probeWork.toString()};
    const probe = ${probeMs.toString()};
    return probe(work, () => performance.now());
  })()`);
}
