/**
 * The batched changes request when the server is busy: a server that answers 429 (each
 * person's requests in flight are capped) is asked again after the wait it names, and only a
 * 429 that persists reaches the caller; a sync stopped meanwhile asks nothing more.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CouchClient, retryAfterMs } from './couch-http';

let server: http.Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A server whose first `busy` answers to POST /api/changes are 429 with `Retry-After: 1`. */
async function busyServer(busy: number): Promise<{ base: string; asked: () => number }> {
  let asked = 0;
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      asked++;
      if (asked <= busy) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(
          JSON.stringify({ error: 'too_many_requests', reason: 'you already have 32 requests for changes open' })
        );
        return;
      }
      const { since } = JSON.parse(body) as { since: Record<string, number> };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ results: {}, refused: {}, unread: Object.keys(since) }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}/couch`, asked: () => asked };
}

describe('a busy server', () => {
  it('is asked again after the wait it names, and the caller gets the answer', async () => {
    const srv = await busyServer(2);
    const client = new CouchClient((url, init) => fetch(url, init), srv.base);
    const started = Date.now();
    const answer = await client.changesBatch({ org_x_tickets: 0 }, 10);
    expect(answer.unread).toEqual(['org_x_tickets']);
    expect(srv.asked()).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('that stays busy is reported, with its reason, after a few tries', async () => {
    const srv = await busyServer(100);
    const client = new CouchClient((url, init) => fetch(url, init), srv.base);
    await expect(client.changesBatch({ org_x_tickets: 0 }, 10)).rejects.toMatchObject({
      status: 429,
      message: expect.stringMatching(/requests for changes/)
    });
    expect(srv.asked()).toBe(4);
  }, 20_000);

  it('is not asked again once the sync has stopped: the wait ends with the 429', async () => {
    const srv = await busyServer(100);
    const client = new CouchClient((url, init) => fetch(url, init), srv.base);
    const stop = new AbortController();
    const asked = client.changesBatch({ org_x_tickets: 0 }, 10, stop.signal);
    await expect.poll(() => srv.asked()).toBe(1);
    const started = Date.now();
    stop.abort();
    await expect(asked).rejects.toMatchObject({ status: 429 });
    expect(Date.now() - started).toBeLessThan(900);
    await new Promise((r) => setTimeout(r, 1500));
    expect(srv.asked()).toBe(1);
  });

  it('waits within 0.5–10 s whatever Retry-After says', () => {
    for (const [header, low, high] of [
      ['1', 1000, 1250],
      ['0', 500, 625],
      ['abc', 2000, 2500],
      [null, 2000, 2500],
      ['3600', 10_000, 12_500]
    ] as const) {
      const ms = retryAfterMs(header);
      expect(ms).toBeGreaterThanOrEqual(low);
      expect(ms).toBeLessThanOrEqual(high);
    }
  });
});
