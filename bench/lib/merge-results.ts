/**
 * `--only` reruns some scenarios; the results file must still hold the others. Each scenario's
 * figures keep the run they came from (`scenarioRuns`: when, which commit, which Chromium),
 * because a table that mixes runs has to say so: ratios are only compared inside one scenario,
 * whose figures always come from one run.
 */
import type { BenchOutput } from '../run';

export interface ScenarioRun {
  startedAt: string;
  commit?: string;
  chromium?: string;
}

/** The scenario a figure belongs to: its id's leading number ("1a/1b" → "1", "8" → "8"). */
export const scenarioOf = (figureId: string): string => /^\d+/.exec(figureId)?.[0] ?? figureId;

function runsOf(out: BenchOutput): Record<string, ScenarioRun> {
  const runs: Record<string, ScenarioRun> = { ...(out.scenarioRuns ?? {}) };
  const own: ScenarioRun = {
    startedAt: out.startedAt,
    ...(out.machine.commit ? { commit: out.machine.commit } : {}),
    ...(out.machine.chromium ? { chromium: out.machine.chromium } : {})
  };
  const ids = new Set([
    ...out.figures.map((f) => scenarioOf(f.id)),
    ...Object.keys(out.details),
    ...Object.keys(out.errors)
  ]);
  for (const id of ids) runs[id] ??= own;
  return runs;
}

/**
 * `current` with every scenario it did not run taken from `previous`. The scenarios it ran
 * replace theirs entirely (figures, details, errors, load, speed), even when they failed this time.
 */
export function mergeResults(previous: BenchOutput | null, current: BenchOutput, ran: readonly string[]): BenchOutput {
  const currentRuns = runsOf(current);
  for (const id of ran)
    currentRuns[id] = {
      startedAt: current.startedAt,
      commit: current.machine.commit,
      chromium: current.machine.chromium
    };
  if (!previous) return { ...current, scenarioRuns: currentRuns };
  const keep = (id: string) => !ran.includes(id);
  const pick = <V>(rec: Partial<Record<string, V>> | undefined): Record<string, V> =>
    Object.fromEntries(Object.entries(rec ?? {}).filter(([id]) => keep(id))) as Record<string, V>;
  const previousRuns = pick(runsOf(previous));
  return {
    ...current,
    figures: [...previous.figures.filter((f) => keep(scenarioOf(f.id))), ...current.figures].sort(
      (a, b) => Number(scenarioOf(a.id)) - Number(scenarioOf(b.id))
    ),
    details: { ...pick(previous.details), ...current.details },
    errors: { ...pick(previous.errors), ...current.errors },
    load: { ...pick(previous.load), ...current.load },
    speed: { ...pick(previous.speed), ...current.speed },
    scenarioRuns: { ...previousRuns, ...currentRuns }
  };
}
