/**
 * The order in which vitest hands out test files to its workers: the longest first, so that
 * no long file starts near the end and runs on alone while the other workers sit idle.
 *
 * Vitest orders by the durations it cached from the last run, and without them (a fresh
 * clone, CI) by file size, largest first. Here the longest files are small ones that start
 * stores and servers as processes (region-scale took 58 s of a 300 s suite and came 66th of
 * 156 by size), so without a cache the order is: the files measured longest, then every file
 * that starts a server, then the rest, each by size.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, measured in whole runs (seconds on two cores, quiet machine). */
const LONGEST = [
  'sync-server/embedded-couch/region-scale.test.ts', // ~58
  'sync-server/gateway/access-matrix.test.ts', // ~50–83
  'src/lib/db/portal-rows.test.ts', // ~43 (fast-check on two storages); was handed out last by size
  'sync-server/ops/backup/backup-restore.test.ts', // ~40
  'src/lib/db/concurrent-edit.integration.test.ts',
  'sync-server/auth/first-admin.test.ts',
  'sync-server/events/resume.test.ts',
  'src/lib/db/multi-org-pull.integration.test.ts',
  'src/lib/db/multi-device.integration.test.ts'
];

/** Helpers that start a server, a store or a benchmark run: what makes a file long. */
const STARTS_SERVER = /\b(startTestServer|spawnProcess|demoDataDir|runBench)\b/;

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rel = (f: TestSpecification) => path.relative(root, f.moduleId).split(path.sep).join('/');
    const cached = files.every((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${rel(f)}`));
    if (cached) return sorted;
    const rank = (f: TestSpecification): number => {
      const known = LONGEST.indexOf(rel(f));
      if (known >= 0) return known;
      return STARTS_SERVER.test(readFileSync(f.moduleId, 'utf8')) ? LONGEST.length : LONGEST.length + 1;
    };
    const ranks = new Map(files.map((f) => [f, rank(f)]));
    // sorted is by size already (no cache); a stable sort by rank keeps that within a rank.
    return sorted.sort((a, b) => ranks.get(a)! - ranks.get(b)!);
  }
}
