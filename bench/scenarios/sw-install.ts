/**
 * 11. A new device's service-worker install (the precache that makes the app work offline),
 * two ways, interleaved run by run: the app as built (its precache filled from the build's one
 * pack, `src/lib/sw/precache-pack.js`), and the same install with the pack refused (HTTP 404),
 * which is Workbox's own file-by-file precache, the app's fallback. Each run is a fresh
 * on-disk profile on the sign-in page, which registers the worker at once; timed from the
 * page's navigation until the worker is active.
 */
import { freshProfile } from '../lib/browser';
import type { BrowserContext } from 'playwright-core';
import type { Stack } from '../lib/stack';

export interface SwInstallResult {
  packMs: number[];
  oneByOneMs: number[];
  packRequests: number[];
  oneByOneRequests: number[];
}

/** Paths the service workers of this context request, from now on. */
export function workerRequests(context: BrowserContext): string[] {
  const paths: string[] = [];
  context.on('request', (r) => {
    if (r.serviceWorker()) paths.push(new URL(r.url()).pathname);
  });
  return paths;
}

async function install(stack: Stack, withPack: boolean): Promise<{ ms: number; requests: number }> {
  const profile = await freshProfile();
  try {
    const { context, page } = profile;
    if (!withPack) await context.route(/\/_app\/precache-[^/]+\.bin$/, (route) => route.fulfill({ status: 404 }));
    const requests = workerRequests(context);
    await page.goto(`${stack.url}/login`);
    // The page's clock starts with its navigation: the sign-in page's own load is in both ways.
    const ms = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      return performance.now();
    });
    return { ms, requests: requests.length };
  } finally {
    await profile.close();
  }
}

export async function benchSwInstall(stack: Stack, runs: number): Promise<SwInstallResult> {
  const out: SwInstallResult = { packMs: [], oneByOneMs: [], packRequests: [], oneByOneRequests: [] };
  for (let run = 0; run < runs; run++) {
    for (const withPack of run % 2 ? [false, true] : [true, false]) {
      const r = await install(stack, withPack);
      (withPack ? out.packMs : out.oneByOneMs).push(r.ms);
      (withPack ? out.packRequests : out.oneByOneRequests).push(r.requests);
    }
  }
  return out;
}
