/**
 * What the winter screens read from a season-long deník, for the note rather than the table:
 * `entries` deník entries of the road maintenance organization spread over the last 100 days
 * (a report, an assignment and a treatment for sections of every district, and a calamity
 * declared and ended twice per district), synced to the dispatcher's device; then, in the
 * page, on the app's own database, interleaved run by run: the read the desk made before
 * (every entry), the desk's read now (the last `RECENT_DAYS` days and the older calamity
 * declarations, through the `decidedAt` indexes) and a day of the deník page; and the time from
 * a click on the desk's tab until its section board shows.
 *
 *   tsx bench/diagnose-winter-read.ts [entries] [runs]
 */
import { orgDb } from '../src/lib/domain/databases';
import { DISTRICTS } from '../src/lib/domain/schemas/region';
import { DEMO_WINTER_SECTIONS } from '../sync-server/demo/sections';
import { RECENT_DAYS, dayQuery, recentFrom, recentQueries } from '../src/lib/db/dispatch-time';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from './lib/app';
import { freshProfile, loginProfile } from './lib/browser';
import { bulkInsert, waitForDb } from './lib/couch';
import { summarize } from './lib/stats';
import { startStack } from './lib/stack';

const DAY_MS = 24 * 3_600_000;

function deník(count: number, now: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const kinds = ['report', 'assignment', 'treatment'] as const;
  for (let i = 0; out.length < count; i++) {
    // Spread evenly over 100 days, newest last.
    const t = now - 100 * DAY_MS + Math.floor(((i + 1) * 100 * DAY_MS) / count);
    const section = DEMO_WINTER_SECTIONS[i % DEMO_WINTER_SECTIONS.length];
    const entry = kinds[i % kinds.length];
    const at = new Date(t).toISOString();
    const by = entry === 'assignment' ? 'dispecer' : 'silnicar.kt';
    out.push({
      _id: `bench-disp-${String(i).padStart(7, '0')}`,
      orgId: 'sus',
      entry,
      district: section.district,
      sectionId: section.id,
      ...(entry === 'report' ? { reportType: 'snow', severity: 2, text: 'Sněží, na vozovce 3 cm.' } : {}),
      ...(entry === 'assignment' ? { crew: 'silnicar.kt', vehicle: 'sypač' } : {}),
      ...(entry === 'treatment' ? { startedAt: at, endedAt: at, method: 'both', material: 'salt', amountT: 2 } : {}),
      createdBy: by,
      createdAt: at,
      updatedBy: by,
      updatedAt: at,
      receivedAt: at
    });
  }
  // A calamity declared and ended twice per district, 80 and 40 days ago.
  for (const d of DISTRICTS)
    for (const [days, on] of [
      [80, true],
      [79, false],
      [40, true],
      [38, false]
    ] as const) {
      const at = new Date(now - days * DAY_MS).toISOString();
      out.push({
        _id: `bench-cal-${d}-${days}`,
        orgId: 'sus',
        entry: 'calamity',
        district: d,
        calamity: on,
        createdBy: 'dispecer',
        createdAt: at,
        updatedBy: 'dispecer',
        updatedAt: at,
        receivedAt: at
      });
    }
  return out;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 50_000);
  const runs = Number(process.argv[3] ?? 5);
  const stack = await startStack();
  try {
    const db = orgDb('sus', 'dispatch');
    await waitForDb(stack.couch, db);
    const now = Date.now();
    await bulkInsert(stack.couch, db, deník(count, now));
    const expected = await visibleDocCount(stack.couch, db);
    const profile = await freshProfile();
    try {
      const page = profile.page;
      await loginProfile(profile, stack.url, 'dispecer');
      const syncStart = Date.now();
      await page.goto(`${stack.url}/dispatch/plan`, { waitUntil: 'commit' });
      await waitForLocalDocs(page, 'dispatch', expected);
      const syncMs = Date.now() - syncStart;
      await waitForSyncCalm(page);
      const q = recentQueries(recentFrom(now));
      const day = new Date(now - 30 * DAY_MS).toISOString().slice(0, 10);
      const dayQ = dayQuery(day);
      const samples = { all: [] as number[], recent: [] as number[], day: [] as number[], desk: [] as number[] };
      const counts = { all: 0, recent: 0, day: 0 };
      for (let r = 0; r < runs; r++) {
        const t = await page.evaluate(
          async ({ q, dayQ, r }) => {
            type Find = (q?: unknown) => { exec(): Promise<unknown[]> };
            const c = (globalThis as unknown as { __ictDb: { collections: { dispatch: { find: Find } } } }).__ictDb
              .collections.dispatch;
            const time = async (f: () => Promise<number>) => {
              const t0 = performance.now();
              const n = await f();
              return [performance.now() - t0, n] as const;
            };
            // A limit of its own per run: RxDB answers a query it already holds from its cache, and
            // the screens' live queries are held; this reads the storage every time.
            const fresh = (query: object) => ({ ...query, limit: 1_000_000_000 + r });
            const recent = await time(async () => {
              const both = await Promise.all([c.find(fresh(q.olderCalamities)).exec(), c.find(fresh(q.recent)).exec()]);
              return both.flat().length;
            });
            const all = await time(async () => (await c.find(fresh({ selector: {} })).exec()).length);
            const day = await time(async () => (await c.find(fresh(dayQ)).exec()).length);
            return { all, recent, day };
          },
          { q, dayQ, r }
        );
        samples.all.push(t.all[0]);
        samples.recent.push(t.recent[0]);
        samples.day.push(t.day[0]);
        counts.all = t.all[1];
        counts.recent = t.recent[1];
        counts.day = t.day[1];
        // The desk itself: from the click on its tab until the section board shows.
        await page.goto(`${stack.url}/dispatch/plan`);
        await page.locator('a[href="/dispatch"]').first().waitFor();
        const t0 = Date.now();
        await page.locator('a[href="/dispatch"]').first().click();
        await page.getByTestId('section-row').first().waitFor();
        samples.desk.push(Date.now() - t0);
      }
      const show = (k: keyof typeof samples) => {
        const s = summarize(samples[k]);
        return `median ${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)}, n=${s.runs})`;
      };
      console.log(`deník of ${expected} entries over 100 days; first sync of the dispatcher ${syncMs} ms`);
      console.log(`  the read before, every entry (${counts.all}): ${show('all')}`);
      console.log(
        `  the desk's read now, ${RECENT_DAYS} days and older calamities (${counts.recent}): ${show('recent')}`
      );
      console.log(`  a day of the deník page, ${day} ± a day (${counts.day}): ${show('day')}`);
      console.log(`  click on the desk's tab until its sections show: ${show('desk')}`);
      console.log(
        `  desk's read ÷ read before: ${(summarize(samples.recent).median / summarize(samples.all).median).toFixed(3)}`
      );
    } finally {
      await profile.close();
    }
  } finally {
    await stack.close();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
