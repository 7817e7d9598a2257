/**
 * 7. Bundle: gzip size of the JavaScript and CSS the first page loads (as the browser fetched
 * it, signed in, until no more scripts or stylesheets come) and of every script and stylesheet in the build.
 * Sizes are gzip level 9 of the bytes served, whatever compression the server applies.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { freshProfile, loginProfile } from '../lib/browser';
import type { Stack } from '../lib/stack';

export interface BundleSizes {
  js: number;
  css: number;
  files: number;
}

export interface BundleResult {
  firstPage: BundleSizes & { path: string };
  wholeApp: BundleSizes;
  /** The largest files of the first page, to see where the bytes are. */
  largestFirstPage: { file: string; gzip: number }[];
}

export interface FetchedFile {
  /** The path the browser fetched, e.g. `/_app/immutable/chunks/x.js`. */
  file: string;
  kind: 'js' | 'css';
  gzip: number;
}

const gz = (buf: Buffer) => gzipSync(new DataView(buf.buffer, buf.byteOffset, buf.byteLength), { level: 9 }).length;

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

export async function wholeAppSizes(buildDir: string): Promise<BundleSizes> {
  await stat(buildDir);
  const sizes: BundleSizes = { js: 0, css: 0, files: 0 };
  for await (const file of walk(buildDir)) {
    const kind = file.endsWith('.js') || file.endsWith('.mjs') ? 'js' : file.endsWith('.css') ? 'css' : null;
    if (!kind) continue;
    sizes[kind] += gz(await readFile(file));
    sizes.files += 1;
  }
  return sizes;
}

export async function firstPageSizes(
  stack: Stack,
  opts: { user: string; path: string }
): Promise<BundleResult['firstPage'] & { all: FetchedFile[] }> {
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    const seen: Promise<FetchedFile | null>[] = [];
    profile.page.on('response', (res) => {
      const type = res.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      seen.push(
        res
          .body()
          .then((body) => ({
            file: new URL(res.url()).pathname,
            kind: type === 'script' ? ('js' as const) : ('css' as const),
            gzip: gz(body)
          }))
          .catch(() => null)
      );
    });
    // Not `networkidle`: the signed-in app holds its event stream open, so the network never
    // idles. The first page is what has loaded once no script or stylesheet came for 1.5 s.
    await profile.page.goto(`${stack.url}${opts.path}`, { waitUntil: 'load' });
    for (let last = -1; last !== seen.length;) {
      last = seen.length;
      await profile.page.waitForTimeout(1500);
    }
    const files = (await Promise.all(seen)).filter((f) => f !== null);
    return {
      path: opts.path,
      js: files.filter((f) => f.kind === 'js').reduce((n, f) => n + f.gzip, 0),
      css: files.filter((f) => f.kind === 'css').reduce((n, f) => n + f.gzip, 0),
      files: files.length,
      all: files.sort((a, b) => b.gzip - a.gzip)
    };
  } finally {
    await profile.close();
  }
}

export async function benchBundle(
  stack: Stack,
  opts: { user: string; path: string; buildDir: string }
): Promise<BundleResult> {
  const { all, ...firstPage } = await firstPageSizes(stack, opts);
  const largestFirstPage = all.slice(0, 15).map(({ file, gzip }) => ({ file, gzip }));
  return { firstPage, wholeApp: await wholeAppSizes(opts.buildDir), largestFirstPage };
}
