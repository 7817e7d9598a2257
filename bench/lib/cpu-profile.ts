/** Self and inclusive time per function of a V8 sample profile (CDP `Profiler.stop`), for the diagnose scripts. */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive time (ms) per function, from a V8 sample profile. */
export function timesByFunction(p: CpuProfile): { self: [string, number][]; inclusive: [string, number][] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: CpuNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber}:${n.callFrame.columnNumber}`;
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const k = name(byId.get(id)!);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = name(byId.get(cur)!);
      if (seen.has(kk)) continue;
      seen.add(kk);
      incl.set(kk, (incl.get(kk) ?? 0) + dt);
    }
  });
  const sorted = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)] as [string, number]);
  return { self: sorted(self), inclusive: sorted(incl) };
}

/** Writes the profile to the temporary directory for Chrome DevTools and says where. */
export async function saveCpuProfile(name: string, cpu: object): Promise<void> {
  const file = path.join(os.tmpdir(), `${name}-${Date.now()}.cpuprofile`);
  await writeFile(file, JSON.stringify(cpu));
  console.log(`CPU profile (open in Chrome DevTools): ${file}`);
}
