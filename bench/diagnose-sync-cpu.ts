/**
 * Where the CPU of a first sync goes, process by process and thread by thread, for explaining a
 * miss of scenario 1 rather than for the table: the app's first sync of the bench organization
 * (1a), the lower bound (1c), the lower bound into a store with the app's ticket indexes (1d)
 * and the same with the indexes created on the filled store (1e: the "indexes after the first
 * sync" design; it cost about three times 1d, most of it on the page's side), one after the
 * other, each with the CPU time (from /proc) that the server process, the embedded
 * store and every Chromium thread (named as Chromium names them: `B:` browser process, `R:`
 * renderers, `U:` other helpers) spent while it ran. Linux only. On a shared machine the wall
 * times move with the load; the CPU times much less.
 *
 *   tsx bench/diagnose-sync-cpu.ts [runs]
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { FULL } from './config';
import { visibleDocCount, waitForLocalDocs, watchStoredDocs } from './lib/app';
import { appTicketStore } from './lib/app-store';
import { freshProfile, loginProfile } from './lib/browser';
import { fillTickets } from './lib/seed';
import { startStack } from './lib/stack';
import { lowerBound } from './scenarios/peer-sync';

type Cpu = Record<string, number>;
const TICK_MS = 10;
const commands = new Map<number, string>();

function stat(file: string): { ppid: number; ms: number; name: string } {
  const s = readFileSync(file, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return {
    ppid: Number(f[1]),
    ms: (Number(f[11]) + Number(f[12])) * TICK_MS,
    name: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'))
  };
}

/** CPU ms so far of this process, the store and every Chromium thread started by this process. */
function cpuNow(): Cpu {
  const parent = new Map<number, number>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      parent.set(Number(p), stat(`/proc/${p}/stat`).ppid);
    } catch {
      // gone meanwhile
    }
  }
  const children = (pid: number): number[] =>
    [...parent].filter(([, pp]) => pp === pid).flatMap(([c]) => [c, ...children(c)]);
  const out: Cpu = { server: stat(`/proc/${process.pid}/stat`).ms };
  for (const pid of children(process.pid)) {
    try {
      let cmd = commands.get(pid);
      if (cmd === undefined) {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        commands.set(pid, cmd);
      }
      if (cmd.includes('child.mjs')) out.store = (out.store ?? 0) + stat(`/proc/${pid}/stat`).ms;
      if (!cmd.includes('chrom')) continue;
      const kind = cmd.includes('--type=renderer') ? 'R' : cmd.includes('--type=') ? 'U' : 'B';
      for (const t of readdirSync(`/proc/${pid}/task`)) {
        const th = stat(`/proc/${pid}/task/${t}/stat`);
        const key = `${kind}:${th.name.replace(/\d+$/, '')}`;
        out[key] = (out[key] ?? 0) + th.ms;
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function report(label: string, ms: number, load: number, before: Cpu, after: Cpu) {
  const d = Object.entries(after)
    .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
    .filter(([k, v]) => v >= 100 || k === 'server' || k === 'store')
    .sort((a, b) => b[1] - a[1]);
  const chromium = d.filter(([k]) => k.includes(':')).reduce((s, [, v]) => s + v, 0);
  console.log(`${label}: ${Math.round(ms)} ms at load ${load.toFixed(1)}; CPU ms: Chromium ${chromium}`);
  console.log(`  ${d.map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

async function main() {
  const runs = Number(process.argv[2] ?? 1);
  const stack = await startStack();
  try {
    await fillTickets(stack.couch, FULL.org, FULL.tickets, FULL.requester);
    const db = `org_${FULL.org}_tickets`;
    const expected = await visibleDocCount(stack.couch, db);
    const store = appTicketStore();
    for (let run = 0; run < runs; run++) {
      const profile = await freshProfile();
      try {
        await loginProfile(profile, stack.url, FULL.requester);
        await watchStoredDocs(profile.page, ['tickets']);
        const before = cpuNow();
        const load = os.loadavg()[0];
        await profile.page.goto(`${stack.url}/`, { waitUntil: 'commit' });
        const ms = await waitForLocalDocs(profile.page, 'tickets', expected);
        report('1a app', ms, load, before, cpuNow());
      } finally {
        await profile.close();
      }
      for (const [label, shape] of [
        ['1c lower bound', undefined],
        ['1d lower bound, app indexes', store],
        ['1e lower bound, app indexes created after the write', store]
      ] as const) {
        const before = cpuNow();
        const load = os.loadavg()[0];
        let after: Cpu = {};
        const ms = await lowerBound(stack, {
          db,
          expected,
          store: shape,
          deferIndexes: label.startsWith('1e'),
          beforeClose: () => (after = cpuNow())
        });
        report(label, ms, load, before, after);
      }
    }
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
