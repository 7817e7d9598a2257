/**
 * npm run soak [-- --days 20 --ops 25 --seed 12345]
 *
 * The long run of the multi-device simulation (src/lib/db/multi-device-sim.ts): five devices
 * of three people of one organization work offline for many simulated days against a real
 * sync server on loopback (embedded store, demo region) and come back in random orders. It
 * prints the operations, the seed, the duration and the result, and writes them to
 * bench/results/soak-latest.json. A failure names its seed: replay it with --seed or SIM_SEED.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer } from '../sync-server/testing/server';
import { runSimulation, type SimReport } from '../src/lib/db/multi-device-sim';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '20' },
      ops: { type: 'string', default: '25' },
      seed: { type: 'string', default: process.env.SIM_SEED ?? '' },
      out: { type: 'string', default: 'bench/results/soak-latest.json' }
    }
  });
  const days = Number(values.days);
  const opsPerSession = Number(values.ops);
  const seed = values.seed ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
  if (![days, opsPerSession, seed].every((n) => Number.isInteger(n) && n >= 0) || days < 1 || days > 60) {
    console.error('usage: npm run soak -- [--days 1..60] [--ops n] [--seed n]');
    return 2;
  }
  console.log(`soak: seed ${seed}, ${days} days, ${opsPerSession} operations per device and session`);
  const server = await startTestServer();
  const started = Date.now();
  let report: SimReport | null = null;
  let failure: string | null = null;
  try {
    report = await runSimulation({
      serverUrl: server.url,
      couchUrl: server.couchUrl,
      seed,
      days,
      opsPerSession,
      log: (line) => console.log(`  ${line}`)
    });
  } catch (err) {
    failure = (err as Error).stack ?? String(err);
  } finally {
    await server.close();
  }
  const durationS = (Date.now() - started) / 1000;
  const result = {
    at: new Date().toISOString(),
    seed,
    days,
    opsPerSession,
    operations: report?.operations ?? null,
    durationS,
    result: failure ? 'FAILED' : 'passed',
    failure,
    report,
    loadAverage: os.loadavg()
  };
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, JSON.stringify(result, null, 2) + '\n');
  if (report) {
    console.log(`operations: ${report.operations} ${JSON.stringify(report.byKind)}`);
    console.log(`syncs: ${report.syncs} (${report.cutSyncs} lost the network part-way)`);
    console.log(`refused and kept on the device: ${JSON.stringify(report.refused)}`);
    console.log(`conflict records in documents: ${report.conflictRecords}`);
  }
  console.log(`seed: ${seed}`);
  console.log(
    `duration: ${durationS.toFixed(1)} s (load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')})`
  );
  console.log(
    `result: ${failure ? `FAILED (replay: npm run soak -- --seed ${seed} --days ${days} --ops ${opsPerSession})` : 'passed'}`
  );
  if (failure) console.log(failure);
  console.log(`written to ${values.out}`);
  return failure ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`soak failed to run: ${err.message}`);
    process.exit(1);
  }
);
