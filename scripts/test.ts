/**
 * `npm test`: the unit and integration tests (vitest), then the browser tests (Playwright) on
 * the production build. The project allows it 10 minutes on two cores; two fresh clones took
 * 7 min 28 s and 8 min 9 s on 2026-12-02 (unit phase 257–267 s with the build beside it, browser
 * tests 2.9–3.5 min), where the same suite had taken 11 min 22 s on the machine of the earlier
 * runs (README, "Where `npm test`'s 13 minutes go" and after). On 2026-12-03 three fresh clones
 * took 10 min 19 s to 10 min 47 s (unit phase 283–300 s, browser tests 5.0–5.8 min) on a day
 * this machine ran every measure 10–20 % slower; the longest browser files are
 * `admin-people.spec.ts` (about 130 s) and `i18n-a11y.spec.ts` (about 100 s). Later that day a
 * fresh clone took 9 min 39 s (unit phase 320 s, browser tests 4.0 min). Running the tests of
 * `first-hour.spec.ts` and `i18n-a11y.spec.ts` in parallel changed nothing (267.7 against 267.3 s
 * for the browser suite, back to back): it is bound by the two cores, not by its order. With
 * `portal-rows.test.ts` (43 s) among the longest files in the sequencer, so a fresh clone no
 * longer runs it alone at the end, a fresh clone took 7 min 50 s (unit phase 237 s, browser
 * tests 3.7 min). Clones of later code took 8 min 21 s to 10 min 36 s (unit phase 336–343 s);
 * with the RxDB test files sharing their worker's process (vitest.config.ts) one took 8 min 23 s
 * (unit phase 260 s, browser tests 3.8 min).
 *
 * The build the browser tests need runs while vitest runs instead of after it: the unit suite
 * leaves part of the two cores idle (waits on servers, its last files), and the build mostly
 * fits in that. The messages are compiled once, before both; the build is told so
 * (ICT_MESSAGES_COMPILED) and does not compile them again (it spent ~15 s on it, and would
 * write into src/lib/paraglide under the running tests). The build's output is printed after
 * the unit tests, in full only if it failed. The first failing step decides the exit code,
 * and the browser tests run only when both the tests and the build passed.
 *
 * `npm run test:unit` and `npm run test:e2e` still run each suite alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { compileMessages } from '../messages.config.ts';
import { E2E_TEMPLATE_ENV, seedE2eTemplate } from '../e2e/support/global-setup.ts';

const bin = (name: string) => path.resolve('node_modules', '.bin', name);

interface Result {
  code: number;
  out: string;
  seconds: number;
}

function run(command: string, args: string[], opts: { env?: Record<string, string>; quiet?: boolean } = {}) {
  const started = Date.now();
  return new Promise<Result>((resolve) => {
    const child = spawn(bin(command), args, {
      env: { ...process.env, ...opts.env },
      stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit'
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => resolve({ code: 1, out: `${out}\n${err.message}`, seconds: 0 }));
    child.on('exit', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), out, seconds: (Date.now() - started) / 1000 })
    );
  });
}

async function main(): Promise<number> {
  await compileMessages();
  const sync = await run('svelte-kit', ['sync']);
  if (sync.code !== 0) return sync.code;

  const build = run('vite', ['build'], { env: { ICT_MESSAGES_COMPILED: '1' }, quiet: true });
  const template = seedE2eTemplate().then(
    (t) => t,
    (err: Error) => err
  );
  const unit = await run('vitest', ['run']);
  const built = await build;
  const seeded = await template;
  try {
    return await afterUnit(unit, built, seeded);
  } finally {
    if (!(seeded instanceof Error)) await seeded.remove();
  }
}

async function afterUnit(
  unit: Result,
  built: Result,
  seeded: Awaited<ReturnType<typeof seedE2eTemplate>> | Error
): Promise<number> {
  if (built.code !== 0) {
    process.stdout.write(built.out);
    console.error(`\nThe production build failed (exit ${built.code}); the browser tests need it.`);
  } else {
    console.log(
      `\nProduction build for the browser tests: done in ${built.seconds.toFixed(0)} s, beside the unit tests.`
    );
  }
  if (unit.code !== 0) return unit.code;
  if (built.code !== 0) return built.code;

  // Without a template (its seeding failed) Playwright's own global setup seeds one, and says why it cannot.
  if (seeded instanceof Error)
    console.warn(`Seeding the browser tests' demo region beside the unit tests failed: ${seeded.message}`);
  // One retry, as CI allows (playwright.config.ts): a test that passes on it is listed as flaky.
  const env = { E2E_RETRIES: '1', ...(seeded instanceof Error ? {} : { [E2E_TEMPLATE_ENV]: seeded.data }) };
  return (await run('playwright', ['test'], { env })).code;
}

process.exitCode = await main();
