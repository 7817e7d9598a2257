/**
 * Where the first render of the ticket list (scenario 6) spends its time, for explaining a
 * miss: the app synced with the whole organization, then the click on the list link under a
 * V8 CPU profile (CDP), reported as self and inclusive time per function; the profile file is
 * kept for Chrome DevTools.
 *
 *   tsx bench/diagnose-ticket-list.ts [tickets]
 */
import os from 'node:os';
import { FULL } from './config';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from './lib/app';
import { freshProfile, loginProfile } from './lib/browser';
import { fillTickets } from './lib/seed';
import { startStack } from './lib/stack';
import { saveCpuProfile, timesByFunction, type CpuProfile } from './lib/cpu-profile';

async function main() {
  const tickets = Number(process.argv[2] ?? FULL.tickets);
  const stack = await startStack();
  try {
    await fillTickets(stack.couch, FULL.org, tickets, FULL.requester);
    const expected = await visibleDocCount(stack.couch, `org_${FULL.org}_tickets`);
    const profile = await freshProfile();
    try {
      const page = profile.page;
      await loginProfile(profile, stack.url, FULL.requester);
      await page.goto(`${stack.url}/tickets/new`, { waitUntil: 'commit' });
      await waitForLocalDocs(page, 'tickets', expected);
      await waitForSyncCalm(page);
      await page.goto(`${stack.url}/tickets/new`);
      await waitForSyncCalm(page);
      await page.locator('nav a[href="/tickets"]').first().waitFor();
      const cdp = await profile.context.newCDPSession(page);
      await cdp.send('Network.enable');
      const fetched: { url: string; at: number; ms?: number }[] = [];
      const byId = new Map<string, { url: string; at: number; ms?: number }>();
      cdp.on('Network.requestWillBeSent', (e) => {
        const r = { url: new URL(e.request.url).pathname, at: e.timestamp };
        byId.set(e.requestId, r);
        fetched.push(r);
      });
      cdp.on('Network.loadingFinished', (e) => {
        const r = byId.get(e.requestId);
        if (r) r.ms = Math.round((e.timestamp - r.at) * 1000);
      });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      // Which IndexedDB stores the click reads, and how many cursor steps each takes.
      await page.evaluate(() => {
        const w = window as unknown as { benchCursorSteps: Record<string, number> };
        w.benchCursorSteps = {};
        const orig = IDBCursor.prototype.continue;
        IDBCursor.prototype.continue = function (this: IDBCursor, key?: IDBValidKey) {
          const store = this.source instanceof IDBIndex ? this.source.objectStore : this.source;
          const k = `${store.transaction.db.name.replace(/^rxdb-dexie-[^-]+-[^-]+-[^-]+--\d+--/, '')} ${this.source.name}`;
          w.benchCursorSteps[k] = (w.benchCursorSteps[k] ?? 0) + 1;
          return orig.call(this, key);
        };
      });
      const ms = await page.evaluate(async () => {
        const link = document.querySelector<HTMLAnchorElement>('nav a[href="/tickets"]')!;
        const rendered = () =>
          document.querySelector('a.ticket') !== null &&
          document.querySelector('[data-testid="ticket-count"]') !== null;
        const start = performance.now();
        const done = new Promise<number>((resolve) => {
          const observer = new MutationObserver(() => {
            if (!rendered()) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now()));
          });
          observer.observe(document.body, { subtree: true, childList: true });
        });
        link.click();
        return (await done) - start;
      });
      const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      await new Promise((r) => setTimeout(r, 1_000));
      const cursorSteps = await page.evaluate(
        () => (window as unknown as { benchCursorSteps: Record<string, number> }).benchCursorSteps
      );
      const t = timesByFunction(cpu);
      console.log(
        JSON.stringify(
          {
            tickets: expected,
            loadAverage: os.loadavg()[0],
            renderMs: Math.round(ms),
            cursorStepsWithin1sOfClick: cursorSteps,
            requestsDuringClick: fetched.map((r) => `${r.url} ${r.ms ?? '?'} ms`),
            self: t.self.slice(0, 25),
            inclusive: t.inclusive.slice(0, 60)
          },
          null,
          1
        )
      );
      await saveCpuProfile('ticket-list', cpu);
    } finally {
      await profile.close();
    }
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
