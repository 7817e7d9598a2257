/**
 * 3. Incremental sync: a ticket changed on another device (a second session of the same
 * user, writing through the gateway as the app does) until the change is on screen here.
 * This device shows the ticket list sorted by last change, so the edited ticket comes to the
 * top; "visible" is the first animation frame after its new title is in the DOM. Both clocks
 * are the same machine's wall clock.
 */
import { percentile } from '../lib/stats';
import { freshProfile, loginProfile } from '../lib/browser';
import { visibleDocCount, waitForLocalDocs, waitForSyncCalm } from '../lib/app';
import { json } from '../lib/couch';
import type { Stack } from '../lib/stack';

export interface IncrementalResult {
  samples: number[];
  p50: number;
  p95: number;
}

interface Ticket {
  _id: string;
  _rev: string;
  title: string;
  status: string;
  updatedAt: string;
  updatedBy: string;
  [k: string]: unknown;
}

declare global {
  interface Window {
    benchSeen?: Promise<number>;
  }
}

export async function benchIncremental(
  stack: Stack,
  opts: { org: string; user: string; changes: number }
): Promise<IncrementalResult> {
  const db = `org_${opts.org}_tickets`;
  const expected = await visibleDocCount(stack.couch, db);
  const otherDevice = stack.gateway(await stack.login(opts.user));
  // Tickets this user may still edit: their own, not yet closed.
  const rows = await json<{ rows: { doc: Ticket }[] }>(stack.couch, `${db}/_all_docs?include_docs=true&limit=3000`);
  const editable = rows.rows.map((r) => r.doc).filter((d) => d.createdBy === opts.user && d.status === 'new');
  if (editable.length < opts.changes)
    throw new Error(`only ${editable.length} editable tickets for ${opts.user} in ${db}`);

  const profile = await freshProfile();
  const samples: number[] = [];
  try {
    await loginProfile(profile, stack.url, opts.user);
    await profile.page.goto(`${stack.url}/tickets?status=all&sort=updated`, { waitUntil: 'commit' });
    await waitForLocalDocs(profile.page, 'tickets', expected);
    await waitForSyncCalm(profile.page);
    for (let i = 0; i < opts.changes; i++) {
      const marker = `zmena-${i}-${Date.now().toString(36)}`;
      await profile.page.evaluate((marker) => {
        window.benchSeen = new Promise<number>((resolve) => {
          const check = () => {
            if (!document.body.textContent?.includes(marker)) return false;
            observer.disconnect();
            requestAnimationFrame(() => resolve(Date.now()));
            return true;
          };
          const observer = new MutationObserver(check);
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          check();
        });
      }, marker);
      const doc = await json<Ticket>(otherDevice, `${db}/${encodeURIComponent(editable[i]._id)}`);
      const now = new Date().toISOString();
      const changed = {
        ...doc,
        title: `${doc.title.replace(/ zmena-.*$/, '')} ${marker}`,
        updatedAt: now,
        updatedBy: opts.user
      };
      const start = Date.now();
      const res = await json<{ id: string; error?: string; reason?: string }[]>(otherDevice, `${db}/_bulk_docs`, {
        method: 'POST',
        body: { docs: [changed] }
      });
      if (res[0]?.error)
        throw new Error(`the other device's write was refused: ${res[0].error} ${res[0].reason ?? ''}`);
      const seen = await Promise.race([
        profile.page.evaluate(() => window.benchSeen!),
        new Promise<number>((_, reject) =>
          setTimeout(() => reject(new Error(`change ${marker} not shown within 30 s`)), 30_000)
        )
      ]);
      samples.push(seen - start);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await profile.close();
  }
  return { samples, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}
