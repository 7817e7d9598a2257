/**
 * npm run load [-- --users 50,200,500 --duration 60 --interval 10 --ramp 20 --profile dir]
 *
 * N simulated users (user.ts) against a real sync server started as its own process on
 * loopback (embedded store, demo region, N extra requester accounts spread over the demo's
 * organizations). Each signs in within the ramp, does a first sync, then writes a ticket every
 * `interval` seconds (±50 %) while receiving the others' changes through the event stream.
 * Reports sign-in, first-sync and change-to-visible latency (p50/p95/p99), errors, missed
 * deliveries, and the server's CPU and memory (server plus store) before, during and after.
 * Results go to bench/results/load-latest.json. Every phase is bounded; the run stops by itself.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import nano from 'nano';
import { DEMO_ORGS } from '../../sync-server/demo/region';
import { hashPassword, userDocId, AUTH_DB } from '../../sync-server/auth/users';
import { spawnProcess } from '../../sync-server/ops/server-process';
import { machineInfo } from '../lib/machine';
import { percentile } from '../lib/stats';
import { cpuPercent, sampler, sampleTree } from './process-stats';
import { countError, SimUser, type Shared } from './user';

const PASSWORD = 'load-test-password';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[]) => ({
  p50: percentile(xs, 50),
  p95: percentile(xs, 95),
  p99: percentile(xs, 99),
  n: xs.length
});

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

async function runOnce(n: number, opts: { durationS: number; intervalS: number; rampS: number; profileDir?: string }) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ict-load-'));
  // --profile: the server (and the store it forks) write V8 CPU profiles when they exit.
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profileDir, String(n))}`] : [];
  const srv = await spawnProcess({ env: { DATA_DIR: dataDir, DEMO: '1', LOG_LEVEL: 'warn' }, nodeArgs });
  try {
    const adminUrl = (await readFile(path.join(dataDir, 'couch', '.admin-url'), 'utf8')).trim();
    const accounts = await createUsers(adminUrl, n);
    await sleep(3000);
    const before = sampleTree(srv.pid);
    const shared: Shared = {
      written: new Map(),
      visible: [],
      errors: new Map(),
      orgOf: new Map(accounts.map((a) => [a.username, a.org]))
    };
    const users = accounts.map((a) => new SimUser(srv.url, a.username, a.org, shared));
    const samples = sampler(srv.pid);
    const started = performance.now();
    // The simulated users run in this process: if it is saturated, latencies are the client's.
    const loadCpu0 = process.cpuUsage();
    const loadAvgStart = os.loadavg()[0];
    const steadyEnd = started + (opts.rampS + opts.durationS) * 1000;

    const lives = users.map(async (u, i) => {
      await sleep((i / users.length) * opts.rampS * 1000);
      try {
        await u.signIn(PASSWORD);
        await u.firstSync();
      } catch (err) {
        countError(shared, `start: ${(err as Error).message.slice(0, 60)}`);
        return;
      }
      let seq = 0;
      for (;;) {
        await sleep(opts.intervalS * 1000 * (0.5 + Math.random()));
        if (performance.now() > steadyEnd) return;
        await u.write(++seq);
      }
    });
    const bound = (opts.rampS + opts.durationS + 120) * 1000;
    await Promise.race([Promise.all(lives), sleep(bound).then(() => countError(shared, 'run did not finish in time'))]);
    const lastWrite = performance.now();
    await sleep(5000); // the last changes reach everyone
    const missed = users.reduce((sum, u) => sum + u.missed(lastWrite - 2000), 0);
    const during = samples.stop();
    const loadCpu = process.cpuUsage(loadCpu0);
    const generatorCpuPct = ((loadCpu.user + loadCpu.system) / 1000 / (performance.now() - started)) * 100;
    const loadAvgEnd = os.loadavg()[0];
    for (const u of users) u.close();
    await sleep(10_000); // streams closed, server idle
    const after = sampleTree(srv.pid);
    const cpu = cpuPercent(during);
    // What the server logged as errors or warnings (pino JSON lines), counted by message.
    const serverLog: Record<string, { count: number; examples: string[] }> = {};
    for (const line of srv.output().split('\n')) {
      const m = /"level":(40|50|60).*?"msg":"([^"]{0,100})/.exec(line);
      if (!m) continue;
      const entry = (serverLog[m[2]] ??= { count: 0, examples: [] });
      entry.count += 1;
      if (entry.examples.length < 3) entry.examples.push(line.slice(0, 400));
    }
    return {
      users: n,
      durationS: opts.durationS,
      intervalS: opts.intervalS,
      rampS: opts.rampS,
      signInMs: pct(users.map((u) => u.signInMs).filter(Number.isFinite)),
      firstSyncMs: pct(users.map((u) => u.firstSyncMs).filter(Number.isFinite)),
      changeToVisibleMs: pct(shared.visible),
      signInRetries: users.reduce((s, u) => s + u.signInRetries, 0),
      writes: users.reduce((s, u) => s + u.writes, 0),
      missedDeliveries: missed,
      errors: Object.fromEntries(shared.errors),
      errorCount: [...shared.errors.values()].reduce((a, b) => a + b, 0),
      serverLog,
      generatorCpuPct,
      machineLoadAverage: { start: loadAvgStart, end: loadAvgEnd },
      server: {
        cpuMeanPct: cpu.mean,
        cpuPeakPct: cpu.peak,
        rssBeforeMb: before.rssMb,
        rssPeakMb: Math.max(...during.map((s) => s.rssMb)),
        rssEndOfLoadMb: during[during.length - 1].rssMb,
        rssAfterIdleMb: after.rssMb
      }
    };
  } finally {
    await srv.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '50,200,500' },
      duration: { type: 'string', default: '60' },
      interval: { type: 'string', default: '10' },
      ramp: { type: 'string', default: '20' },
      out: { type: 'string', default: 'bench/results/load-latest.json' },
      profile: { type: 'string' }
    }
  });
  const sizes = values.users.split(',').map(Number);
  const opts = {
    durationS: Number(values.duration),
    intervalS: Number(values.interval),
    rampS: Number(values.ramp),
    profileDir: values.profile
  };
  if (
    sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 2000) ||
    !(opts.durationS > 0) ||
    !(opts.intervalS > 0) ||
    !(opts.rampS >= 0)
  ) {
    console.error('usage: npm run load -- [--users 50,200,500] [--duration s] [--interval s] [--ramp s]');
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
    JSON.stringify({ at: new Date().toISOString(), machine: machineInfo(), loadAverage: os.loadavg(), runs }, null, 2) +
      '\n'
  );
  console.log(
    '| users | sign-in p50/p95/p99 ms | first sync p50/p95/p99 ms | change→visible p50/p95/p99 ms (n) | writes | missed | errors | server CPU mean/peak % | RSS before/peak/after idle MB | load avg start/end | generator CPU % |'
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const t = (s: { p50: number; p95: number; p99: number }) => `${f0(s.p50)} / ${f0(s.p95)} / ${f0(s.p99)}`;
    console.log(
      `| ${r.users} | ${t(r.signInMs)} | ${t(r.firstSyncMs)} | ${t(r.changeToVisibleMs)} (${r.changeToVisibleMs.n}) | ${r.writes} | ${r.missedDeliveries} | ${r.errorCount} | ${f0(r.server.cpuMeanPct)} / ${f0(r.server.cpuPeakPct)} | ${f0(r.server.rssBeforeMb)} / ${f0(r.server.rssPeakMb)} / ${f0(r.server.rssAfterIdleMb)} | ${r.machineLoadAverage.start.toFixed(1)} / ${r.machineLoadAverage.end.toFixed(1)} | ${f0(r.generatorCpuPct)} |`
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
