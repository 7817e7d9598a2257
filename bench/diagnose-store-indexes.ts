/**
 * What each index of the tickets store costs a first sync, for deciding which index a list can
 * do without rather than for the table: the app's own stored tickets (read from a device after
 * its first sync of the bench organization) written again, as the app writes them (pages of
 * 1,000, one `bulkAdd` each), into stores of several shapes, one fresh browser profile each, the
 * shapes interleaved round by round: the primary key only, RxDB's `[_meta.lwt+id]`, the app's
 * store, the app's store with RxDB's single `_meta.lwt`, with that and `[_deleted+id]` (a store
 * created before `lean-store.ts`), and the app's store without each list index in turn. Prints
 * each shape's median time and CPU (this process's tree: Chromium, and the server and store idle
 * meanwhile) and each list index's share. On 2 December (5 rounds) the seven list indexes were
 * 1.6 s of the app's store's 2.8 s, and the store without any one of them took 0.43-0.67 s less;
 * a second day's shapes (4 rounds) grew by about 200-300 ms per index kept (primary key only
 * 1,222 ms, one list index 1,531, RxDB's two `_meta.lwt` indexes 1,527, those and three list
 * indexes 2,267, and seven 3,030), so the leave-one-out shares are mostly this machine's noise.
 *
 *   tsx bench/diagnose-store-indexes.ts [rounds]
 */
import { FULL } from './config';
import { dexieBundle } from './browser/bundles';
import { visibleDocCount } from './lib/app';
import { appTicketStore } from './lib/app-store';
import { freshProfile } from './lib/browser';
import { summarize } from './lib/stats';
import { appInitialSync } from './scenarios/initial-sync';
import { sampleTree } from './load/process-stats';
import { fillTickets } from './lib/seed';
import { startStack, type Stack } from './lib/stack';

const PAGE = 1000;

/** The documents of the app's tickets store after a first sync, as stored. */
async function appRecords(stack: Stack, expected: number): Promise<unknown[]> {
  let records: unknown[] = [];
  await appInitialSync(stack, {
    user: FULL.requester,
    expected,
    onSynced: async (page) => {
      records = await page.evaluate(async () => {
        const name = (await indexedDB.databases()).find((d) => d.name?.endsWith('--tickets'))!.name!;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open(name);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        try {
          return await new Promise<unknown[]>((resolve, reject) => {
            const req = db.transaction('docs').objectStore('docs').getAll();
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
        } finally {
          db.close();
        }
      });
    }
  });
  return records;
}

/** Writes `records` into a new store declared `spec`; wall ms and CPU s of the write. */
async function writeInto(stack: Stack, spec: string, records: unknown[]): Promise<{ ms: number; cpuS: number }> {
  const profile = await freshProfile();
  try {
    await profile.page.goto(stack.couch.base);
    await profile.page.addScriptTag({ content: await dexieBundle() });
    await profile.page.evaluate((docs) => {
      (globalThis as unknown as { records: unknown[] }).records = docs;
    }, records);
    const before = sampleTree(process.pid).cpuS;
    const ms = await profile.page.evaluate(
      async ({ spec, page }) => {
        type Table = { bulkAdd(rows: unknown[]): Promise<unknown> };
        type DexieDb = {
          version(n: number): { stores(s: Record<string, string>): void };
          open(): Promise<unknown>;
          transaction(mode: string, table: Table, scope: () => Promise<unknown>): Promise<unknown>;
          table(n: string): Table;
        };
        const Dexie = (globalThis as unknown as { Dexie: new (name: string) => DexieDb }).Dexie;
        const docs = (globalThis as unknown as { records: unknown[] }).records;
        const db = new Dexie('store-indexes');
        db.version(1).stores({ docs: spec });
        await db.open();
        const table = db.table('docs');
        const start = performance.now();
        for (let i = 0; i < docs.length; i += page)
          await db.transaction('rw', table, () => table.bulkAdd(docs.slice(i, i + page)));
        return performance.now() - start;
      },
      { spec, page: PAGE }
    );
    return { ms, cpuS: sampleTree(process.pid).cpuS - before };
  } finally {
    await profile.close();
  }
}

const median = (xs: number[]) => summarize(xs).median;

async function main() {
  const rounds = Number(process.argv[2] ?? 5);
  const stack = await startStack();
  try {
    await fillTickets(stack.couch, FULL.org, FULL.tickets, FULL.requester);
    const expected = await visibleDocCount(stack.couch, `org_${FULL.org}_tickets`);
    const records = await appRecords(stack, expected);
    const app = appTicketStore().schema.split(', ');
    const [primary] = app;
    const lists = app.filter((i) => i.startsWith('[_deleted+'));
    const shapes: [string, string[]][] = [
      ['primary key only', [primary]],
      [`RxDB's [_meta.lwt+${primary}]`, app.filter((i) => !lists.includes(i))],
      ["the app's store", app],
      ['the same with _meta.lwt', [...app, '_meta.lwt']],
      [
        `the same with [_deleted+${primary}] and _meta.lwt (created before)`,
        [...app, `[_deleted+${primary}]`, '_meta.lwt']
      ],
      ...lists.map((l) => [`without ${l}`, app.filter((i) => i !== l)] as [string, string[]])
    ];
    const results = new Map<string, { ms: number[]; cpuS: number[] }>(shapes.map(([n]) => [n, { ms: [], cpuS: [] }]));
    for (let round = 0; round < rounds; round++) {
      // The order rotates so that drift of the machine hits every shape alike.
      const order = shapes.map((_, i) => shapes[(i + round) % shapes.length]);
      for (const [name, spec] of order) {
        const r = await writeInto(stack, spec.join(', '), records);
        results.get(name)!.ms.push(r.ms);
        results.get(name)!.cpuS.push(r.cpuS);
      }
      console.log(`round ${round + 1} of ${rounds} done`);
    }
    console.log(`${records.length} tickets, pages of ${PAGE}, ${rounds} rounds; median wall ms, CPU s:`);
    for (const [name] of shapes) {
      const r = results.get(name)!;
      console.log(
        `  ${name.padEnd(62)} ${median(r.ms).toFixed(0).padStart(6)} ${median(r.cpuS).toFixed(2).padStart(6)}`
      );
    }
    const whole = median(results.get("the app's store")!.ms);
    console.log("each list index's share (the app's store less the store without it):");
    for (const l of lists)
      console.log(`  ${l.padEnd(62)} ${(whole - median(results.get(`without ${l}`)!.ms)).toFixed(0).padStart(6)} ms`);
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
