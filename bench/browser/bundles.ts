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

let pouch: Promise<string> | null = null;

export function pouchdbBundle(): Promise<string> {
  pouch ??= build({
    entryPoints: [path.join(here, 'pouchdb-entry.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    alias: { events: path.join(here, 'events-shim.ts') },
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' }
  }).then((r) => r.outputFiles[0].text);
  return pouch;
}

let probe: Promise<string> | null = null;

/** The list-query probe, bundled from the app's own data-layer modules. */
export function queryProbeBundle(): Promise<string> {
  probe ??= build({
    entryPoints: [path.join(here, 'query-probe.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' }
  }).then((r) => r.outputFiles[0].text);
  return probe;
}

export function dexieBundle(): Promise<string> {
  return readFile(path.join(path.dirname(require.resolve('dexie/package.json')), 'dist', 'dexie.min.js'), 'utf8');
}
