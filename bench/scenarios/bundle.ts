/**
 * 7. Bundle: gzip size of the JavaScript and CSS the first page needs (as the browser fetched
 * it on a signed-in reload, until the landing page showed the person's data), what that reload
 * loads after it, a new device's first signed-in load and login page, and every script and
 * stylesheet in the build. Sizes are gzip level 9 of the bytes served, whatever compression the
 * server applies.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Response } from 'playwright-core';
import { freshProfile, loginProfile, type Profile } from '../lib/browser';
import type { Stack } from '../lib/stack';

export interface BundleSizes {
  js: number;
  css: number;
  files: number;
}

export interface BundleResult {
  /** A signed-in reload, before the landing page shows the person's data (see `firstPageSizes`). */
  firstPage: BundleSizes & { path: string };
  /** The same reload, after that paint, until no more scripts came. */
  afterPaint: BundleSizes;
  /** A new device's first load once signed in (first sync included), until no more scripts came. */
  firstLoad: BundleSizes;
  /** The login page of a device nobody signed in on. */
  login: BundleSizes;
  /**
   * Other people's landings (the administrator on the organizations, the desk on the queue, the
   * dispatcher on the winter desk): the reload until their data shows, and their first load.
   */
  landings: { who: string; firstPage: BundleSizes & { path: string }; firstLoad: BundleSizes }[];
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

/**
 * What shows the person's data on the landing page: the inbox's items, its empty note, the
 * ticket list's count, or the home page's "nothing to do".
 */
export const DATA_SHOWN =
  '[data-testid="inbox-item"], [data-testid="inbox-empty"], [data-testid="ticket-count"], [data-testid="queue-count"], [data-testid="page-snapshot"], [data-testid="section-board"], [data-testid="approval-list"], [data-testid="home-nothing"], [data-testid="admin-orgs"]';

/**
 * In the page: the moment (performance.now()) the landing page first shows data, and room for
 * every resource timing entry (the sync's own requests would fill the default 250).
 */
const PAINT_PROBE = `(() => {
  performance.setResourceTimingBufferSize?.(10000);
  const selector = ${JSON.stringify(DATA_SHOWN)};
  const check = () => {
    if (globalThis.__dataShownAt === undefined && document.querySelector(selector)) {
      globalThis.__dataShownAt = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** Records the scripts and stylesheets the page fetches, until none came for 1.5 s. */
async function loadUntilQuiet(page: Profile['page'], go: () => Promise<unknown>): Promise<FetchedFile[]> {
  const seen: Promise<FetchedFile | null>[] = [];
  const onResponse = (res: Response) => {
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
  };
  page.on('response', onResponse);
  try {
    await go();
    // Not `networkidle`: the signed-in app holds its event stream open, so the network never
    // idles. The page is loaded once no script or stylesheet came for 1.5 s.
    for (let last = -1; last !== seen.length;) {
      last = seen.length;
      await page.waitForTimeout(1500);
    }
    return (await Promise.all(seen)).filter((f) => f !== null).sort((a, b) => b.gzip - a.gzip);
  } finally {
    page.off('response', onResponse);
  }
}

const sizesOf = (files: FetchedFile[]): BundleSizes => ({
  js: files.filter((f) => f.kind === 'js').reduce((n, f) => n + f.gzip, 0),
  css: files.filter((f) => f.kind === 'css').reduce((n, f) => n + f.gzip, 0),
  files: files.length
});

/** The login page of a device nobody signed in on. */
export async function loginPageSizes(stack: Stack): Promise<BundleSizes> {
  const anonymous = await freshProfile();
  try {
    return sizesOf(await loadUntilQuiet(anonymous.page, () => anonymous.page.goto(`${stack.url}/login`)));
  } finally {
    await anonymous.close();
  }
}

/**
 * The first page as a person meets it every day: signed in, their data on the device, the
 * service worker installed, the app reloaded. Counted: every script and stylesheet the browser
 * asked for before the landing page showed their data (`DATA_SHOWN`); what it asked for after
 * that (the data layer, when the page painted without it) is `afterPaint`. Before the reload,
 * the profile loads the app once and waits for its first sync, as a new device does.
 */
export async function firstPageSizes(
  stack: Stack,
  opts: { user: string; path: string }
): Promise<
  BundleResult['firstPage'] & {
    all: FetchedFile[];
    afterPaint: BundleSizes;
    firstLoad: BundleSizes;
  }
> {
  const profile = await freshProfile();
  try {
    await loginProfile(profile, stack.url, opts.user);
    await profile.context.addInitScript({ content: PAINT_PROBE });
    const { page } = profile;
    const firstLoad = sizesOf(
      await loadUntilQuiet(page, () => page.goto(`${stack.url}${opts.path}`, { waitUntil: 'load' }))
    );
    // The first sync done and the landing page settled (what the device keeps for the next start).
    await page.waitForSelector(DATA_SHOWN, { timeout: 60_000 });
    // The worker is registered once the first sync settles (at most a minute: `dataSettled`), then
    // installs: the desk's first sync after scenario 4 holds some 40,000 tickets and outlasts the
    // first rows by far more than the half minute this waited before.
    await page
      .waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 150_000 })
      .catch((err: Error) => {
        throw new Error(`${opts.user} at ${opts.path}: no service worker controls the page (${err.message})`);
      });
    await page.waitForTimeout(3000);
    const all = await loadUntilQuiet(page, async () => {
      await page.goto(`${stack.url}${opts.path}`, { waitUntil: 'load' });
      await page.waitForSelector(DATA_SHOWN, { timeout: 60_000 });
    });
    const timing = await page.evaluate(() => ({
      shownAt: (globalThis as { __dataShownAt?: number }).__dataShownAt ?? Infinity,
      started: performance
        .getEntriesByType('resource')
        .map((e) => [new URL(e.name).pathname, e.startTime] as [string, number])
    }));
    const startedAt = new Map<string, number>();
    for (const [file, at] of timing.started) startedAt.set(file, Math.min(at, startedAt.get(file) ?? Infinity));
    const before = all.filter((f) => (startedAt.get(f.file) ?? Infinity) < timing.shownAt);
    const after = all.filter((f) => !before.includes(f));
    return { path: opts.path, ...sizesOf(before), all: before, afterPaint: sizesOf(after), firstLoad };
  } finally {
    await profile.close();
  }
}

export async function benchBundle(
  stack: Stack,
  opts: { user: string; path: string; buildDir: string; landings: { who: string; user: string; path: string }[] }
): Promise<BundleResult> {
  const { all, afterPaint, firstLoad, ...firstPage } = await firstPageSizes(stack, opts);
  const landings: BundleResult['landings'] = [];
  for (const l of opts.landings) {
    const {
      all: _all,
      afterPaint: _after,
      firstLoad: theirFirstLoad,
      ...theirFirstPage
    } = await firstPageSizes(stack, l);
    landings.push({ who: l.who, firstPage: theirFirstPage, firstLoad: theirFirstLoad });
  }
  const largestFirstPage = all.slice(0, 15).map(({ file, gzip }) => ({ file, gzip }));
  return {
    firstPage,
    afterPaint,
    firstLoad,
    login: await loginPageSizes(stack),
    landings,
    wholeApp: await wholeAppSizes(opts.buildDir),
    largestFirstPage
  };
}
