/**
 * `npm run bench`: the whole benchmark against the real stack (built app, sync server,
 * embedded CouchDB, headless Chromium), in one run so that every ratio compares figures
 * taken on the same machine at the same time. Prints a table and writes
 * `bench/results/latest.json`. Load stays on loopback and everything it starts, it stops.
 *
 *   tsx bench/run.ts [--smoke] [--only 1,4,5]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL, SMOKE, type BenchConfig } from './config';
import { chromiumVersion } from './lib/browser';
import { machineInfo, type MachineInfo } from './lib/machine';
import { mergeResults, scenarioOf, type ScenarioRun } from './lib/merge-results';
import { consoleTable, type Figure } from './lib/report';
import { startStack, type Stack } from './lib/stack';
import { ensureOrgCount, fillTickets } from './lib/seed';
import { SCENARIOS, type ScenarioId } from './scenarios';
import { nodeSpeedMs } from './lib/speed-probe';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface BenchOutput {
  machine: MachineInfo;
  startedAt: string;
  seconds: number;
  config: BenchConfig;
  figures: Figure[];
  details: Partial<Record<ScenarioId, unknown>>;
  errors: Partial<Record<ScenarioId, string>>;
  /**
   * The machine's 1-minute load average when each scenario started and ended: other jobs
   * share the cores, and a figure taken at load 3 on 2 cores is not one taken at load 0.
   */
  load: Partial<Record<ScenarioId, { start: number; end: number }>>;
  /**
   * The speed probe's time (ms, lower is faster; `speed-probe.ts`) when each scenario started
   * and ended: a scenario without a peer in the same run reads against it.
   */
  speed?: Partial<Record<ScenarioId, { start: number; end: number }>>;
  /** Which run each scenario's figures come from, when `--only` reran some of them. */
  scenarioRuns?: Record<string, ScenarioRun>;
}

const load1 = () => Math.round(os.loadavg()[0] * 100) / 100;

/** Which stack a scenario needs: one organization with many tickets, or the whole region. */
const ONE_ORG: ScenarioId[] = ['1', '3', '6', '4', '5', '7', '9', '11'];
const REGION: ScenarioId[] = ['2'];
/** The list at 100,000 tickets: one organization holding them all. */
const BIG_ORG: ScenarioId[] = ['8'];
/** The approvals and tasks lists: the demo region, the scenario copies the documents itself. */
const PORTAL: ScenarioId[] = ['10'];

async function withStack<T>(prepare: (s: Stack) => Promise<void>, body: (s: Stack) => Promise<T>): Promise<T> {
  const stack = await startStack();
  try {
    await prepare(stack);
    return await body(stack);
  } finally {
    await stack.close();
  }
}

export async function runBench(
  config: BenchConfig,
  only: readonly ScenarioId[],
  log = (s: string) => console.log(s)
): Promise<BenchOutput> {
  const started = Date.now();
  const speed: NonNullable<BenchOutput['speed']> = {};
  const out: BenchOutput = {
    machine: machineInfo(),
    startedAt: new Date(started).toISOString(),
    seconds: 0,
    config,
    figures: [],
    details: {},
    errors: {},
    load: {},
    speed
  };
  const needsBrowser = only.some((id) => SCENARIOS[id].browser);
  if (needsBrowser) out.machine.chromium = await chromiumVersion();

  const runAll = async (ids: ScenarioId[], stack: Stack) => {
    for (const id of ids.filter((i) => only.includes(i))) {
      log(`[bench] ${id}. ${SCENARIOS[id].title}…`);
      const t = Date.now();
      const loadStart = load1();
      const speedStart = nodeSpeedMs();
      try {
        const r = await SCENARIOS[id].run(stack, config);
        out.details[id] = r.details;
        out.figures.push(...r.figures);
      } catch (err) {
        out.errors[id] = (err as Error).stack ?? String(err);
        log(`[bench] ${id} failed: ${(err as Error).message}`);
      }
      out.load[id] = { start: loadStart, end: load1() };
      const speedEnd = nodeSpeedMs();
      speed[id] = { start: speedStart, end: speedEnd };
      log(
        `[bench] ${id} took ${((Date.now() - t) / 1000).toFixed(1)} s (load ${loadStart} → ${out.load[id]!.end}, speed probe ${speedStart} → ${speedEnd} ms)`
      );
    }
  };

  if (only.some((id) => ONE_ORG.includes(id))) {
    await withStack(
      async (s) => {
        log(`[bench] seeding ${config.tickets} tickets into ${config.org}…`);
        await fillTickets(s.couch, config.org, config.tickets, config.requester);
      },
      (s) => runAll(ONE_ORG, s)
    );
  }
  if (only.some((id) => REGION.includes(id))) {
    await withStack(
      async (s) => {
        log(`[bench] seeding ${config.orgs} organizations × ${config.ticketsPerOrg} tickets…`);
        const orgs = await ensureOrgCount(s.couch, config.orgs);
        for (const [i, org] of orgs.entries())
          await fillTickets(s.couch, org, config.ticketsPerOrg, config.agent, i + 1);
      },
      (s) => runAll(REGION, s)
    );
  }
  if (only.some((id) => BIG_ORG.includes(id))) {
    await withStack(
      async (s) => {
        log(`[bench] seeding ${config.bigTickets} tickets into ${config.org}…`);
        await fillTickets(s.couch, config.org, config.bigTickets, config.requester);
      },
      (s) => runAll(BIG_ORG, s)
    );
  }
  if (only.some((id) => PORTAL.includes(id)))
    await withStack(
      async () => undefined,
      (s) => runAll(PORTAL, s)
    );
  const order = Object.keys(SCENARIOS);
  out.figures.sort((a, b) => order.indexOf(scenarioOf(a.id)) - order.indexOf(scenarioOf(b.id)));
  out.seconds = (Date.now() - started) / 1000;
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const onlyArg = args[args.indexOf('--only') + 1];
  const only = (args.includes('--only') && onlyArg ? onlyArg.split(',') : Object.keys(SCENARIOS)) as ScenarioId[];
  const config = smoke ? SMOKE : FULL;
  const out = await runBench(config, only);
  console.log(`\n${consoleTable(out.figures)}\n`);
  console.log(
    `machine: ${out.machine.cpu} ×${out.machine.cores}, Node ${out.machine.node}, Chromium ${out.machine.chromium ?? '–'}; ${out.seconds.toFixed(0)} s`
  );
  const file = path.join(HERE, 'results', smoke ? 'smoke.json' : 'latest.json');
  await mkdir(path.dirname(file), { recursive: true });
  // A partial run keeps the other scenarios' figures from the file, each marked with its run.
  const previous = args.includes('--only')
    ? await readFile(file, 'utf8').then(
        (t) => JSON.parse(t) as BenchOutput,
        () => null
      )
    : null;
  await writeFile(file, `${JSON.stringify(mergeResults(previous, out, only), null, 2)}\n`);
  console.log(`written ${path.relative(process.cwd(), file)}`);
  const failed = Object.keys(out.errors);
  if (failed.length > 0) {
    console.error(`scenarios that failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: Error) => {
    console.error(err);
    process.exit(1);
  });
}
