/**
 * The browser loads the messages of one language, and of those only the groups its code uses.
 *
 * Paraglide compiles one module per message holding every language, and the navigation reads
 * messages by key (`m[item.label]`), so the whole catalogue of both languages reached the first
 * page (61 KB gzip); one dictionary per language still put every module's messages there (25 KB).
 * In the client build this plugin compiles the project once more per language and cuts each
 * language into groups by the key's module prefix (`tickets_…`, `admin_…`; the small prefixes
 * share one `common` group), each a dictionary module of its own. Every source module of the app
 * that names a group's key or prefix (`m.admin_title`, `` `assets_kind_${k}` ``, `'nav_tickets'`)
 * gets an import of that group's tiny "require" module, whose top-level `await` fetches the
 * group in the current language: a route's messages arrive with the route's code, before it
 * renders. `$lib/paraglide/messages` becomes a small `m` that reads the loaded groups;
 * `loadMessages(locale)` fetches every group asked for so far in another language (the language
 * switch awaits it, and the printed approval sheet asks for Czech). The service worker precaches
 * every group of both languages, so either language works offline.
 *
 * Dev, tests and type checks keep Paraglide's own modules: `m` is the same object there, and
 * `loadMessages` has nothing to do.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import { compile } from '@inlang/paraglide-js';
import { messagesConfig } from './messages.config.ts';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const MESSAGES = path.join(ROOT, messagesConfig.outdir, 'messages.js');
const PARAGLIDE_DIR = path.join(ROOT, messagesConfig.outdir);
const OUTDIR = path.join(ROOT, '.svelte-kit', 'paraglide-locales');

/** A prefix with at least this many keys is a group of its own; smaller ones share `common`. */
export const OWN_GROUP_MIN_KEYS = 25;
export const COMMON = 'common';

const prefixOf = (key: string) => (key.includes('_') ? key.slice(0, key.indexOf('_')) : '');

export interface MessageGroups {
  /** Group of every key. */
  groupOf: ReadonlyMap<string, string>;
  /** Group of every key prefix (the text before the first `_`). */
  prefixes: ReadonlyMap<string, string>;
  /** Keys without a prefix (`loading`, `cancel`): in `common`. */
  bare: readonly string[];
  groups: readonly string[];
}

export function groupMessages(keys: readonly string[]): MessageGroups {
  const count = new Map<string, number>();
  for (const k of keys) count.set(prefixOf(k), (count.get(prefixOf(k)) ?? 0) + 1);
  const prefixes = new Map<string, string>();
  for (const [p, n] of count) if (p) prefixes.set(p, n >= OWN_GROUP_MIN_KEYS ? p : COMMON);
  const groupOf = new Map(keys.map((k) => [k, prefixes.get(prefixOf(k)) ?? COMMON]));
  return {
    groupOf,
    prefixes,
    bare: keys.filter((k) => !prefixOf(k)),
    groups: [...new Set(groupOf.values())].sort()
  };
}

/**
 * The groups a module's code needs: every group one of whose prefixes it names followed by `_`
 * (a key, or the start of a key built at run time), and `common` for a bare key it names.
 * Naming more than it shows only loads a group early; naming less would fail at render, so the
 * match is on text, not on how the key is used.
 */
export function groupsUsedBy(code: string, g: MessageGroups): string[] {
  const out = new Set<string>();
  const word = /[A-Za-z0-9_$]/;
  for (const match of code.matchAll(/[a-z][a-z0-9]*_/g)) {
    if (match.index > 0 && word.test(code[match.index - 1]!)) continue;
    const group = g.prefixes.get(match[0].slice(0, -1));
    if (group) out.add(group);
  }
  for (const key of g.bare) if (new RegExp(`(?<![\\w$])${key}(?![\\w$])`).test(code)) out.add(COMMON);
  return [...out].sort();
}

/**
 * A module whose source holds this line names no message, whatever its code's words say: its
 * identifiers and paths that read like keys (`logout`, `session_…`) give it no group. Only for
 * modules that cannot reach `m` (`split-messages.test.ts` checks that they import no messages):
 * such a module loads at once, not after the messages' top-level `await` (the session's first
 * request, `hooks.client.ts`, waited for it).
 */
export const NO_MESSAGES = '// messages: none';

export function declaresNoMessages(source: string): boolean {
  return source.split('\n').some((line) => line.trim() === NO_MESSAGES);
}

/** Paraglide's one-module-per-language output of the project, in `outdir`. */
export async function compileLocaleModules(outdir: string): Promise<void> {
  await compile({
    ...messagesConfig,
    project: path.join(ROOT, messagesConfig.project),
    outdir,
    outputStructure: 'locale-modules',
    emitTsDeclarations: false,
    emitGitIgnore: false
  });
}

/**
 * A key that is not a safe module name (`assets_field_contractId`) is exported by the compiled
 * dictionaries under Paraglide's safe name (`assets_field_contractid1`); its own index of the
 * compiled output maps one to the other.
 */
export async function messageAliases(outdir: string): Promise<Map<string, string>> {
  const index = await readFile(path.join(outdir, 'messages', '_index.js'), 'utf8');
  return new Map([...index.matchAll(/export \{ (\w+) as "([^"]+)" \}/g)].map(([, safe, key]) => [key, safe]));
}

export async function projectLocales(): Promise<readonly string[]> {
  const settings = JSON.parse(await readFile(path.join(ROOT, messagesConfig.project, 'settings.json'), 'utf8'));
  return (settings as { locales: readonly string[] }).locales;
}

/** A message without inputs, as Paraglide compiles it: its text is all the dictionary needs. */
const PLAIN =
  /^\/\*\* @type \{[^}]*\} \*\/ \(\) => \{\n\treturn \/\*\* @type \{LocalizedString\} \*\/ \((`(?:[^`\\$]|\\.|\$(?!\{))*`)\)\n\}$/;

/**
 * One compiled language (`messages/<locale>.js`) as its messages, key → value source: a plain
 * text as a template literal, anything with inputs as Paraglide's own function.
 */
export function parseDictionary(compiled: string, keyOf: (exported: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of compiled.split(/\n(?=export const )/).slice(1)) {
    const m = /^export const (\w+) = ([\s\S]*?);\s*$/.exec(block);
    if (!m) throw new Error(`messages: cannot read the compiled message ${block.slice(0, 80)}`);
    const value = m[2]!.trim();
    if (/\b(getLocale|experimentalStaticLocale)\b/.test(value))
      throw new Error(`messages: ${m[1]} depends on the runtime; the split dictionaries cannot hold it`);
    out.set(keyOf(m[1]!), PLAIN.exec(value)?.[1] ?? value);
  }
  return out;
}

export function dictionaryModule(entries: Iterable<[string, string]>): string {
  const body = [...entries].map(([k, v]) => `  ${JSON.stringify(k)}: ${v}`).join(',\n');
  return `export default {\n${body}\n};\n`;
}

/** The module that stands in for Paraglide's `messages.js` in the browser build. */
export function splitMessagesModule(
  locales: readonly string[],
  groups: readonly string[],
  dictionaryOf: (locale: string, group: string) => string,
  runtime = './runtime.js'
): string {
  const loaders = locales.map(
    (l) =>
      `${JSON.stringify(l)}: { ${groups.map((g) => `${JSON.stringify(g)}: () => import(${JSON.stringify(dictionaryOf(l, g))})`).join(', ')} }`
  );
  return `import { getLocale, baseLocale } from ${JSON.stringify(runtime)};
const loaders = { ${loaders.join(',\n')} };
const dictionaries = {};
const loading = new Map();
const asked = new Set();
function load(locale, group) {
  const id = locale + '/' + group;
  let p = loading.get(id);
  if (!p) {
    if (!loaders[locale]?.[group]) throw new Error('no messages "' + id + '"');
    p = loaders[locale][group]().then((mod) => Object.assign((dictionaries[locale] ??= {}), mod.default));
    // A failed fetch (offline before the service worker held it) may be tried again.
    p.catch(() => loading.delete(id));
    loading.set(id, p);
  }
  return p;
}
/** A module's messages in the current language, before it runs (its require module awaits this). */
export async function requireGroup(group) {
  asked.add(group);
  await load(getLocale(), group);
}
/** Every group asked for so far, in \`locale\` (also those asked for while loading). */
export async function loadMessages(locale) {
  let n;
  do {
    n = asked.size;
    await Promise.all([...asked].map((g) => load(locale, g)));
  } while (asked.size !== n);
}
const cache = new Map();
function message(key) {
  let fn = cache.get(key);
  if (!fn) {
    fn = (inputs, options) => {
      const locale = options?.locale ?? getLocale();
      const dictionary = dictionaries[locale];
      if (!dictionary) throw new Error('the messages of "' + locale + '" are not loaded (loadMessages)');
      const f = dictionary[key] ?? dictionaries[baseLocale]?.[key];
      if (f === undefined) throw new Error('no message "' + key + '" loaded in "' + locale + '"');
      return typeof f === 'string' ? f : f(inputs ?? {});
    };
    cache.set(key, fn);
  }
  return fn;
}
// Not a thenable: \`then\` is no message, and an awaited \`m\` must not look like a promise.
export const m = new Proxy({}, { get: (_, key) => (typeof key === 'string' && key !== 'then' ? message(key) : undefined) });
`;
}

export const requireModule = (messagesModule: string, group: string) =>
  `import { requireGroup } from ${JSON.stringify(messagesModule)};\nawait requireGroup(${JSON.stringify(group)});\n`;

export interface SplitOutput {
  groups: MessageGroups;
  locales: readonly string[];
  dictionaryOf(locale: string, group: string): string;
  requireOf(group: string): string;
}

/**
 * Compiles the project per language into `outdir` and writes the dictionary of every group in
 * every language (`groups/<locale>/<group>.js`) and each group's require module
 * (`require/<group>.js`, importing `messagesModule`).
 */
export async function writeSplitMessages(outdir: string, messagesModule: string): Promise<SplitOutput> {
  await compileLocaleModules(outdir);
  const locales = await projectLocales();
  const keyOf = new Map([...(await messageAliases(outdir))].map(([key, safe]) => [safe, key]));
  const byLocale = new Map<string, Map<string, string>>();
  for (const l of locales) {
    const compiled = await readFile(path.join(outdir, 'messages', `${l}.js`), 'utf8');
    byLocale.set(
      l,
      parseDictionary(compiled, (k) => keyOf.get(k) ?? k)
    );
  }
  const groups = groupMessages([...byLocale.get(locales[0]!)!.keys()]);
  const dictionaryOf = (l: string, g: string) => path.join(outdir, 'groups', l, `${g}.js`);
  const requireOf = (g: string) => path.join(outdir, 'require', `${g}.js`);
  await mkdir(path.join(outdir, 'require'), { recursive: true });
  for (const l of locales) {
    await mkdir(path.join(outdir, 'groups', l), { recursive: true });
    const entries = [...byLocale.get(l)!];
    for (const g of groups.groups) {
      const mine = entries.filter(([k]) => (groups.groupOf.get(k) ?? COMMON) === g);
      await writeFile(dictionaryOf(l, g), dictionaryModule(mine));
    }
  }
  for (const g of groups.groups) await writeFile(requireOf(g), requireModule(messagesModule, g));
  return { groups, locales, dictionaryOf, requireOf };
}

/** The app's own source modules, whose messages the plugin looks for (not Paraglide's, not the worker). */
function isAppModule(id: string): boolean {
  const file = id.split('?')[0]!;
  if (/[?&](type=style|url|raw|worker|inline)\b/.test(id)) return false;
  return (
    file.startsWith(path.join(ROOT, 'src') + path.sep) &&
    !file.startsWith(PARAGLIDE_DIR + path.sep) &&
    !file.endsWith('service-worker.ts') &&
    /\.(svelte|ts|js)$/.test(file)
  );
}

export function splitMessagesPlugin(): Plugin {
  let split: Promise<SplitOutput> | null = null;
  return {
    name: 'ict-split-messages',
    apply: 'build',
    enforce: 'pre',
    applyToEnvironment: (env) => env.name === 'client',
    async buildStart() {
      split ??= writeSplitMessages(OUTDIR, MESSAGES);
      await split;
    },
    async load(id) {
      if (id !== MESSAGES) return null;
      const s = await split!;
      return splitMessagesModule(s.locales, s.groups.groups, s.dictionaryOf);
    },
    // After the other plugins: Svelte components are JavaScript by then, and their message keys still there.
    transform: {
      order: 'post',
      async handler(code, id) {
        if (!isAppModule(id)) return null;
        const s = await split!;
        const used = groupsUsedBy(code, s.groups);
        if (used.length === 0) return null;
        // Read from the source: the compiled code has lost its line comments, the declaration among them.
        if (id.endsWith('.ts') && declaresNoMessages(await readFile(id.split('?')[0]!, 'utf8'))) return null;
        const imports = used.map((g) => `import ${JSON.stringify(s.requireOf(g))};`).join('');
        // One line, prepended: the source map only shifts by it.
        return { code: `${imports}${code}`, map: null };
      }
    }
  };
}
