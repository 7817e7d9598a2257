/**
 * The error handler: a client that goes away before its answer's first bytes is nobody's
 * failure. A compressed answer is a stream whose headers go out with its first compressed
 * bytes; a connection closed before then ends that stream early, and Fastify hands the
 * stream's "premature close" to the error handler as if the route had failed.
 */
import fastifyCompress from '@fastify/compress';
import Fastify, { type FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { registerErrors } from './errors';

interface Line {
  level: number;
  msg: string;
  err?: { code?: string };
}

async function appWithLog(): Promise<{ app: FastifyInstance; lines: Line[]; url: string }> {
  const lines: Line[] = [];
  // The logger writes one JSON line per call.
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Line) };
  const app = Fastify({ logger: { level: 'info', stream } });
  registerErrors(app);
  await app.register(fastifyCompress, { global: false });
  // An answer ready only after a while, as a page of changes read from the store is.
  app.post('/late', { compress: {} }, async (_req, reply) => {
    await new Promise((r) => setTimeout(r, 400));
    return reply.type('application/json').send(Buffer.from(JSON.stringify({ rows: 'x'.repeat(100_000) })));
  });
  // An answer cut on the server's side (the store's connection lost mid-answer) while the client waits.
  app.post('/cut', { compress: {} }, async (_req, reply) => {
    const body = new Readable({ read() {} });
    setTimeout(() => body.destroy(), 50);
    return reply.type('application/json').send(body);
  });
  app.get('/boom', async () => {
    throw new Error('a real fault');
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, lines, url };
}

let open: FastifyInstance | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** Sends a request and closes the connection after `ms`, before any answer arrives. */
function requestAndLeave(url: string, path: string, ms: number): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      const body = '{"since":{}}';
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br, gzip\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
      );
      setTimeout(() => socket.destroy(), ms);
    });
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('close', () => resolve(got));
  });
}

describe('a client gone before its answer', () => {
  it('is logged as that at info level, not as a failed request, and the server answers the next one', async () => {
    const { app, lines, url } = await appWithLog();
    open = app;
    expect(await requestAndLeave(url, '/late', 100)).toBe('');
    await expect.poll(() => lines.some((l) => /went away/.test(l.msg)), { timeout: 5_000 }).toBe(true);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.find((l) => /went away/.test(l.msg))?.level).toBe(30);

    const res = await fetch(`${url}/late`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { rows: string }).rows).toHaveLength(100_000);
  });

  it('an answer cut short while the client still waits stays a logged server error', async () => {
    const { app, lines, url } = await appWithLog();
    open = app;
    const res = await fetch(`${url}/cut`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'internal_error' });
    expect(lines.filter((l) => l.level >= 50).map((l) => [l.msg, l.err?.code])).toEqual([
      ['request failed', 'ERR_STREAM_PREMATURE_CLOSE']
    ]);
  });

  it('leaves a real fault a logged server error', async () => {
    const { app, lines, url } = await appWithLog();
    open = app;
    const res = await fetch(`${url}/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: 'internal_error' });
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual(['request failed']);
  });
});
