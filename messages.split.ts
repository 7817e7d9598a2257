/**
 * The browser loads the messages of one language, not both.
 *
 * Paraglide compiles one module per message holding every language, and the navigation reads
 * messages by key (`m[item.label]`), so the whole catalogue of both languages reached the first
 * page (61 KB gzip). In the client build this plugin compiles the same project once more with one
 * module per language, and replaces `$lib/paraglide/messages` by a small `m` that calls into the
 * dictionary of the current language; `loadMessages(locale)` fetches a dictionary (the root
 * layout awaits it before the first render, the language switch before it switches). The service
 * worker precaches both dictionaries, so either language works offline.
 *
 * Dev, tests and type checks keep Paraglide's own modules: `m` is the same object there, and
 * `loadMessages` has nothing to do.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import { compile } from '@inlang/paraglide-js';
import { messagesConfig } from './messages.config.ts';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const MESSAGES = path.join(ROOT, messagesConfig.outdir, 'messages.js');
const OUTDIR = path.join(ROOT, '.svelte-kit', 'paraglide-locales');

/** The module that stands in for Paraglide's `messages.js` in the browser build. */
export function splitMessagesModule(
  locales: readonly string[],
  dictionaryOf: (locale: string) => string,
  /** Keys whose export in a dictionary has another name (see `messageAliases`). */
  aliases: ReadonlyMap<string, string> = new Map()
): string {
  const loaders = locales.map((l) => `${JSON.stringify(l)}: () => import(${JSON.stringify(dictionaryOf(l))})`);
  return `import { getLocale, baseLocale } from './runtime.js';
const loaders = { ${loaders.join(', ')} };
const loaded = {};
const aliases = new Map(${JSON.stringify([...aliases])});
export async function loadMessages(locale) {
  if (!loaded[locale]) loaded[locale] = await loaders[locale]();
}
const cache = new Map();
function message(key) {
  let fn = cache.get(key);
  if (!fn) {
    fn = (inputs, options) => {
      const locale = options?.locale ?? getLocale();
      const dictionary = loaded[locale];
      if (!dictionary) throw new Error('the messages of "' + locale + '" are not loaded (loadMessages)');
      const name = aliases.get(key) ?? key;
      const f = dictionary[name] ?? loaded[baseLocale]?.[name];
      if (!f) throw new Error('no message "' + key + '"');
      return f(inputs ?? {});
    };
    cache.set(key, fn);
  }
  return fn;
}
// Not a thenable: \`then\` is no message, and an awaited \`m\` must not look like a promise.
export const m = new Proxy({}, { get: (_, key) => (typeof key === 'string' && key !== 'then' ? message(key) : undefined) });
`;
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
 * A key that is not a safe module name (`assets_field_contractId`) is exported by the
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

export function splitMessagesPlugin(): Plugin {
  let compiled: Promise<void> | null = null;
  return {
    name: 'ict-split-messages',
    apply: 'build',
    enforce: 'pre',
    applyToEnvironment: (env) => env.name === 'client',
    async buildStart() {
      compiled ??= compileLocaleModules(OUTDIR);
      await compiled;
    },
    async load(id) {
      if (id !== MESSAGES) return null;
      await compiled;
      const locales = await projectLocales();
      const aliases = await messageAliases(OUTDIR);
      return splitMessagesModule(locales, (l) => path.join(OUTDIR, 'messages', `${l}.js`), aliases);
    }
  };
}
