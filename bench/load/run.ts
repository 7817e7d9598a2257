/**
 * npm run load [-- --users 50,200,500 --duration 60 --interval 10 --ramp 20 --profile dir --rounds 2]
 *
 * N simulated users (user.ts) against a real sync server started as its own process on
 * loopback (embedded store, demo region, N extra requester accounts spread over the demo's
 * organizations). Each signs in within the ramp, does a first sync, then writes a ticket every
 * `interval` seconds (±50 %) while receiving the others' changes through the event stream.
 * Reports sign-in, first-sync and change-to-visible latency (p50/p95/p99), errors, missed
 * deliveries, and the server's CPU and memory (server plus store) before, during and after.
 * Results go to bench/results/load-latest.json. Every phase is bounded; the run stops by itself.
 */
import { mkdtemp, readFile, readdir, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import nano from 'nano';
import { DEMO_ORGS } from '../../sync-server/demo/region';
import { hashPassword, userDocId, AUTH_DB } from '../../sync-server/auth/users';
import { spawnProcess } from '../../sync-server/ops/server-process';
import { machineInfo } from '../lib/machine';
import { percentile } from '../lib/stats';
import type { StoreStatus } from '../../sync-server/embedded-couch/store-status';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuPercent, machineBusyCpuS, processTree, sampler, sampleTree, type TreeSample } from './process-stats';
import { countError, SimUser, type Delivery, type Shared } from './user';

const PASSWORD = 'load-test-password';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[]) => ({
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  p99: percentile(xs, 99),
  n: xs.length
});

/**
 * Where change-to-visible went (`Delivery`): the push, until the reader's event stream named
 * the database, the reader waiting before its pull started, and the pull. Stages overlap
 * (the event usually comes before the push is answered), so they do not add up to the total.
 */
function stages(vs: Delivery[]) {
  const heard = vs.filter((v) => Number.isFinite(v.heardAt));
  return {
    pushMs: pct(vs.map((v) => v.ackAt - v.writtenAt).filter(Number.isFinite)),
    eventHeardMs: pct(heard.map((v) => v.heardAt - v.writtenAt)),
    readerWaitMs: pct(heard.map((v) => Math.max(0, v.requestAt - v.heardAt))),
    pullMs: pct(vs.map((v) => v.seenAt - v.requestAt)),
    /** Returned by a pull that answered an event from before the write began. */
    withoutEvent: vs.length - heard.length
  };
}

async function createUsers(adminUrl: string, n: number): Promise<{ username: string; org: string }[]> {
  const hash = await hashPassword(PASSWORD);
  const orgs = DEMO_ORGS.map((o) => o.id);
  const users = Array.from({ length: n }, (_, i) => ({
    username: `load.${String(i + 1).padStart(4, '0')}`,
    org: orgs[i % orgs.length]
  }));
  const docs = users.map((u) => ({
    _id: userDocId(u.username),
    type: 'user',
    username: u.username,
    name: `Zátěž ${u.username}`,
    passwordHash: hash,
    memberships: [{ role: 'requester', org: u.org }],
    orgId: u.org
  }));
  const res = await nano(adminUrl).use(AUTH_DB).bulk({ docs });
  const bad = res.find((r) => r.error);
  if (bad) throw new Error(`creating users failed: ${bad.id} ${bad.error}`);
  return users;
}

interface Mark {
  at: number;
  tree: TreeSample;
  /** CPU seconds of this process (the simulated users) and of the whole machine so far. */
  harnessCpuS: number;
  machineCpuS: number;
  /** Requests the store served so far, by method and kind. */
  store: Record<string, number>;
}

async function storeRequests(adminUrl: string): Promise<Record<string, number>> {
  try {
    const status = (await nano(adminUrl).request({ path: '_store_status' })) as StoreStatus;
    return status.requests ?? {};
  } catch {
    return {};
  }
}

async function mark(pid: number, adminUrl: string): Promise<Mark> {
  const store = await storeRequests(adminUrl);
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    tree: sampleTree(pid),
    store,
    harnessCpuS: (own.user + own.system) / 1e6,
    machineCpuS: machineBusyCpuS()
  };
}

/**
 * What the server spent between two marks, per delivered change (a change of one user
 * returned by another user's pull): requests to the store and CPU milliseconds of the gateway
 * and of the store. CPU seconds do not depend on how busy the machine is; wall-clock latency does.
 */
function cost(a: Mark, b: Mark, deliveries: number, writes: number) {
  const requests: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(b.store)) {
    const d = v - (a.store[k] ?? 0);
    if (d > 0) {
      requests[k] = d;
      total += d;
    }
  }
  const storeCpuS = b.tree.storeCpuS - a.tree.storeCpuS;
  const gatewayCpuS = b.tree.cpuS - a.tree.cpuS - storeCpuS;
  const per = (x: number) => (deliveries > 0 ? x / deliveries : NaN);
  const seconds = (b.at - a.at) / 1000;
  const harnessCpuS = b.harnessCpuS - a.harnessCpuS;
  const machineCpuS = b.machineCpuS - a.machineCpuS;
  const cores = (x: number) => (seconds > 0 ? x / seconds : NaN);
  return {
    /**
     * Mean cores in use over the phase: the server (gateway and store), the simulated users,
     * and everything else on the machine (other work sharing it), out of `os.cpus().length`.
     */
    cores: {
      server: cores(gatewayCpuS + storeCpuS),
      harness: cores(harnessCpuS),
      others: cores(machineCpuS - gatewayCpuS - storeCpuS - harnessCpuS),
      machine: os.cpus().length
    },
    harnessCpuMsPerDelivery: per(harnessCpuS * 1000),
    seconds,
    writes,
    deliveries,
    storeRequests: total,
    storeRequestsByKind: requests,
    gatewayCpuS,
    storeCpuS,
    storeRequestsPerDelivery: per(total),
    storeRequestsPerWrite: writes > 0 ? total / writes : NaN,
    gatewayCpuMsPerDelivery: per(gatewayCpuS * 1000),
    storeCpuMsPerDelivery: per(storeCpuS * 1000)
  };
}

/**
 * Memory with garbage collected: the server (and its store) write a heap snapshot on SIGUSR2,
 * which collects garbage first; RSS is read once both snapshots are complete.
 */
async function collectedMemory(pid: number, dir: string, label: string) {
  const procs = processTree(pid);
  const before = new Set(await readdir(dir).catch(() => []));
  for (const p of procs) process.kill(p, 'SIGUSR2');
  const deadline = performance.now() + 180_000;
  // A snapshot is complete when its file stops growing.
  let sizes = '';
  for (;;) {
    await sleep(2000);
    const files = (await readdir(dir)).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    const bytes = await Promise.all(files.map(async (f) => (await stat(path.join(dir, f))).size));
    const now = JSON.stringify(bytes);
    // A snapshot's file exists (empty) before it is written: complete means non-empty and no longer growing.
    const complete = files.length >= procs.length && now === sizes && bytes.every((b) => b > 0);
    if (complete || performance.now() > deadline) {
      const named = await Promise.all(
        files.map(async (f) => {
          const target = path.join(dir, `${label}-${f}`);
          await rename(path.join(dir, f), target);
          return { file: target, mb: (await stat(target)).size / 1024 / 1024 };
        })
      );
      const t = sampleTree(pid);
      return { rssMb: t.rssMb, storeRssMb: t.storeRssMb, snapshots: named };
    }
    sizes = now;
  }
}

async function runOnce(
  n: number,
  opts: {
    durationS: number;
    steadyS: number;
    intervalS: number;
    rampS: number;
    profileDir?: string;
    heapDir?: string;
    rounds?: number;
  }
) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-load-'));
  const heapDir = opts.heapDir ? path.resolve(opts.heapDir, String(n)) : path.join(dataDir, 'heap');
  await mkdir(heapDir, { recursive: true });
  // --profile: the server and the store it forks write V8 CPU profiles when they exit.
  const profDir = opts.profileDir ? path.resolve(opts.profileDir, String(n)) : undefined;
  const nodeArgs = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const memFlags = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${heapDir}`;
  const srv = await spawnProcess({
    env: {
      DATA_DIR: dataDir,
      DEMO: '1',
      LOG_LEVEL: 'warn',
      NODE_OPTIONS: memFlags,
      COUCH_NODE_ARGS: [memFlags, ...(profDir ? [`--cpu-prof --cpu-prof-dir=${profDir}`] : [])].join(' ')
    },
    nodeArgs
  });
  try {
    const adminUrl = (await readFile(path.join(dataDir, 'couch', '.admin-url'), 'utf8')).trim();
    const accounts = await createUsers(adminUrl, n);
    await sleep(3000);
    // Each round signs the same people in again on the same server: a second round's memory
    // after collection, against the first's, tells growth per operation from what is built once.
    const round = async () => {
      const memoryBefore = await collectedMemory(srv.pid, heapDir, `before-${rounds.length + 1}`);
      const before = sampleTree(srv.pid);
      const shared: Shared = {
        written: new Map(),
        visible: [],
        errors: new Map(),
        pullsAt: [],
        eventsAt: [],
        orgOf: new Map(accounts.map((a) => [a.username, a.org]))
      };
      const users = accounts.map((a) => new SimUser(srv.url, a.username, a.org, shared));
      const samples = sampler(srv.pid);
      const started = performance.now();
      const startMark = await mark(srv.pid, adminUrl);
      // The simulated users run in this process: if it is saturated, latencies are the client's.
      const loadCpu0 = process.cpuUsage();
      const loadAvgStart = os.loadavg()[0];
      // How late this process's event loop ran (measured from the steady state on): when the
      // simulated users' own process is late, part of every latency is the harness's.
      const loopDelay = monitorEventLoopDelay({ resolution: 20 });
      loopDelay.enable();
      // Writes go on for `duration` after the ramp, and in any case `steady` seconds after the
      // last person finished the first sync, so the steady state is measured at every size.
      let steadyEnd = started + (opts.rampS + opts.durationS) * 1000;
      let started_ = 0;
      let steadyMark: Promise<Mark> | null = null;
      const startDone = () => {
        if (++started_ < users.length) return;
        steadyMark = mark(srv.pid, adminUrl);
        loopDelay.reset();
        steadyEnd = Math.max(steadyEnd, performance.now() + opts.steadyS * 1000);
      };

      const lives = users.map(async (u, i) => {
        await sleep((i / users.length) * opts.rampS * 1000);
        try {
          await u.signIn(PASSWORD);
          await u.firstSync();
        } catch (err) {
          countError(shared, `start: ${(err as Error).message.slice(0, 60)}`);
          return;
        } finally {
          startDone();
        }
        // Ids go on from the earlier rounds: a second round writes new tickets, not edits of old ones.
        let seq = rounds.length * 100_000;
        for (;;) {
          await sleep(opts.intervalS * 1000 * (0.5 + Math.random()));
          if (performance.now() > steadyEnd) return;
          await u.write(++seq);
        }
      });
      // Sign-ins wait their turn for password checking: at 500 on a busy machine that alone took minutes.
      const bound = (opts.rampS + opts.durationS + opts.steadyS + 900) * 1000;
      await Promise.race([
        Promise.all(lives),
        sleep(bound).then(() => countError(shared, 'run did not finish in time'))
      ]);
      const lastWrite = performance.now();
      await sleep(5000); // the last changes reach everyone
      const endMark = await mark(srv.pid, adminUrl);
      const missed = users.reduce((sum, u) => sum + u.missed(lastWrite - 2000), 0);
      const during = samples.stop();
      const loadCpu = process.cpuUsage(loadCpu0);
      const generatorCpuPct = ((loadCpu.user + loadCpu.system) / 1000 / (performance.now() - started)) * 100;
      const loadAvgEnd = os.loadavg()[0];
      loopDelay.disable();
      const harnessLoopDelayMs = {
        p50: loopDelay.percentile(50) / 1e6,
        p99: loopDelay.percentile(99) / 1e6,
        max: loopDelay.max / 1e6
      };
      for (const u of users) u.close();
      await sleep(10_000); // streams closed, server idle
      const after = sampleTree(srv.pid);
      const memoryAfter = await collectedMemory(srv.pid, heapDir, `after-${rounds.length + 1}`);
      const cpu = cpuPercent(during);
      const steady = (await (steadyMark as Promise<Mark> | null)) ?? endMark;
      // Deliveries are split by when the change was written: during the sign-in and first-sync
      // storm (before the last person finished the first sync) or in the steady state after it.
      const inSteady = shared.visible.filter((v) => v.writtenAt >= steady.at);
      const inStorm = shared.visible.filter((v) => v.writtenAt < steady.at);
      const latencies = (vs: typeof shared.visible) => pct(vs.map((v) => v.seenAt - v.writtenAt));
      const writesBetween = (a: number, b: number) =>
        [...shared.written.values()].filter((w) => w.at >= a && w.at < b).length;
      const deliveredBetween = (a: number, b: number) =>
        shared.visible.filter((v) => v.seenAt >= a && v.seenAt < b).length;
      // What the server logged as errors or warnings (pino JSON lines), counted by message.
      const serverLog: Record<string, { count: number; examples: string[] }> = {};
      for (const line of srv.output().split('\n')) {
        const m = /"level":(40|50|60).*?"msg":"([^"]{0,100})/.exec(line);
        if (!m) continue;
        const entry = (serverLog[m[2]] ??= { count: 0, examples: [] });
        entry.count += 1;
        if (entry.examples.length < 3) entry.examples.push(line.slice(0, 400));
      }
      // Only the file's name: kept under --heap <dir>/<users>, otherwise removed with the run's data.
      const snapshotsOf = (m: Awaited<ReturnType<typeof collectedMemory>>) =>
        m.snapshots.map((s) => ({ file: path.basename(s.file), mb: s.mb }));
      return {
        users: n,
        durationS: opts.durationS,
        steadyMinS: opts.steadyS,
        intervalS: opts.intervalS,
        rampS: opts.rampS,
        signInMs: pct(users.map((u) => u.signInMs).filter(Number.isFinite)),
        firstSyncMs: pct(users.map((u) => u.firstSyncMs).filter(Number.isFinite)),
        /** Every change written, from its push to another user's pull returning it. */
        changeToVisibleMs: latencies(shared.visible),
        /** Changes written after every user had signed in and finished the first sync. */
        changeToVisibleSteadyMs: latencies(inSteady),
        /** Where the steady changes' time went. */
        changeToVisibleSteadyStages: stages(inSteady),
        /** How late the simulated users' event loop ran in the steady state, ms. */
        harnessLoopDelayMs,
        /** Changes written while some users were still signing in or doing the first sync. */
        changeToVisibleStormMs: latencies(inStorm),
        /** Seconds from the start until the last user finished the first sync. */
        stormS: (steady.at - started) / 1000,
        steadyS: (endMark.at - steady.at) / 1000,
        signInRetries: users.reduce((s, u) => s + u.signInRetries, 0),
        writes: users.reduce((s, u) => s + u.writes, 0),
        missedDeliveries: missed,
        errors: Object.fromEntries(shared.errors),
        errorCount: [...shared.errors.values()].reduce((a, b) => a + b, 0),
        serverLog,
        generatorCpuPct,
        machineLoadAverage: { start: loadAvgStart, end: loadAvgEnd },
        /** Per delivered change, between marks: in the storm and in the steady state. */
        costStorm: cost(
          startMark,
          steady,
          deliveredBetween(startMark.at, steady.at),
          writesBetween(startMark.at, steady.at)
        ),
        costSteady: cost(
          steady,
          endMark,
          deliveredBetween(steady.at, endMark.at),
          writesBetween(steady.at, endMark.at)
        ),
        /** Steady state: pull requests and events naming a database, per delivered change. */
        steadyPullsPerDelivery:
          shared.pullsAt.filter((t) => t >= steady.at && t < endMark.at).length /
          deliveredBetween(steady.at, endMark.at),
        steadyEventsPerDelivery:
          shared.eventsAt.filter((t) => t >= steady.at && t < endMark.at).length /
          deliveredBetween(steady.at, endMark.at),
        server: {
          cpuMeanPct: cpu.mean,
          cpuPeakPct: cpu.peak,
          rssBeforeMb: before.rssMb,
          rssPeakMb: Math.max(...during.map((s) => s.rssMb)),
          rssEndOfLoadMb: during[during.length - 1].rssMb,
          rssAfterIdleMb: after.rssMb,
          /** After a full garbage collection (heap snapshot), before the load and after it, idle. */
          collected: {
            before: {
              rssMb: memoryBefore.rssMb,
              storeRssMb: memoryBefore.storeRssMb,
              snapshots: snapshotsOf(memoryBefore)
            },
            after: {
              rssMb: memoryAfter.rssMb,
              storeRssMb: memoryAfter.storeRssMb,
              snapshots: snapshotsOf(memoryAfter)
            }
          }
        }
      };
    };
    const rounds: Awaited<ReturnType<typeof round>>[] = [];
    for (let i = 0; i < (opts.rounds ?? 1); i++) rounds.push(await round());
    const last = rounds[rounds.length - 1];
    return {
      ...last,
      /** Memory after collection, before and after each round, when there was more than one. */
      memoryByRound: rounds.length > 1 ? rounds.map((r) => r.server.collected) : undefined
    };
  } finally {
    await srv.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The server's log lines name files under this machine's directories: stored results name them relative to the project. */
function scrubPaths(text: string): string {
  return text.replaceAll(process.cwd() + path.sep, '').replaceAll(os.tmpdir() + path.sep, '<tmp>/');
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '50,200,500' },
      duration: { type: 'string', default: '60' },
      steady: { type: 'string', default: '30' },
      heap: { type: 'string' },
      interval: { type: 'string', default: '10' },
      ramp: { type: 'string', default: '20' },
      out: { type: 'string', default: 'bench/results/load-latest.json' },
      profile: { type: 'string' },
      rounds: { type: 'string', default: '1' }
    }
  });
  const sizes = values.users.split(',').map(Number);
  const opts = {
    durationS: Number(values.duration),
    steadyS: Number(values.steady),
    heapDir: values.heap,
    intervalS: Number(values.interval),
    rampS: Number(values.ramp),
    profileDir: values.profile,
    rounds: Number(values.rounds)
  };
  if (
    sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 2000) ||
    !(opts.durationS > 0) ||
    !(opts.steadyS >= 0) ||
    !(opts.intervalS > 0) ||
    !(opts.rampS >= 0) ||
    !(Number.isInteger(opts.rounds) && opts.rounds >= 1 && opts.rounds <= 5)
  ) {
    console.error(
      'usage: npm run load -- [--users 50,200,500] [--duration s] [--steady s] [--interval s] [--ramp s] [--profile dir] [--heap dir] [--rounds 1..5]'
    );
    process.exit(2);
  }
  const runs = [];
  for (const n of sizes) {
    console.error(`load: ${n} users, ramp ${opts.rampS} s, ${opts.durationS} s of writes every ~${opts.intervalS} s …`);
    const r = await runOnce(n, opts);
    runs.push(r);
    console.error(JSON.stringify(r));
  }
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(
    values.out,
    scrubPaths(
      JSON.stringify({ at: new Date().toISOString(), machine: machineInfo(), loadAverage: os.loadavg(), runs }, null, 2)
    ) + '\n'
  );
  console.log(
    '| users | sign-in p50/p95/p99 ms | first sync p50/p95/p99 ms | change→visible during sign-in storm p50/p95/p99 ms (n) | change→visible steady p50/p95/p99 ms (n) | writes | missed | errors | steady: store requests / delivery | steady: CPU ms / delivery (gateway + store) | server CPU mean/peak % | RSS before/peak/after idle MB | RSS after GC before/after MB | load avg start/end |'
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const t = (s: { p50: number; p95: number; p99: number }) => `${f0(s.p50)} / ${f0(s.p95)} / ${f0(s.p99)}`;
    const c = r.costSteady;
    console.log(
      `| ${r.users} | ${t(r.signInMs)} | ${t(r.firstSyncMs)} | ${t(r.changeToVisibleStormMs)} (${r.changeToVisibleStormMs.n}) | ${t(r.changeToVisibleSteadyMs)} (${r.changeToVisibleSteadyMs.n}) | ${r.writes} | ${r.missedDeliveries} | ${r.errorCount} | ${c.storeRequestsPerDelivery.toFixed(2)} | ${c.gatewayCpuMsPerDelivery.toFixed(2)} + ${c.storeCpuMsPerDelivery.toFixed(2)} | ${f0(r.server.cpuMeanPct)} / ${f0(r.server.cpuPeakPct)} | ${f0(r.server.rssBeforeMb)} / ${f0(r.server.rssPeakMb)} / ${f0(r.server.rssAfterIdleMb)} | ${f0(r.server.collected.before.rssMb)} / ${f0(r.server.collected.after.rssMb)} | ${r.machineLoadAverage.start.toFixed(1)} / ${r.machineLoadAverage.end.toFixed(1)} |`
    );
  }
  console.log(
    '\n| users | steady: push p50/p95 ms | event heard p50/p95 ms | reader waits p50/p95 ms | pull p50/p95 ms | harness event-loop delay p99/max ms | cores: server / harness / others (of) |'
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const t = (s: { p50: number; p95: number }) => `${f0(s.p50)} / ${f0(s.p95)}`;
    const st = r.changeToVisibleSteadyStages;
    const c = r.costSteady.cores;
    console.log(
      `| ${r.users} | ${t(st.pushMs)} | ${t(st.eventHeardMs)} | ${t(st.readerWaitMs)} | ${t(st.pullMs)} | ${f0(r.harnessLoopDelayMs.p99)} / ${f0(r.harnessLoopDelayMs.max)} | ${c.server.toFixed(2)} / ${c.harness.toFixed(2)} / ${c.others.toFixed(2)} (${c.machine}) |`
    );
  }
  for (const r of runs) {
    if (!r.memoryByRound) continue;
    // Heap after collection per process (the supervisor, the gateway, the store), MB, before → after each round.
    const heaps = (m: (typeof r.memoryByRound)[number]['before']) =>
      m.snapshots.map((x) => x.mb.toFixed(1)).join(' / ');
    r.memoryByRound.forEach((m, i) =>
      console.log(
        `${r.users} users, round ${i + 1}: heaps ${heaps(m.before)} → ${heaps(m.after)} MB; RSS ${f0(m.before.rssMb)} → ${f0(m.after.rssMb)} MB`
      )
    );
  }
  console.log(`written to ${values.out}`);
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`load test failed: ${err.message}`);
    process.exit(1);
  }
);
