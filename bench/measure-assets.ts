/**
 * The two figures of the asset register, measured in the real app (built PWA, real server,
 * headless Chromium, the device's own IndexedDB):
 *   1. opening the register list with 20,000 assets on the device: from the click on the
 *      navigation row to the first rows and the count on screen (and a cold page load);
 *   2. importing a 5,000-row Czech Excel CSV (Windows-1250): reading and previewing the file,
 *      then writing it (assets and their history records), then the same file again.
 *
 *   npm run build && tsx bench/measure-assets.ts [assets] [rows]
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { assetDocId } from '../src/lib/domain/assets/ids';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from './lib/app';
import { bulkInsert, waitForDb } from './lib/couch';
import { freshProfile, loginProfile } from './lib/browser';
import { startStack } from './lib/stack';
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

async function main() {
  const assets = Number(process.argv[2] ?? 20_000);
  const rows = Number(process.argv[3] ?? 5_000);
  const stack = await startStack();
  const profile = await freshProfile({ width: 1280, height: 800 });
  try {
    const db = `org_${ORG}_assets`;
    await waitForDb(stack.couch, db);
    await bulkInsert(stack.couch, db, benchAssets(assets));
    const expected = await visibleDocCount(stack.couch, db);
    const page = profile.page;
    await loginProfile(profile, stack.url, USER);
    await page.goto(`${stack.url}/tickets`, { waitUntil: 'commit' });
    const synced = await waitForLocalDocs(page, 'assets', expected);
    await waitForSyncCalm(page);
    console.log(
      `on the device: ${expected} asset-module records (${assets} bench assets + demo), synced at ${Math.round(synced)} ms`
    );

    // 1. The list, opened from the navigation (warm app), five times.
    const open: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${stack.url}/tickets`);
      await waitForSyncCalm(page);
      await page.locator('nav a[href="/assets"]').first().waitFor();
      const t0 = Date.now();
      await page.locator('nav a[href="/assets"]').first().click();
      await page.getByTestId('asset-row').first().waitFor();
      await page.getByTestId('asset-count').filter({ hasText: /\d/ }).waitFor();
      open.push(Date.now() - t0);
    }
    const cold: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.goto(`${stack.url}/assets?district=KT&kind=laptop`);
      await page.getByTestId('asset-row').first().waitFor();
      cold.push(Date.now() - t0);
    }

    // 2. The import.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'assets-import-'));
    const file = path.join(dir, `registr-${rows}.csv`);
    await writeFile(file, importCsv(rows));
    const runImport = async () => {
      await page.goto(`${stack.url}/assets/import`);
      await page.getByTestId('import-file').waitFor();
      const t0 = Date.now();
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('import-summary').waitFor();
      const preview = Date.now() - t0;
      const summary = (await page.getByTestId('import-summary').textContent())?.trim();
      const run = page.getByTestId('import-run');
      let write = 0;
      if (await run.isEnabled()) {
        const t1 = Date.now();
        await run.click();
        await page.getByTestId('import-result').waitFor({ timeout: 600_000 });
        write = Date.now() - t1;
      }
      return { preview, write, summary };
    };
    const first = await runImport();
    const again = await runImport();

    const fmt = (xs: number[]) => {
      const s = summarize(xs);
      return `median ${Math.round(s.median)} ms (min ${Math.round(s.min)}, max ${Math.round(s.max)}, n=${xs.length})`;
    };
    console.log(`list from the navigation, ${assets} assets on the device: ${fmt(open)}`);
    console.log(`list by page load (district + kind filter): ${fmt(cold)}`);
    console.log(
      `import ${rows} rows, read + preview: ${first.preview} ms; write: ${first.write} ms (${first.summary})`
    );
    console.log(`same file again, read + preview: ${again.preview} ms (${again.summary})`);
  } finally {
    await profile.close();
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
