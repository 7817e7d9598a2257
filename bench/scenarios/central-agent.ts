/**
 * 2. Initial sync of the central agent, who reads every organization's databases: the time
 * until all tickets are local and the sync status is calm, how many HTTP requests it took,
 * the most open at once, and how many stay open afterwards (the long-lived connections; the
 * design allows one event stream, not one long-poll per database).
 *
 * Its target is a ratio to 1a, so 1a is measured again here, run by run between the central
 * agent's runs (`peer`), on a stack of its own: scenario 1 runs minutes earlier on another stack,
 * and a ratio across scenarios took the machine's drift in between for the app's (1.26 in one
 * full run, 1.66 in the next, the load having risen from about 2 to 5).
 */
import { freshProfile, loginProfile, watchConnections } from '../lib/browser';
import { visibleDocCountAll, waitForLocalDocs, waitForSyncCalm, watchStoredDocs } from '../lib/app';
import { json } from '../lib/couch';
import type { Stack } from '../lib/stack';

export interface CentralAgentResult {
  docs: number;
  databases: number;
  ms: number[];
  requests: number[];
  syncRequests: number[];
  maxOpen: number[];
  connections: number[];
  longLived: number[];
  /** 1a taken between the central agent's runs (the order alternating). */
  peerMs: number[];
}

export async function benchCentralAgent(
  stack: Stack,
  opts: { user: string; expected?: number; runs: number; peer: () => Promise<number> }
): Promise<CentralAgentResult> {
  const cookie = await stack.login(opts.user);
  const me = await json<{ databases: { db: string }[] }>({ base: `${stack.url}/`, headers: { cookie } }, 'api/me');
  const ticketDbs = me.databases.map((d) => d.db).filter((db) => db.endsWith('_tickets'));
  const expected = await visibleDocCountAll(stack.couch, ticketDbs);
  const out: CentralAgentResult = {
    docs: expected,
    databases: me.databases.length,
    ms: [],
    requests: [],
    syncRequests: [],
    maxOpen: [],
    connections: [],
    longLived: [],
    peerMs: []
  };
  for (let run = 0; run < opts.runs; run++) {
    if (run % 2 === 0) out.peerMs.push(await opts.peer());
    const profile = await freshProfile();
    try {
      await loginProfile(profile, stack.url, opts.user);
      await watchStoredDocs(profile.page, ['tickets']);
      const stats = await watchConnections(profile);
      await profile.page.goto(`${stack.url}/`, { waitUntil: 'commit' });
      const stored = await waitForLocalDocs(profile.page, 'tickets', expected);
      const calm = await waitForSyncCalm(profile.page);
      // Whatever is still open a moment after the sync settled is meant to stay open.
      await new Promise((r) => setTimeout(r, 2_000));
      const s = stats();
      out.ms.push(Math.max(stored, calm));
      out.requests.push(s.requests);
      out.syncRequests.push(s.syncRequests);
      out.maxOpen.push(s.maxBusyConnections);
      out.connections.push(s.connections);
      out.longLived.push(s.openNow);
    } finally {
      await profile.close();
    }
    if (run % 2 === 1) out.peerMs.push(await opts.peer());
  }
  return out;
}
