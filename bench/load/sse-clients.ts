/**
 * Load process for the live fan-out benchmark: holds many `/api/events` connections on
 * loopback and records when each one hears of a change. It runs as a child process so that
 * its own sockets and buffers are not counted in the server's memory, and it exits when its
 * parent goes away, so no load outlives the benchmark.
 *
 * Protocol (IPC): parent sends `connect`, then any number of `arm` (start listening for the
 * next mention of a database) and `collect`, then `close`.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

type Msg =
  | { type: 'connect'; url: string; cookie: string; clients: number }
  | { type: 'arm'; db: string }
  | { type: 'collect'; timeoutMs: number }
  | { type: 'close' };

interface Client {
  req: http.ClientRequest;
  res?: http.IncomingMessage;
  /** Text received since the last arm, kept only until the marker is found. */
  tail: string;
  heardAt: number | null;
}

const clients: Client[] = [];
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
let marker: string | null = null;
let armedAt = 0;

const send = (msg: unknown) => process.send?.(msg);

function open(url: string, cookie: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { cookie, accept: 'text/event-stream' } });
    const client: Client = { req, tail: '', heardAt: null };
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`/api/events answered HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      client.res = res;
      res.setEncoding('utf8');
      let ready = false;
      res.on('data', (chunk: string) => {
        // Connected means registered for changes: the server says so with its `ready` event.
        if (!ready) {
          client.tail += chunk;
          if (client.tail.includes('event: ready')) {
            ready = true;
            client.tail = '';
            resolve(client);
          }
          return;
        }
        if (marker === null || client.heardAt !== null) return;
        // Keep a short tail so a marker split across chunks is still found.
        client.tail = (client.tail + chunk).slice(-4096);
        if (client.tail.includes(marker)) {
          client.heardAt = performance.now();
          client.tail = '';
        }
      });
    });
    req.on('error', reject);
  });
}

async function connect(url: string, cookie: string, n: number): Promise<void> {
  // Open in waves so the accept queue on loopback is not the thing being measured.
  const wave = 50;
  for (let i = 0; i < n; i += wave) {
    const batch = await Promise.all(Array.from({ length: Math.min(wave, n - i) }, () => open(url, cookie)));
    clients.push(...batch);
  }
}

async function collect(timeoutMs: number): Promise<{ latencies: number[]; missed: number }> {
  const deadline = performance.now() + timeoutMs;
  while (clients.some((c) => c.heardAt === null) && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
  const latencies = clients.filter((c) => c.heardAt !== null).map((c) => (c.heardAt as number) - armedAt);
  marker = null;
  return { latencies, missed: clients.length - latencies.length };
}

process.on('message', (msg: Msg) => {
  void (async () => {
    try {
      if (msg.type === 'connect') {
        await connect(msg.url, msg.cookie, msg.clients);
        send({ type: 'connected', clients: clients.length });
      } else if (msg.type === 'arm') {
        for (const c of clients) {
          c.heardAt = null;
          c.tail = '';
        }
        marker = msg.db;
        armedAt = performance.now();
        send({ type: 'armed', at: performance.timeOrigin + armedAt });
      } else if (msg.type === 'collect') {
        send({ type: 'collected', ...(await collect(msg.timeoutMs)) });
      } else if (msg.type === 'close') {
        for (const c of clients) c.req.destroy();
        send({ type: 'closed' });
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'error', message: (err as Error).message });
    }
  })();
});

// Never outlive the benchmark.
process.on('disconnect', () => process.exit(0));
