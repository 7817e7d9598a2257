/**
 * How the Paraglide messages are compiled into `src/lib/paraglide`: shared by the Vite plugin
 * (build, dev) and `npm run check`, which needs the generated modules before any build ran.
 */
import type { CompilerOptions } from '@inlang/paraglide-js';

export const messagesConfig = {
  project: './project.inlang',
  outdir: './src/lib/paraglide',
  // The app is client-only: the choice persists per device, then follows the browser, then Czech.
  strategy: ['localStorage', 'preferredLanguage', 'baseLocale'],
  localStorageKey: 'ict.locale',
  emitTsDeclarations: true
} satisfies CompilerOptions;

/** Compiles the messages outside Vite (the Vite plugin writes the same files). */
export async function compileMessages(): Promise<void> {
  const { compile } = await import('@inlang/paraglide-js');
  await compile(messagesConfig);
}

// `tsx messages.config.ts` (the first step of `npm run check`) compiles them once.
if (import.meta.url === `file://${process.argv[1]}`) await compileMessages();
