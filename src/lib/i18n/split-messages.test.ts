/**
 * The browser build's messages (messages.split.ts): the project compiled one module per
 * language, behind the `m` the app calls. Every message is in both languages, and a language
 * is used only once loaded.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileLocaleModules, messageAliases, projectLocales, splitMessagesModule } from '../../../messages.split';
import * as paraglide from '$lib/paraglide/messages';

type Msg = (inputs?: object, options?: { locale?: string }) => string;
interface Split {
  m: Record<string, Msg>;
  loadMessages(locale: string): Promise<void>;
}

let dir: string;
let split: Split;
let dictionaries: Record<string, Record<string, unknown>>;
let aliases: Map<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'split-messages-'));
  await compileLocaleModules(dir);
  const locales = await projectLocales();
  const dictionaryOf = (l: string) => path.join(dir, 'messages', `${l}.js`);
  // Next to the compiled runtime, as the build places it.
  aliases = await messageAliases(dir);
  await writeFile(path.join(dir, 'split.js'), splitMessagesModule(locales, dictionaryOf, aliases));
  split = (await import(pathToFileURL(path.join(dir, 'split.js')).href)) as Split;
  dictionaries = Object.fromEntries(
    await Promise.all(locales.map(async (l) => [l, await import(pathToFileURL(dictionaryOf(l)).href)] as const))
  );
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('messages of one language at a time', () => {
  it('holds every message of the app in each language', () => {
    const keys = Object.keys(paraglide.m).sort();
    const exported = keys.map((k) => aliases.get(k) ?? k);
    for (const dictionary of Object.values(dictionaries))
      expect(Object.keys(dictionary).sort()).toEqual(exported.sort());
  });

  it('refuses to show a language before it is loaded, then shows it, with inputs', async () => {
    expect(() => split.m.app_name({}, { locale: 'en' })).toThrow(/not loaded/);
    await split.loadMessages('en');
    expect(split.m.app_name({}, { locale: 'en' })).toBe('Regional ICT Services');
    expect(split.m.tickets_count({ count: 3 }, { locale: 'en' })).toBe(
      paraglide.m.tickets_count({ count: 3 }, { locale: 'en' })
    );
    expect(() => split.m.app_name({}, { locale: 'cs' })).toThrow(/not loaded/);
    await split.loadMessages('cs');
    expect(split.m.app_name({}, { locale: 'cs' })).toBe('Krajské ICT služby');
  });

  it('reaches a message whose key is not a safe module name', async () => {
    expect(aliases.get('assets_field_contractId')).toBeDefined();
    await split.loadMessages('en');
    expect(split.m.assets_field_contractId({}, { locale: 'en' })).toBe(
      paraglide.m.assets_field_contractId({}, { locale: 'en' })
    );
  });

  it('answers in the current language (Czech unless chosen) and names an unknown message', async () => {
    await split.loadMessages('cs');
    expect(split.m.app_name()).toBe(paraglide.m.app_name({}, { locale: 'cs' }));
    expect(() => split.m.no_such_message()).toThrow(/no message "no_such_message"/);
    expect(await Promise.resolve(split.m)).toBe(split.m);
  });

  it("reads every message as Paraglide's own modules do, in both languages", async () => {
    const own = paraglide.m as unknown as Record<string, Msg>;
    for (const locale of Object.keys(dictionaries)) {
      await split.loadMessages(locale);
      for (const key of Object.keys(own)) expect(split.m[key]({}, { locale }), key).toBe(own[key]({}, { locale }));
    }
  });
});
