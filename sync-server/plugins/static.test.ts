/**
 * The built app is sent compressed to a browser that accepts it (the build's own `.br` and
 * `.gz` files), as it is to one that does not, and client routes still get index.html.
 * A build of three files stands in for the real one: the unit tests run before it exists.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../auth/lucia';
import { login, startTestServer, type TestServer } from '../testing/server';

const INDEX = '<!doctype html><title>Regional ICT Services</title>' + '<div></div>'.repeat(200);
const SCRIPT = 'export const greeting = "Dobrý den";\n'.repeat(400);
const CHUNK = '/_app/immutable/chunks/app.Bx1.js';

let s: TestServer;
let staticDir: string;

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(os.tmpdir(), 'ict-static-'));
  await mkdir(path.join(staticDir, '_app/immutable/chunks'), { recursive: true });
  for (const [file, text] of [
    ['index.html', INDEX],
    [CHUNK.slice(1), SCRIPT]
  ]) {
    const full = path.join(staticDir, file);
    await writeFile(full, text);
    await writeFile(`${full}.gz`, new Uint8Array(gzipSync(text)));
    await writeFile(`${full}.br`, new Uint8Array(brotliCompressSync(text)));
  }
  // A file the adapter did not compress (it skips some types): sent as it is.
  await writeFile(path.join(staticDir, 'manifest.webmanifest'), '{"name":"ICT"}');
  s = await startTestServer({ staticDir });
}, 120_000);

afterAll(async () => {
  await s?.close();
  if (staticDir) await rm(staticDir, { recursive: true, force: true });
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const unzipped = (bytes: Uint8Array) => new TextDecoder().decode(gunzipSync(bytes));

async function get(p: string, acceptEncoding?: string, cookie?: string) {
  // fetch() would decode the body itself; the raw bytes and headers are what is checked here.
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Uint8Array }>(
    (resolve, reject) => {
      const req = request(
        `${s.url}${p}`,
        {
          headers: {
            ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}),
            ...(cookie ? { cookie, origin: s.url } : {})
          }
        },
        (res) => {
          const parts: Uint8Array[] = [];
          res.on('data', (d: Uint8Array) => parts.push(new Uint8Array(d)));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: new Uint8Array(Buffer.concat(parts)) })
          );
        }
      );
      req.on('error', reject);
      req.end();
    }
  );
}

describe('the built app over the wire', () => {
  it('sends a script gzip-compressed to a browser that accepts gzip, cached for ever', async () => {
    const res = await get(CHUNK, 'gzip, deflate');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(unzipped(res.body)).toBe(SCRIPT);
  });

  it('sends brotli where the browser accepts it (over HTTPS, browsers do)', async () => {
    const res = await get(CHUNK, 'gzip, deflate, br, zstd');
    expect(res.headers['content-encoding']).toBe('br');
    expect(new TextDecoder().decode(brotliDecompressSync(res.body))).toBe(SCRIPT);
  });

  it('sends the file as it is to a client that accepts no compression', async () => {
    const res = await get(CHUNK);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(text(res.body)).toBe(SCRIPT);
  });

  it('answers a client route with index.html, compressed when accepted, never cached without asking', async () => {
    for (const route of ['/', '/tickets/t-1']) {
      const res = await get(route, 'gzip');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding'] === 'gzip' ? unzipped(res.body) : text(res.body)).toBe(INDEX);
    }
    expect((await get('/', 'gzip')).headers['content-encoding']).toBe('gzip');
  });

  it('sends a file without compressed copies as it is', async () => {
    const res = await get('/manifest.webmanifest', 'gzip, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(text(res.body)).toBe('{"name":"ICT"}');
  });
});

describe('the routes', () => {
  it("are the API, the gateway and the build's files: the session is read for the first two (readsSession)", () => {
    // Top-level entries of the router's tree: what lies below one shares its start.
    const top = s.app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .flatMap((line) => /^ {4}[├└]── (\S+)/.exec(line)?.[1] ?? []);
    expect(top).toContain('api/me');
    expect(top).toContain('couch');
    const files = ['index.html', 'manifest.webmanifest', CHUNK.slice(1)];
    // A route anywhere else would see no user: add it to readsSession (auth/index.ts) if it needs one.
    expect(top.filter((r) => !r.startsWith('api/') && r !== 'couch' && !files.includes(r))).toEqual([]);
  });
});

// Last: it stops the store.
describe('a signed-in browser loading the app', () => {
  it('gets the files and the shell without the store, while its API requests still read the session', async () => {
    const cookie = await login(s.url, 'ucitel.gymkt');
    // Any spelling of an API path is judged as the path the router matched.
    for (const p of ['/api/me', '/%61pi/me']) {
      const me = await get(p, undefined, cookie);
      expect(me.status, p).toBe(200);
      expect(JSON.parse(text(me.body)).user.id, p).toBe('ucitel.gymkt');
    }
    expect((await get('/couch/org_gym-kt_tickets/_all_docs?limit=1', undefined, cookie)).status).toBe(200);
    // A cookie of no session: blanked where a session is read, left alone on a file.
    const stale = `${SESSION_COOKIE}=0000000000000000000000000000000000000000`;
    expect((await get(CHUNK, undefined, stale)).headers['set-cookie']).toBeUndefined();
    expect(String((await get('/api/me', undefined, stale)).headers['set-cookie'])).toContain(`${SESSION_COOKIE}=;`);
    await s.embedded!.stop();
    // Each of these read the person's record from the store before it was sent.
    for (const p of [CHUNK, '/', '/tickets/t-1', '/manifest.webmanifest']) {
      const res = await get(p, 'gzip', cookie);
      expect(res.status, p).toBe(200);
      expect(res.headers['set-cookie'], p).toBeUndefined();
    }
    // The session is still read where a user is: the store is gone, so it cannot be.
    expect((await get('/api/me', undefined, cookie)).status).toBeGreaterThanOrEqual(500);
  });
});
