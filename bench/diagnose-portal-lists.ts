/**
 * Where the approvals and tasks lists (scenario 10) spend their time: the director's first
 * sync of 10,000 approval documents and 10,000 tasks and the projection of the lists' rows
 * (`portal-rows.ts`) under one V8 CPU profile (CDP), then each list's navigation link clicked
 * under another; reported as self and inclusive time per function, the profile files kept
 * for Chrome DevTools.
 *
 *   tsx bench/diagnose-portal-lists.ts [documents of each, default 10000]
 */
import os from 'node:os';
import type { CDPSession } from 'playwright-core';
import { FULL } from './config';
import { waitForInboxLoaded, waitForLocalDocs, waitForSyncCalm } from './lib/app';
import { freshProfile, loginProfile } from './lib/browser';
import { saveCpuProfile, timesByFunction, type CpuProfile } from './lib/cpu-profile';
import { startStack } from './lib/stack';
import { openFromNav, seedPortalDocs } from './scenarios/portal-lists';

async function main() {
  const n = Number(process.argv[2] ?? FULL.portalDocs);
  const stack = await startStack();
  try {
    const seeded = await seedPortalDocs(stack, FULL.org, { approvals: n, tasks: n });
    const profile = await freshProfile();
    try {
      const page = profile.page;
      await loginProfile(profile, stack.url, FULL.portalUser);
      const report = async (name: string, cdp: CDPSession, extra: Record<string, unknown>) => {
        const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
        const t = timesByFunction(cpu);
        const top = {
          loadAverage: os.loadavg()[0],
          ...extra,
          self: t.self.slice(0, 25),
          inclusive: t.inclusive.slice(0, 50)
        };
        console.log(JSON.stringify({ name, ...seeded, ...top }, null, 1));
        await saveCpuProfile(name, cpu);
      };
      const profiled = async (interval: number) => {
        const cdp = await profile.context.newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval });
        await cdp.send('Profiler.start');
        return cdp;
      };
      await page.goto(`${stack.url}/account`, { waitUntil: 'commit' });
      const syncing = await profiled(2000);
      const started = Date.now();
      const stored = Math.max(
        await waitForLocalDocs(page, 'approvals', seeded.approvalDocs),
        await waitForLocalDocs(page, 'tasks', seeded.taskDocs)
      );
      const projected = await waitForLocalDocs(page, 'portalrows', seeded.approvals + seeded.tasks);
      await report('portal-first-sync', syncing, {
        syncAndProjectionMs: Date.now() - started,
        projectedAfterStoredMs: Math.round(projected - stored)
      });
      await waitForSyncCalm(page);
      for (const [href, row] of [
        ['/approvals', '[data-testid="approval-row"]'],
        ['/tasks', '[data-testid="task-row"]']
      ]) {
        // As the scenario clicks: from a page whose start-up reads are done.
        await page.goto(`${stack.url}/account`);
        await waitForSyncCalm(page);
        await waitForInboxLoaded(page);
        const cdp = await profiled(500);
        const ms = await openFromNav(page, href, row);
        await report(`portal-list${href.replace('/', '-')}`, cdp, { list: href, openMs: Math.round(ms) });
      }
    } finally {
      await profile.close();
    }
  } finally {
    await stack.close();
  }
}

await main();
