/**
 * Where opening the approvals and tasks lists (scenario 10) spends its time, for explaining
 * the miss: the director synced with 10,000 approval documents and 10,000 tasks, then each
 * list's navigation link clicked under a V8 CPU profile (CDP), reported as self and inclusive
 * time per function; the profile files are kept for Chrome DevTools.
 *
 *   tsx bench/diagnose-portal-lists.ts [documents of each, default 10000]
 */
import os from 'node:os';
import { FULL } from './config';
import { waitForLocalDocs, waitForSyncCalm } from './lib/app';
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
      await page.goto(`${stack.url}/account`, { waitUntil: 'commit' });
      await waitForLocalDocs(page, 'approvals', seeded.approvalDocs);
      await waitForLocalDocs(page, 'tasks', seeded.taskDocs);
      await waitForSyncCalm(page);
      for (const [href, row] of [
        ['/approvals', '[data-testid="approval-row"]'],
        ['/tasks', '[data-testid="task-row"]']
      ]) {
        await page.goto(`${stack.url}/account`);
        await waitForSyncCalm(page);
        const cdp = await profile.context.newCDPSession(page);
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
        const ms = await openFromNav(page, href, row);
        const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
        const t = timesByFunction(cpu);
        console.log(
          JSON.stringify(
            {
              list: href,
              ...seeded,
              loadAverage: os.loadavg()[0],
              openMs: Math.round(ms),
              self: t.self.slice(0, 25),
              inclusive: t.inclusive.slice(0, 50)
            },
            null,
            1
          )
        );
        await saveCpuProfile(`portal-list${href.replace('/', '-')}`, cpu);
      }
    } finally {
      await profile.close();
    }
  } finally {
    await stack.close();
  }
}

await main();
