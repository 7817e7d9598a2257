/**
 * The built PWA: files from the SvelteKit build, hashed assets cached forever, and every
 * other GET outside /api and /couch answered with index.html (client-side routing).
 * Without a build the server still runs; API-only use and tests do not need one.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';

const API_PREFIXES = ['/api/', '/couch/'];
const isApiPath = (url: string) => url === '/api' || url === '/couch' || API_PREFIXES.some((p) => url.startsWith(p));

type HeaderTarget = { setHeader?: (k: string, v: string) => void; header?: (k: string, v: string) => void };
const setHeader = (res: HeaderTarget, k: string, v: string) =>
  res.setHeader ? res.setHeader(k, v) : res.header?.(k, v);

export async function registerStatic(app: FastifyInstance, staticDir: string): Promise<void> {
  const hasBuild = existsSync(path.join(staticDir, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: staticDir,
      index: ['index.html'],
      setHeaders: (res: HeaderTarget, filePath: string) => {
        if (filePath.includes(`${path.sep}_app${path.sep}immutable${path.sep}`)) {
          setHeader(res, 'cache-control', 'public, max-age=31536000, immutable');
        } else {
          // The service worker and the shell must be revalidated, or updates never arrive.
          setHeader(res, 'cache-control', 'no-cache');
        }
      }
    });
  } else {
    app.log.warn({ staticDir }, 'no PWA build found; serving the API only (run `npm run build`)');
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    if (hasBuild && (request.method === 'GET' || request.method === 'HEAD') && !isApiPath(url)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({ error: 'not_found', reason: `No route for ${request.method} ${url}` });
  });
}
