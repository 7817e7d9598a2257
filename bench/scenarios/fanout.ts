/**
 * 5. Live fan-out: many clients on `/api/events`, one change, time until every client is told;
 * and the server's memory per idle connection. The server runs in this process (so its memory
 * can be read) and the clients in a child process (so theirs is not).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { percentile, summarize, type Summary } from '../lib/stats';
import type { Stack } from '../lib/stack';
import { makeTickets } from '../lib/tickets';

const LOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../load/sse-clients.ts');

export interface FanoutResult {
  clients: number;
  changes: number;
  /** Per client, from the write until it was told; pooled over all changes. */
  p50Ms: number;
  p95Ms: number;
  /** Per change, until the last client was told. */
  allToldMs: Summary;
  missed: number;
  bytesPerIdleConnection: number;
  rssPerIdleConnection: number;
}

type Reply = { type: string; [k: string]: unknown };

class LoadProcess {
  private readonly child: ChildProcess;
  private readonly waiting: ((m: Reply) => void)[] = [];

  constructor() {
    this.child = fork(LOAD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: Reply) => this.waiting.shift()?.(m));
  }

  ask(msg: unknown, timeoutMs = 120_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`load process did not answer ${JSON.stringify(msg)}`)), timeoutMs);
      this.waiting.push((m) => {
        clearTimeout(t);
        if (m.type === 'error') reject(new Error(`load process: ${String(m.message)}`));
        else resolve(m);
      });
      this.child.send(msg as object);
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** A full GC, so memory deltas are live objects and not garbage waiting to be collected. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function settledMemory(): Promise<{ live: number; rss: number }> {
  await new Promise((r) => setTimeout(r, 500));
  collectGarbage();
  collectGarbage();
  const m = process.memoryUsage();
  return { live: m.heapUsed + m.external, rss: m.rss };
}

export async function benchFanout(
  stack: Stack,
  opts: { clients: number; changes: number; user: string; org: string }
): Promise<FanoutResult> {
  const cookie = await stack.login(opts.user);
  const db = `org_${opts.org}_tickets`;
  const load = new LoadProcess();
  try {
    const before = await settledMemory();
    await load.ask({ type: 'connect', url: `${stack.url}/api/events`, cookie, clients: opts.clients });
    const after = await settledMemory();

    const latencies: number[] = [];
    const allTold: number[] = [];
    let missed = 0;
    const docs = makeTickets(opts.changes, {
      orgId: opts.org,
      user: opts.user,
      idPrefix: `fanout-${Date.now()}`,
      status: 'new'
    });
    for (const doc of docs) {
      await load.ask({ type: 'arm', db });
      await stack.gatewayWrite(cookie, db, [doc]);
      const r = (await load.ask({ type: 'collect', timeoutMs: 10_000 })) as Reply & {
        latencies: number[];
        missed: number;
      };
      latencies.push(...r.latencies);
      missed += r.missed;
      if (r.latencies.length > 0) allTold.push(Math.max(...r.latencies));
      await new Promise((res) => setTimeout(res, 200));
    }
    return {
      clients: opts.clients,
      changes: opts.changes,
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      allToldMs: summarize(allTold),
      missed,
      bytesPerIdleConnection: (after.live - before.live) / opts.clients,
      rssPerIdleConnection: (after.rss - before.rss) / opts.clients
    };
  } finally {
    await load.ask({ type: 'close' }, 5_000).catch(() => undefined);
    load.kill();
  }
}
