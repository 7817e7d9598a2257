/**
 * What a new device's service-worker install costs: the requests the worker makes, the time
 * until it is active, and the CPU of the browser and of the server meanwhile (read from
 * /proc, so Linux only). Runs against a server already started on the current build:
 *
 *   DATA_DIR=$(mktemp -d) PORT=3997 npx tsx sync-server/main.ts &
 *   npx tsx bench/diagnose-sw-install.ts http://localhost:3997 [runs]
 *
 * Each run is a new browser context (a new device) on the sign-in page, which registers the
 * worker at once. `CHROMIUM_PATH` picks the browser (the browser tests use the headless shell).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './lib/browser';
import { cpuTicksOf, TICKS } from './load/process-stats';
import { workerRequests } from './scenarios/sw-install';

const url = process.argv[2] ?? 'http://localhost:3000';
const runs = Number(process.argv[3] ?? 4);

/** CPU milliseconds of every process whose command line matches. */
function cpuMs(match: (cmdline: string) => boolean): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) ticks += cpuTicksOf(pid);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return (ticks * 1000) / TICKS;
}
const browserCpu = () => cpuMs((c) => c.includes('chrom'));
const serverCpu = () => cpuMs((c) => c.includes('sync-server/main.ts') || c.includes('embedded-couch/child.mjs'));

const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.waitForLoadState('networkidle');
    const fromWorker = workerRequests(context);
    const [b0, s0, t0] = [browserCpu(), serverCpu(), Date.now()];
    await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active);
    const ms = Date.now() - t0;
    const immutable = fromWorker.filter((p) => p.startsWith('/_app/immutable/')).length;
    console.log(
      `run ${run}: active after ${ms} ms; browser ${browserCpu() - b0} ms CPU, server ${serverCpu() - s0} ms CPU; ` +
        `${fromWorker.length} requests from the worker (${immutable} of single build files)`
    );
    await context.close();
  }
} finally {
  await browser.close();
}
