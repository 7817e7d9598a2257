/**
 * The two figures of the asset register, measured in the real app (built PWA, real server,
 * headless Chromium, the device's own IndexedDB):
 *   1. opening the register list with 20,000 assets on the device: from the click on the
 *      navigation row to the first rows and the count on screen (and a cold page load);
 *   2. importing a 5,000-row Czech Excel CSV (Windows-1250): reading and previewing the file,
 *      then writing it (assets and their history records), then the same file again.
 *
 *   npm run build && tsx bench/measure-assets.ts [assets] [rows]
 *
 * On a busy machine the whole run can take long: every step prints its progress with the time
 * since start, the device's sync is followed in steps of 2,000 documents, and the run stops after
 * MEASURE_TIMEOUT_MS (default 30 min), printing what it measured so far, instead of hanging.
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assetDocId } from '../src/lib/domain/assets/ids';
import { visibleDocCountAll, waitForLocalDocs, waitForSyncCalm } from './lib/app';
import { bulkInsert, json, waitForDb } from './lib/couch';
import { freshProfile, loginProfile } from './lib/browser';
import { startStack, type Stack } from './lib/stack';
import type { Page } from 'playwright-core';
import { summarize } from './lib/stats';

const ORG = 'gym-kt';
const USER = 'reditel.gymkt';
const KINDS = ['workstation', 'laptop', 'printer', 'network', 'projector', 'phone', 'tablet'] as const;
const STATES = ['in_use', 'in_use', 'in_use', 'in_stock', 'in_repair'] as const;

function benchAssets(count: number) {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const inventoryNo = `BENCH-${String(i + 1).padStart(6, '0')}`;
    const warrantyEnd = `202${6 + (i % 4)}-${String((i % 12) + 1).padStart(2, '0')}-15`;
    return {
      _id: assetDocId(ORG, inventoryNo),
      type: 'asset',
      orgId: ORG,
      inventoryNo,
      key: inventoryNo,
      refId: '',
      day: warrantyEnd,
      warrantyEnd,
      kind: KINDS[i % KINDS.length],
      state: STATES[i % STATES.length],
      name: `Zařízení ${i + 1}`,
      site: i % 3 ? 'Hlavní budova' : 'Pavilon B',
      room: `učebna ${(i % 40) + 1}`,
      price: 10_000 + (i % 50) * 100,
      purchaseDate: '2024-09-01',
      createdBy: 'helpdesk',
      createdAt: at,
      updatedBy: 'helpdesk',
      updatedAt: at
    };
  });
}

/** Text as Windows-1250 bytes (what Excel in a Czech Windows saves), from the decoder's own table. */
function win1250(text: string): Uint8Array {
  const decoder = new TextDecoder('windows-1250');
  const byteOf = new Map<string, number>();
  for (let b = 0; b < 256; b++) byteOf.set(decoder.decode(new Uint8Array([b])), b);
  return Uint8Array.from(Array.from(text, (ch) => byteOf.get(ch) ?? 0x3f));
}

function importCsv(rows: number): Uint8Array {
  const header = 'Inventární číslo;Název;Druh;Výrobce;Model;Umístění;Místnost;Datum pořízení;Cena s DPH;Záruka do;Stav';
  const lines = [header];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `IMP-${String(i).padStart(5, '0')};Počítač Dell OptiPlex 7010;PC;Dell;OptiPlex 7010;Hlavní budova;učebna ${i % 30};1.9.2023;18 490,00;1.9.2026;v používání`
    );
  }
  return win1250(lines.join('\r\n') + '\r\n');
}

const t0 = Date.now();
const results: string[] = [];
/** Progress on stderr, with the seconds since the start: a slow step is visibly slow, not silent. */
const step = (msg: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${msg}`);
const result = (line: string) => {
  results.push(line);
  console.log(line);
};

/** Waits for the device's asset collection in steps, printing each step; rejects after `timeoutMs`. */
async function followSync(page: Page, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let at = 0;
  for (let target = Math.min(2_000, expected); ; target = Math.min(target + 2_000, expected)) {
    at = await waitForLocalDocs(page, 'assets', target, Math.max(1, deadline - Date.now()), 200, 120_000);
    step(`device holds ${target} of ${expected} asset-module records (page time ${Math.round(at)} ms)`);
    if (target >= expected) return at;
  }
}

/** Documents under an id prefix on the server. */
async function serverCount(stack: Stack, db: string, prefix: string): Promise<number> {
  const q = `startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`;
  const res = await json<{ rows: unknown[] }>(stack.couch, `${encodeURIComponent(db)}/_all_docs?${q}`);
  return res.rows.length;
}

async function main() {
  const assets = Number(process.argv[2] ?? 20_000);
  const rows = Number(process.argv[3] ?? 5_000);
  step('starting the server (built PWA) and a browser');
  const stack = await startStack();
  const profile = await freshProfile({ width: 1280, height: 800 });
  try {
    const db = `org_${ORG}_assets`;
    await waitForDb(stack.couch, db);
    const all = benchAssets(assets);
    for (let i = 0; i < all.length; i += 2_000) {
      await bulkInsert(stack.couch, db, all.slice(i, i + 2_000));
      step(`server: ${Math.min(i + 2_000, all.length)} of ${all.length} bench assets stored`);
    }
    // The manager's device reads the register and the contract archive, both into one collection.
    const expected = await visibleDocCountAll(stack.couch, [db, `org_${ORG}_contracts`]);
    const page = profile.page;
    await loginProfile(profile, stack.url, USER);
    await page.goto(`${stack.url}/tickets`, { waitUntil: 'commit' });
    step(`signed in as ${USER}; first sync of ${expected} records`);
    const synced = await followSync(page, expected, 20 * 60_000);
    await waitForSyncCalm(page, 300_000);
    result(
      `on the device: ${expected} asset-module records (${assets} bench assets + demo), synced at ${Math.round(synced)} ms`
    );

    // 1. The list, opened from the navigation (warm app): first rows painted, and the count.
    const open: number[] = [];
    const count: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${stack.url}/tickets`);
      await waitForSyncCalm(page, 300_000);
      await page.locator('nav a[href="/assets"]').first().waitFor();
      const start = Date.now();
      await page.locator('nav a[href="/assets"]').first().click();
      await page.getByTestId('asset-row').first().waitFor({ timeout: 120_000 });
      open.push(Date.now() - start);
      await page.getByTestId('asset-count').filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
      count.push(Date.now() - start);
      step(`list opened (${i + 1}/3): first rows ${open[i]} ms, count ${count[i]} ms`);
    }
    result(`list from the navigation, ${assets} assets on the device, first rows painted: ${fmt(open)}`);
    result(`  … with the count of matching assets: ${fmt(count)}`);
    const cold: number[] = [];
    for (let i = 0; i < 2; i++) {
      const start = Date.now();
      await page.goto(`${stack.url}/assets?district=KT&kind=laptop`);
      await page.getByTestId('asset-row').first().waitFor({ timeout: 120_000 });
      cold.push(Date.now() - start);
      step(`list by page load (${i + 1}/2): ${cold[i]} ms`);
    }
    result(`list by page load (district + kind filter), first rows painted: ${fmt(cold)}`);

    // 2. The import: read + preview, write to the device store, and pushed to the server.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'assets-import-'));
    const file = path.join(dir, `registr-${rows}.csv`);
    await writeFile(file, importCsv(rows));
    const prefix = `asset:${ORG}:IMP-`;
    const runImport = async (label: string) => {
      await page.goto(`${stack.url}/assets/import`);
      await page.getByTestId('import-file').waitFor();
      const start = Date.now();
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('import-summary').waitFor({ timeout: 300_000 });
      const preview = Date.now() - start;
      const summary = (await page.getByTestId('import-summary').textContent())?.trim();
      step(`${label}: read + preview ${preview} ms (${summary})`);
      const run = page.getByTestId('import-run');
      let write = 0;
      let pushed = 0;
      if (await run.isEnabled()) {
        const t1 = Date.now();
        await run.click();
        await page.getByTestId('import-result').waitFor({ timeout: 900_000 });
        write = Date.now() - t1;
        step(`${label}: written to the device store in ${write} ms; waiting for the server`);
        for (;;) {
          const n = await serverCount(stack, db, prefix);
          if (n >= rows) break;
          if (Date.now() - t1 > 1_200_000)
            throw new Error(`the server holds ${n} of ${rows} imported assets after 20 min`);
          await new Promise((r) => setTimeout(r, 250));
        }
        pushed = Date.now() - t1;
        step(`${label}: all ${rows} on the server ${pushed} ms after the click`);
      }
      return { preview, write, pushed, total: preview + pushed, summary };
    };
    const first = await runImport('first import');
    result(
      `import ${rows} rows (Windows-1250 CSV): read + preview ${first.preview} ms; written to the device ${first.write} ms; on the server ${first.pushed} ms after the click; whole import ${first.total} ms (${first.summary})`
    );
    const again = await runImport('same file again');
    result(`same file again, read + preview: ${again.preview} ms (${again.summary})`);
  } finally {
    await profile.close();
    await stack.close();
  }
}

const fmt = (xs: number[]) => {
  const s = summarize(xs);
  return `median ${Math.round(s.median)} ms (min ${Math.round(s.min)}, max ${Math.round(s.max)}, n=${xs.length})`;
};

const limit = Number(process.env.MEASURE_TIMEOUT_MS ?? 30 * 60_000);
const guard = setTimeout(() => {
  step(`stopped after ${limit / 60_000} min (MEASURE_TIMEOUT_MS); measured so far:`);
  for (const line of results) console.log(line);
  process.exit(2);
}, limit);
guard.unref();

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  }
);
