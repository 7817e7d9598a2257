/** CPU and resident memory of a process tree (the sync server and its store), from /proc. */
import { readFileSync } from 'node:fs';
import { childrenOf } from '../../sync-server/ops/open-files';

export const TICKS = 100; // USER_HZ on Linux
const PAGE_KB = 4;

export interface TreeSample {
  at: number;
  /** CPU seconds used so far, summed over the tree. */
  cpuS: number;
  /** Of which the embedded store's process; the rest is the gateway (and tsx's launcher). */
  storeCpuS: number;
  rssMb: number;
  storeRssMb: number;
}

function tree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(out[i]));
  return out;
}

const storeOf = new Map<number, boolean>();
/** The embedded store is the process running its child script. */
function isStore(pid: number): boolean {
  let known = storeOf.get(pid);
  if (known === undefined) {
    known = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('embedded-couch/child.mjs');
    storeOf.set(pid, known);
  }
  return known;
}

/** CPU ticks (user + system, USER_HZ) a process used so far; throws once it is gone. */
export function cpuTicksOf(pid: number | string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime
}

/** The process and all its descendants. */
export function processTree(pid: number): number[] {
  return tree(pid);
}

export function sampleTree(pid: number): TreeSample {
  let ticks = 0;
  let pages = 0;
  let storeTicks = 0;
  let storePages = 0;
  for (const p of tree(pid)) {
    try {
      const t = cpuTicksOf(p);
      const pg = Number(readFileSync(`/proc/${p}/statm`, 'utf8').split(' ')[1]);
      ticks += t;
      pages += pg;
      if (isStore(p)) {
        storeTicks += t;
        storePages += pg;
      }
    } catch {
      // gone
    }
  }
  const mb = (n: number) => (n * PAGE_KB) / 1024;
  return {
    at: performance.now(),
    cpuS: ticks / TICKS,
    storeCpuS: storeTicks / TICKS,
    rssMb: mb(pages),
    storeRssMb: mb(storePages)
  };
}

/** Samples every `everyMs`; `stop()` returns the samples. */
export function sampler(pid: number, everyMs = 1000): { stop(): TreeSample[] } {
  const samples = [sampleTree(pid)];
  const t = setInterval(() => samples.push(sampleTree(pid)), everyMs);
  return {
    stop() {
      clearInterval(t);
      samples.push(sampleTree(pid));
      return samples;
    }
  };
}

/** Mean CPU use over the samples, in % of one core. */
export function cpuPercent(samples: TreeSample[]): { mean: number; peak: number } {
  let peak = 0;
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].at - samples[i - 1].at) / 1000;
    if (dt > 0) peak = Math.max(peak, ((samples[i].cpuS - samples[i - 1].cpuS) / dt) * 100);
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const mean = ((last.cpuS - first.cpuS) / ((last.at - first.at) / 1000)) * 100;
  return { mean, peak };
}

/** CPU seconds the whole machine spent busy so far (all cores; /proc/stat, idle and iowait excluded). */
export function machineBusyCpuS(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …
  const busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields[7] ?? 0);
  return busy / TICKS;
}
