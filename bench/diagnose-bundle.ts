/**
 * Where the first page's bytes come from (scenario 7), for explaining its size: the files the
 * browser fetched signed in as the requester (or `--user`, reloading `--path`), each split by its source map into the modules it
 * was built from, and each module's share of the file's gzip size given in proportion to its
 * share of the file's bytes. Needs a build with source maps:
 *
 *   npx vite build --sourcemap && tsx bench/diagnose-bundle.ts [--modules 40] [--user helpdesk --path /tickets]
 *
 * (Rebuild without `--sourcemap` afterwards: the service worker would precache the maps.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL } from './config';
import { startStack } from './lib/stack';
import { firstPageSizes, type FetchedFile } from './scenarios/bundle';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = path.resolve(ROOT, process.env.BENCH_STATIC_DIR ?? 'build');
const KB = 1024;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Map([...B64].map((c, i) => [c, i]));

/** One line of a source map's `mappings`: [generated column, source index or -1] per segment. */
function decodeLine(line: string, state: { source: number }): [number, number][] {
  const out: [number, number][] = [];
  let column = 0;
  for (const segment of line.split(',')) {
    if (!segment) continue;
    const fields: number[] = [];
    let value = 0;
    let shift = 0;
    for (const c of segment) {
      const digit = B64_VALUE.get(c) ?? 0;
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    column += fields[0] ?? 0;
    if (fields.length >= 4) state.source += fields[1]!;
    out.push([column, fields.length >= 4 ? state.source : -1]);
  }
  return out;
}

/** Bytes of a generated file per source, from its source map (`(unmapped)` for the rest). */
function bytesBySource(code: string, map: { sources: string[]; mappings: string }): Map<string, number> {
  const bytes = new Map<string, number>();
  const add = (k: string, n: number) => bytes.set(k, (bytes.get(k) ?? 0) + n);
  const lines = code.split('\n');
  const mapped = map.mappings.split(';');
  const state = { source: 0 };
  lines.forEach((text, i) => {
    const segments = decodeLine(mapped[i] ?? '', state);
    const len = Buffer.byteLength(text) + 1;
    if (segments.length === 0) return add('(unmapped)', len);
    add('(unmapped)', segments[0]![0]);
    segments.forEach(([col, src], j) => {
      const end = j + 1 < segments.length ? segments[j + 1]![0] : len;
      add(src >= 0 ? (map.sources[src] ?? '(unmapped)') : '(unmapped)', Math.max(0, end - col));
    });
  });
  return bytes;
}

/** A module's group: its npm package, or the app's own directory. */
export function groupOf(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = source.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (source.includes('paraglide-locales')) return 'messages (one language)';
  if (source.includes('src/lib/paraglide')) return 'messages (runtime)';
  if (source.includes('.svelte-kit/generated')) return '@sveltejs/kit (generated)';
  const src = source.indexOf('src/');
  if (src < 0) return source;
  const parts = source.slice(src).split('/');
  return parts.slice(0, parts[1] === 'routes' ? 3 : 3).join('/');
}

const moduleName = (source: string) => {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) return source.slice(nm + 'node_modules/'.length);
  return source.replace(/^(\.\.\/)+/, '');
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const top = Number(option('--modules')) || 40;
  const stack = await startStack();
  let files: FetchedFile[];
  try {
    files = (await firstPageSizes(stack, { user: option('--user') ?? FULL.requester, path: option('--path') ?? '/' }))
      .all;
  } finally {
    await stack.close();
  }
  const groups = new Map<string, number>();
  const modules = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  let withoutMap = 0;
  console.log('first page files (gzip KB):');
  for (const f of files) {
    const file = path.join(BUILD, f.file);
    const code = await readFile(file, 'utf8');
    const map = await readFile(`${file}.map`, 'utf8').then(
      (t) => JSON.parse(t) as { sources: string[]; mappings: string },
      () => null
    );
    if (!map) {
      withoutMap += f.gzip;
      add(groups, f.kind === 'css' ? '(css without map)' : '(no source map)', f.gzip);
      console.log(`  ${(f.gzip / KB).toFixed(1).padStart(6)}  ${f.file}`);
      continue;
    }
    const bytes = bytesBySource(code, map);
    const raw = [...bytes.values()].reduce((a, b) => a + b, 0);
    const parts = [...bytes].sort((a, b) => b[1] - a[1]);
    const main = parts
      .slice(0, 3)
      .map(([s, n]) => `${moduleName(s)} ${Math.round((n / raw) * 100)}%`)
      .join(', ');
    console.log(`  ${(f.gzip / KB).toFixed(1).padStart(6)}  ${f.file}  (${main})`);
    for (const [source, n] of bytes) {
      const share = (n / raw) * f.gzip;
      add(groups, groupOf(source), share);
      add(modules, moduleName(source), share);
    }
  }
  const total = files.reduce((n, f) => n + f.gzip, 0);
  const print = (title: string, m: Map<string, number>, limit: number) => {
    console.log(`\n${title}:`);
    for (const [k, n] of [...m].sort((a, b) => b[1] - a[1]).slice(0, limit))
      console.log(`  ${(n / KB).toFixed(1).padStart(6)}  ${k}`);
  };
  console.log(`\nfirst page: ${(total / KB).toFixed(1)} KB gzip in ${files.length} files`);
  if (withoutMap) console.log(`(${(withoutMap / KB).toFixed(1)} KB in files without a source map)`);
  print('by package or directory (gzip KB)', groups, 60);
  print(`largest modules (gzip KB)`, modules, top);
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
