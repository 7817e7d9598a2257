/** Prints the Markdown table of `bench/results/latest.json`, for the README's performance section. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownTable } from './lib/report';
import type { BenchOutput } from './run';

const file = process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const out = JSON.parse(await readFile(file, 'utf8')) as BenchOutput;
const m = out.machine;
console.log(markdownTable(out.figures));
console.log(
  `\nMeasured ${out.startedAt.slice(0, 10)} on ${m.cpu} (${m.cores} cores, ${m.memoryGb} GB), ${m.os}, Node ${m.node}, Chromium ${m.chromium ?? '–'}, commit ${m.commit ?? '–'}.`
);
const runs = Object.entries(out.scenarioRuns ?? {});
if (new Set(runs.map(([, r]) => `${r.startedAt}${r.commit ?? ''}`)).size > 1) {
  const parts = runs.map(
    ([id, r]) => `${id}: ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC, commit ${r.commit ?? '–'}`
  );
  console.log(`Scenarios come from separate runs (${parts.join('; ')}).`);
}
/** `id: start→end` for each scenario, or null when the run has none (a file from before). */
const startEnd = (rec: Record<string, { start: number; end: number } | undefined> | undefined) =>
  rec && Object.keys(rec).length > 0
    ? Object.entries(rec)
        .map(([id, l]) => `${id}: ${l!.start.toFixed(1)}→${l!.end.toFixed(1)}`)
        .join(', ')
    : null;
const load = startEnd(out.load);
if (load) console.log(`Load average (1 min) at start→end of each scenario: ${load}.`);
const speed = startEnd(out.speed);
if (speed)
  console.log(
    `Speed probe (ms for one fixed piece of work in the bench's process, lower is faster) at start→end of each scenario: ${speed}.`
  );
