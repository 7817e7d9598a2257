/**
 * 4. Gateway overhead: the same `_changes` read and `_bulk_docs` write through `/couch`
 * (session, authorization, per-document validation) and straight to CouchDB, interleaved
 * run by run so that both sides see the same machine noise.
 */
import { BATCH_BODY_LIMIT } from '../../sync-server/gateway';
import { MAX_PAGE } from '../../sync-server/gateway/params';
import { endpoint, request, type Endpoint } from '../lib/couch';
import { ratio, summarize, type Summary } from '../lib/stats';
import type { Stack } from '../lib/stack';
import { makeTickets } from '../lib/tickets';

export interface OverheadResult {
  changesDocs: number;
  bulkDocs: number;
  /** Requests the write took on each side: as few as the gateway's `_bulk_docs` body limit allows. */
  bulkRequests: number;
  changes: { gatewayMs: Summary; directMs: Summary; ratio: Summary };
  /** The same read through the batched feed the app's pull uses (`POST /api/changes`). */
  batched: { ms: Summary; ratio: Summary };
  bulkDocsWrite: { gatewayMs: Summary; directMs: Summary; ratio: Summary };
}

/** Reads `docs` changes of one database through `POST /api/changes`, page by page, as the app's pull does. */
async function readBatched(api: Endpoint, db: string, docs: number): Promise<number> {
  const start = performance.now();
  let since: string | number = 0;
  let got = 0;
  for (;;) {
    const res = await request(api, 'api/changes', {
      method: 'POST',
      body: { since: { [db]: since }, limit: MAX_PAGE }
    });
    const body = (await res.json()) as {
      results?: Record<string, { results: unknown[]; last_seq: string | number; more: boolean }>;
    };
    const page = body.results?.[db];
    if (!res.ok || !page) throw new Error(`api/changes: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    got += page.results.length;
    since = page.last_seq;
    if (!page.more) break;
  }
  if (got < docs - 5) throw new Error(`api/changes: expected ${docs} changes, the feed ended after ${got}`);
  return performance.now() - start;
}

/** A pull page as the gateway allows it (at most `MAX_PAGE` changes), from `since`. */
const changesPath = (db: string, since: string | number, limit: number) =>
  `${encodeURIComponent(db)}/_changes?style=all_docs&feed=normal&include_docs=true&since=${since}&limit=${limit}`;

/** Reads `docs` changes page by page, following `last_seq`, as a replicator does; the total time. */
async function readPaged(ep: Endpoint, db: string, docs: number): Promise<number> {
  const start = performance.now();
  let since: string | number = 0;
  let got = 0;
  while (got < docs - 5) {
    const path = changesPath(db, since, Math.min(MAX_PAGE, docs));
    const res = await request(ep, path, {});
    const body = (await res.json()) as { results?: unknown[]; last_seq?: string | number };
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    const rows = body.results ?? [];
    if (rows.length === 0) throw new Error(`${path}: expected ${docs} rows, the feed ended after ${got}`);
    got += rows.length;
    since = body.last_seq ?? since;
  }
  return performance.now() - start;
}

async function timed(
  ep: Endpoint,
  path: string,
  init: { method?: string; body?: unknown },
  expectRows: number
): Promise<number> {
  const start = performance.now();
  const res = await request(ep, path, init);
  const body = (await res.json()) as { results?: unknown[] } | { ok?: boolean; error?: string }[];
  const ms = performance.now() - start;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const rows = Array.isArray(body) ? body : (body.results ?? []);
  // Design documents count on the direct side only (the gateway hides them): a few rows of slack.
  if (rows.length < expectRows - 5) throw new Error(`${path}: expected ${expectRows} rows, got ${rows.length}`);
  if (Array.isArray(body)) {
    const bad = body.find((r) => r.error);
    if (bad) throw new Error(`${path}: a document was refused: ${JSON.stringify(bad)}`);
  }
  return ms;
}

export async function benchGatewayOverhead(
  stack: Stack,
  opts: { readDb: string; readDocs: number; writeOrg: string; writeDocs: number; user: string; runs: number }
): Promise<OverheadResult> {
  const cookie = await stack.login(opts.user);
  const gw = stack.gateway(cookie);
  const direct = stack.couch;
  const writeDb = `org_${opts.writeOrg}_tickets`;
  const read = { gateway: [] as number[], direct: [] as number[], batched: [] as number[] };
  const api = endpoint(`${stack.url}/`, { cookie, origin: stack.url });
  const write = { gateway: [] as number[], direct: [] as number[] };

  // The write goes in as few requests as the gateway's `_bulk_docs` limit allows (the same on both sides).
  const sample = makeTickets(opts.writeDocs, {
    orgId: opts.writeOrg,
    user: opts.user,
    idPrefix: 'size-probe-000000',
    status: 'new'
  });
  const bytes = Buffer.byteLength(JSON.stringify({ docs: sample }));
  const perRequest = Math.max(1, Math.floor((opts.writeDocs * BATCH_BODY_LIMIT * 0.9) / bytes));
  const batches = Array.from({ length: Math.ceil(opts.writeDocs / perRequest) }, (_, i) => ({
    from: i * perRequest,
    to: Math.min(opts.writeDocs, (i + 1) * perRequest)
  }));

  const writeAll = async (ep: typeof gw, idPrefix: string, seed: number) => {
    const docs = makeTickets(opts.writeDocs, { orgId: opts.writeOrg, user: opts.user, idPrefix, seed, status: 'new' });
    const start = performance.now();
    for (const part of batches)
      await timed(
        ep,
        `${writeDb}/_bulk_docs`,
        { method: 'POST', body: { docs: docs.slice(part.from, part.to) } },
        part.to - part.from
      );
    return performance.now() - start;
  };

  // One warm-up of each, not counted: first requests pay for connection setup and JIT (and the
  // gateway's first write of a collection for compiling its schema validator).
  await readPaged(gw, opts.readDb, opts.readDocs);
  await readPaged(direct, opts.readDb, opts.readDocs);
  await readBatched(api, opts.readDb, opts.readDocs);
  await writeAll(gw, `bulk-warm-gateway-${Date.now()}`, 0);
  await writeAll(direct, `bulk-warm-direct-${Date.now()}`, 0);

  for (let run = 0; run < opts.runs; run++) {
    const sides = run % 2 === 0 ? (['gateway', 'direct'] as const) : (['direct', 'gateway'] as const);
    for (const side of sides) {
      const ep = side === 'gateway' ? gw : direct;
      read[side].push(await readPaged(ep, opts.readDb, opts.readDocs));
      write[side].push(await writeAll(ep, `bulk-${side}-${run}-${Date.now()}`, run + 1));
      // After the write, not before it: each side's write follows the same one read, so the
      // store's leftovers of a second read (about 12 ms on the next write) burden neither.
      if (side === 'gateway') read.batched.push(await readBatched(api, opts.readDb, opts.readDocs));
    }
  }
  return {
    changesDocs: opts.readDocs,
    bulkDocs: opts.writeDocs,
    bulkRequests: batches.length,
    changes: {
      gatewayMs: summarize(read.gateway),
      directMs: summarize(read.direct),
      ratio: ratio(read.gateway, read.direct)
    },
    batched: { ms: summarize(read.batched), ratio: ratio(read.batched, read.direct) },
    bulkDocsWrite: {
      gatewayMs: summarize(write.gateway),
      directMs: summarize(write.direct),
      ratio: ratio(write.gateway, write.direct)
    }
  };
}
