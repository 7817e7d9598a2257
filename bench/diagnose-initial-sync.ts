/**
 * Where the app's initial sync (scenario 1a) spends its time, for explaining a miss rather
 * than for the table: one run, with the browser's network events (each `/couch/` request from
 * sent to finished) and a V8 CPU profile of the page (self time by function and by script),
 * both over CDP. The sync is a loop of request → store → next request, so the time splits
 * into "a request was on the wire" and "nothing was on the wire" (the page working).
 *
 *   tsx bench/diagnose-initial-sync.ts [tickets] [--batch N] [--path /account] [--no-sw] [--network ms,kbit]
 *
 * `--batch N` re-times the same sync with pages of at most N documents instead of the app's size, by
 * rewriting the `limit` of the page's batched changes requests in the browser (nothing changes in the app),
 * to show what a bigger pull batch would buy.
 */
import os from 'node:os';
import path from 'node:path';
import { FULL } from './config';
import { visibleDocCount, waitForLocalDocs, watchStoredDocs } from './lib/app';
import { freshProfile, loginProfile } from './lib/browser';
import { fillTickets } from './lib/seed';
import { startStack } from './lib/stack';
import { saveCpuProfile } from './lib/cpu-profile';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per key, from a V8 sample profile. */
function selfTime(profile: CpuProfile, key: (n: CpuNode) => string): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const k = key(n);
    out.set(k, (out.get(k) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...out].sort((a, b) => b[1] - a[1]);
}

const union = (spans: [number, number][]) => {
  const s = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of s) {
    if (b <= end) continue;
    total += b - Math.max(a, end);
    end = b;
  }
  return total;
};

async function main() {
  const args = process.argv.slice(2);
  const batchAt = args.indexOf('--batch');
  const batch = batchAt >= 0 ? Number(args[batchAt + 1]) : null;
  const tickets = Number(args.find((a, i) => /^\d+$/.test(a) && i !== batchAt + 1) ?? FULL.tickets);
  // `--path /account` lands where no live query reads tickets: what the landing page's queries cost the sync.
  const pathAt = args.indexOf('--path');
  const landing = pathAt >= 0 ? args[pathAt + 1] : '/';
  const stack = await startStack();
  try {
    await fillTickets(stack.couch, FULL.org, tickets, FULL.requester);
    const db = `org_${FULL.org}_tickets`;
    const expected = await visibleDocCount(stack.couch, db);
    // `--no-sw`: the service worker never installs, to see what its precaching costs the sync.
    const profile = await freshProfile(undefined, { serviceWorkers: args.includes('--no-sw') ? 'block' : 'allow' });
    try {
      await loginProfile(profile, stack.url, FULL.requester);
      await watchStoredDocs(profile.page, ['tickets']);
      if (batch) {
        await profile.page.route(/\/api\/changes$/, (route) => {
          const body = JSON.parse(route.request().postData() ?? '{}') as { limit?: number };
          return route.continue({ postData: JSON.stringify({ ...body, limit: Math.min(batch, body.limit ?? batch) }) });
        });
      }
      const cdp = await profile.context.newCDPSession(profile.page);
      await cdp.send('Network.enable');
      // `--network 150,8000`: the page's requests over a mobile link (round trip ms, kbit/s down and up).
      const networkAt = args.indexOf('--network');
      if (networkAt >= 0) {
        const [latency, kbit] = args[networkAt + 1].split(',').map(Number);
        const bytesPerSecond = (kbit * 1000) / 8;
        await cdp.send('Network.emulateNetworkConditions', {
          offline: false,
          latency,
          downloadThroughput: bytesPerSecond,
          uploadThroughput: bytesPerSecond
        });
      }
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      const reqs = new Map<string, { url: string; sent?: number; ttfb?: number; done?: number; bytes?: number }>();
      let navigationAt = Number.NaN;
      cdp.on('Network.requestWillBeSent', (e) => {
        if (Number.isNaN(navigationAt) && e.type === 'Document') navigationAt = e.timestamp;
        const p = new URL(e.request.url).pathname;
        if (p.startsWith('/couch/') || p.startsWith('/api/')) reqs.set(e.requestId, { url: e.request.url });
      });
      cdp.on('Network.responseReceived', (e) => {
        const r = reqs.get(e.requestId);
        const t = e.response.timing;
        if (r && t) {
          r.sent = t.requestTime + Math.max(0, t.sendStart) / 1000;
          r.ttfb = t.requestTime + t.receiveHeadersEnd / 1000;
        }
      });
      cdp.on('Network.loadingFinished', (e) => {
        const r = reqs.get(e.requestId);
        if (r) {
          r.done = e.timestamp;
          r.bytes = e.encodedDataLength;
        }
      });
      await cdp.send('Profiler.start');
      await profile.page.goto(`${stack.url}${landing}`, { waitUntil: 'commit' });
      const ms = await waitForLocalDocs(profile.page, 'tickets', expected);
      const { profile: cpu } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      // What the sync wrote besides the tickets (RxDB's replication keeps its own per-document state).
      const stores = await profile.page.evaluate(async () => {
        const out: Record<string, number> = {};
        for (const d of await indexedDB.databases()) {
          if (!d.name) continue;
          const idb = await new Promise<IDBDatabase>((resolve, reject) => {
            const req = indexedDB.open(d.name!);
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
          });
          for (const s of Array.from(idb.objectStoreNames)) {
            const n = await new Promise<number>((resolve) => {
              const req = idb.transaction(s, 'readonly').objectStore(s).count();
              req.onsuccess = () => resolve(req.result);
              req.onerror = () => resolve(-1);
            });
            const indexes = idb.transaction(s, 'readonly').objectStore(s).indexNames.length;
            if (n > 100) out[`${d.name} / ${s} (${indexes} indexes)`] = n;
          }
          idb.close();
        }
        return out;
      });

      const done = [...reqs.values()].filter((r) => r.sent && r.done);
      const changes = done.filter((r) => r.url.includes('/_changes') || r.url.endsWith('/api/changes'));
      const first = Math.min(...done.map((r) => r.sent!));
      const last = Math.max(...done.map((r) => r.done!));
      const wire = union(done.map((r) => [r.sent!, r.done!]));
      const serverWait = changes.reduce((s, r) => s + (r.ttfb! - r.sent!), 0);
      const download = changes.reduce((s, r) => s + (r.done! - r.ttfb!), 0);
      const byFn = selfTime(
        cpu,
        (n) =>
          `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber}`
      );
      const byScript = selfTime(cpu, (n) => path.basename(n.callFrame.url) || n.callFrame.functionName);
      const cpuTotal = byFn.reduce((s, [, v]) => s + v, 0);
      const idle = byFn.filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
      const summary = {
        tickets: expected,
        batch: batch ?? 'app default',
        loadAverage: os.loadavg()[0],
        totalMs: Math.round(ms),
        // The page clock starts at navigation, as the document request does.
        startupMs: Math.round((first - navigationAt) * 1000),
        syncSpanMs: Math.round((last - first) * 1000),
        afterLastResponseMs: Math.round(ms - (last - navigationAt) * 1000),
        couchRequests: done.length,
        changesRequests: changes.length,
        wireMs: Math.round(wire * 1000),
        notOnWireMs: Math.round((last - first - wire) * 1000),
        changesServerWaitMs: Math.round(serverWait * 1000),
        changesDownloadMs: Math.round(download * 1000),
        changesMeanMs: Math.round(((serverWait + download) / changes.length) * 1000),
        pageCpuBusyMs: Math.round(cpuTotal - idle),
        // Each changes request from navigation: sent, headers back, body done (ms), and its size.
        changesTimeline: changes
          .sort((a, b) => a.sent! - b.sent!)
          .map(
            (r) =>
              [r.sent!, r.ttfb!, r.done!].map((t) => Math.round((t - navigationAt) * 1000)).join(' / ') +
              ` (${Math.round((r.bytes ?? 0) / 1024)} KB)`
          ),
        storesOver100Rows: stores,
        topFunctions: byFn.slice(0, 25).map(([k, v]) => [k, Math.round(v)]),
        topScripts: byScript.slice(0, 12).map(([k, v]) => [k, Math.round(v)])
      };
      console.log(JSON.stringify(summary, null, 2));
      await saveCpuProfile('initial-sync', cpu);
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
