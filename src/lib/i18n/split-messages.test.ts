/**
 * The browser build's messages (messages.split.ts): the project compiled per language and cut
 * into groups by module, behind the `m` the app calls. Every message is in both languages and
 * in exactly one group, a group is used only once loaded, and a module's code names the groups
 * it needs.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMON,
  declaresNoMessages,
  groupMessages,
  groupsUsedBy,
  splitMessagesModule,
  writeSplitMessages,
  type SplitOutput
} from '../../../messages.split';
import * as paraglide from '$lib/paraglide/messages';

type Msg = (inputs?: object, options?: { locale?: string }) => string;
interface Split {
  m: Record<string, Msg>;
  requireGroup(group: string): Promise<void>;
  loadMessages(locale: string): Promise<void>;
}

const own = paraglide.m as unknown as Record<string, Msg>;
let dir: string;
let out: SplitOutput;
let split: Split;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'split-messages-'));
  // Next to the compiled runtime, as the build places it.
  const module = path.join(dir, 'split.js');
  out = await writeSplitMessages(dir, module);
  await writeFile(module, splitMessagesModule(out.locales, out.groups.groups, out.dictionaryOf));
  split = (await import(pathToFileURL(module).href)) as Split;
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

const dictionary = async (locale: string, group: string) =>
  ((await import(pathToFileURL(out.dictionaryOf(locale, group)).href)) as { default: Record<string, unknown> }).default;

describe('messages of one language and one module at a time', () => {
  it('holds every message of the app in each language, each in exactly one group', async () => {
    const keys = Object.keys(own).sort();
    for (const locale of out.locales) {
      const seen: string[] = [];
      for (const g of out.groups.groups) seen.push(...Object.keys(await dictionary(locale, g)));
      expect(seen.sort()).toEqual(keys);
    }
  });

  it('gives a large module its own group and lets the small ones share one', () => {
    const g = groupMessages([
      ...Array.from({ length: 25 }, (_, i) => `big_${i}`),
      ...Array.from({ length: 24 }, (_, i) => `small_${i}`),
      'loading'
    ]);
    expect(g.groups).toEqual(['big', COMMON]);
    expect(g.groupOf.get('small_3')).toBe(COMMON);
    expect(g.groupOf.get('loading')).toBe(COMMON);
    expect(out.groups.groupOf.get('admin_title')).toBe('admin');
  });

  it.each([
    ['m.admin_users_title()', ['admin']],
    ['(m as Msg)[`assets_kind_${k}`]?.()', ['assets']],
    ["{ href: '/tickets', label: 'nav_tickets' }", [COMMON]],
    ['$.text(m.loading())', [COMMON]],
    ['m.winter_title(); m.admin_title()', ['admin', 'winter']],
    ['const myadmin_x = unloading + loadingBar', []]
  ])('a module naming %s needs %j', (code, groups) => {
    expect(groupsUsedBy(code, out.groups)).toEqual(groups);
  });

  it('leaves out a module that declares it names no message, and only one that imports none', async () => {
    expect(declaresNoMessages('/** Calls. */\n// messages: none\nexport function logout() {}')).toBe(true);
    expect(declaresNoMessages('// messages: none of these are keys\nm.logout()')).toBe(false);
    const root = path.resolve(import.meta.dirname, '../..');
    const files = (await readdir(root, { recursive: true })).filter((f) => /\.(ts|svelte)$/.test(f));
    const declared: string[] = [];
    for (const file of files) {
      const source = await readFile(path.join(root, file), 'utf8');
      if (!declaresNoMessages(source)) continue;
      declared.push(file);
      // Without `m` it cannot show a message: the rule cannot hide one it needs.
      expect(source, file).not.toMatch(/from '[^']*(i18n|paraglide\/messages)[^']*'/);
    }
    expect(declared).toContain('lib/api.ts');
  });

  it('gives no group to any module the client hooks load before they ask for the session', async () => {
    // The modules `hooks.client.ts` imports statically, through their static imports (a dynamic
    // import does not hold the hooks back): a group there makes `/api/me` wait for its messages.
    const root = path.resolve(import.meta.dirname, '../../..');
    const resolveImport = (from: string, spec: string): string | null => {
      const base = spec.startsWith('$lib/')
        ? path.join(root, 'src/lib', spec.slice(5))
        : spec.startsWith('.')
          ? path.resolve(path.dirname(from), spec)
          : null;
      if (!base) return null;
      for (const file of [base, `${base}.ts`, path.join(base, 'index.ts')])
        if (/\.ts$/.test(file) && existsSync(file)) return file;
      return null;
    };
    const seen = new Map<string, string[]>();
    const walk = async (file: string) => {
      if (seen.has(file)) return;
      const source = await readFile(file, 'utf8');
      seen.set(file, declaresNoMessages(source) ? [] : groupsUsedBy(source, out.groups));
      for (const [, spec] of source.matchAll(/^import\s+(?!type\s)(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
        const next = resolveImport(file, spec!);
        if (next) await walk(next);
      }
    };
    await walk(path.join(root, 'src/hooks.client.ts'));
    expect(seen.size).toBeGreaterThan(3);
    const withGroups = [...seen]
      .filter(([, groups]) => groups.length > 0)
      .map(([f, g]) => `${path.relative(root, f)}: ${g}`);
    expect(withGroups).toEqual([]);
  });

  it('refuses a message before its group is loaded, then shows it in the current language, with inputs', async () => {
    // Node has neither localStorage nor a preferred language: the current language is Czech.
    expect(() => split.m.app_name()).toThrow(/not loaded/);
    await import(pathToFileURL(out.requireOf(COMMON)).href);
    expect(split.m.app_name()).toBe('Krajské ICT služby');
    expect(() => split.m.app_name({}, { locale: 'en' })).toThrow(/not loaded/);
    expect(() => split.m.admin_title()).toThrow(/no message "admin_title" loaded in "cs"/);
    await split.requireGroup('admin');
    expect(split.m.admin_title()).toBe(own.admin_title!({}, { locale: 'cs' }));
    expect(await Promise.resolve(split.m)).toBe(split.m);
  });

  it('loads every group asked for so far in another language', async () => {
    await split.loadMessages('en');
    expect(split.m.app_name({}, { locale: 'en' })).toBe('Regional ICT Services');
    expect(split.m.admin_title({}, { locale: 'en' })).toBe(own.admin_title!({}, { locale: 'en' }));
    expect(split.m.tickets_count({ count: 3 }, { locale: 'en' })).toBe(
      own.tickets_count!({ count: 3 }, { locale: 'en' })
    );
  });

  it('reaches a message whose key is not a safe module name', async () => {
    await split.requireGroup('assets');
    expect(split.m.assets_field_contractId({}, { locale: 'cs' })).toBe(
      own.assets_field_contractId!({}, { locale: 'cs' })
    );
  });

  it("reads every message as Paraglide's own modules do, in both languages", async () => {
    for (const g of out.groups.groups) await split.requireGroup(g);
    for (const locale of out.locales) {
      await split.loadMessages(locale);
      for (const key of Object.keys(own))
        expect(split.m[key]!({ count: 2, name: 'X' }, { locale }), key).toBe(
          own[key]!({ count: 2, name: 'X' }, { locale })
        );
    }
  });
});
