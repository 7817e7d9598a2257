/**
 * Scripts the benchmark injects into pages for the comparison clients: PouchDB (bundled
 * here, since pouchdb-browser 9 ships no browser bundle) and Dexie (its own UMD build).
 * Bundled once per run, in memory.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** One minified browser IIFE of an entry point; `alias` swaps Node modules for shims. */
function bundle(entry: string, alias?: Record<string, string>): Promise<string> {
  return build({
    entryPoints: [path.join(here, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    alias,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' }
  }).then((r) => r.outputFiles[0].text);
}

let pouch: Promise<string> | null = null;

export function pouchdbBundle(): Promise<string> {
  pouch ??= bundle('pouchdb-entry.ts', { events: path.join(here, 'events-shim.ts') });
  return pouch;
}

let probe: Promise<string> | null = null;

/** The list-query probe, bundled from the app's own data-layer modules. */
export function queryProbeBundle(): Promise<string> {
  probe ??= bundle('query-probe.ts');
  return probe;
}

let searchWorker: Promise<string> | null = null;

/** The app's search worker, for the probe to start from a blob as the app starts its own file. */
export function searchWorkerBundle(): Promise<string> {
  searchWorker ??= bundle('../../src/lib/ui/list/search-worker.ts');
  return searchWorker;
}

let dexie: Promise<string> | null = null;

export function dexieBundle(): Promise<string> {
  dexie ??= readFile(path.join(path.dirname(require.resolve('dexie/package.json')), 'dist', 'dexie.min.js'), 'utf8');
  return dexie;
}
