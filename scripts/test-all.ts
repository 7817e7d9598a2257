/**
 * npm test, after `npm run build`: the unit and integration suite (vitest) and the browser suite
 * (Playwright) side by side instead of one after the other.
 *
 * Why: both suites mostly wait on servers, child processes and the browser; run in sequence on
 * a 2-core machine they kept the CPU about 57 % busy and took 11–12 min together. Side by side
 * the CPU is used while either waits. Each suite keeps its own servers and data directories, so
 * they do not share state. Every line is prefixed with its suite, and both run to the end so a
 * failure in one still shows the other's results; the exit code is non-zero if either failed.
 *
 * The build runs first, alone: it regenerates `.svelte-kit` and the compiled messages that the
 * unit suite imports, and must not rewrite them under a running test. `npm run test:unit` and
 * `npm run test:e2e` still run one suite alone.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

interface Outcome {
  name: string;
  code: number;
  seconds: number;
}

function run(name: string, command: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        process.stdout.write(`[${name}] ${line}\n`);
      });
    }
    child.on('close', (code, signal) => {
      resolve({ name, code: code ?? (signal ? 1 : 0), seconds: (Date.now() - started) / 1000 });
    });
  });
}

const outcomes = await Promise.all([run('unit', 'vitest run'), run('e2e', 'playwright test')]);
for (const o of outcomes) {
  console.log(`${o.name}: ${o.code === 0 ? 'passed' : `FAILED (exit ${o.code})`} in ${o.seconds.toFixed(0)} s`);
}
process.exit(outcomes.some((o) => o.code !== 0) ? 1 : 0);
