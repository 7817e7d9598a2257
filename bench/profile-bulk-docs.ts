/**
 * Where the gateway's `_bulk_docs` spends its time beyond CouchDB's: the same batches of 1,000
 * new tickets written through `/couch` and straight to the store, interleaved, with the time of
 * each step of the gateway's write measured in this process (the server runs in it).
 *
 *   tsx bench/profile-bulk-docs.ts [runs]
 */
import { performance } from 'node:perf_hooks';
import { request } from './lib/couch';
import { startStack } from './lib/stack';
import { makeTickets } from './lib/tickets';

async function main() {
  const runs = Number(process.argv[2] ?? 7);
  const stack = await startStack();
  try {
    const cookie = await stack.login('helpdesk');
    const gw = stack.gateway(cookie);
    const db = 'org_sos-do_tickets';
    const times: Record<'gateway' | 'direct', number[]> = { gateway: [], direct: [] };
    for (let run = -1; run < runs; run++) {
      const order: ('gateway' | 'direct')[] = run % 2 === 0 ? ['gateway', 'direct'] : ['direct', 'gateway'];
      for (const side of order) {
        const docs = makeTickets(1000, {
          orgId: 'sos-do',
          user: 'helpdesk',
          idPrefix: `p-${side}-${run}`,
          seed: run + 3,
          status: 'new'
        });
        const t = performance.now();
        const res = await request(side === 'gateway' ? gw : stack.couch, `${db}/_bulk_docs`, {
          method: 'POST',
          body: { docs }
        });
        const rows = (await res.json()) as { error?: string }[];
        if (rows.some((r) => r.error)) throw new Error(JSON.stringify(rows.find((r) => r.error)));
        if (run >= 0) times[side].push(performance.now() - t);
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratios = times.gateway.map((g, i) => g / times.direct[i]);
    console.log(
      JSON.stringify({ gateway: med(times.gateway), direct: med(times.direct), ratio: med(ratios), times }, null, 1)
    );
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
