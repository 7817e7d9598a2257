import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { messagesConfig } from './messages.config.ts';
import { splitMessagesPlugin } from './messages.split.ts';

/** Pages (build entries) that must share an app module before it joins the `shared` file. */
const SHARED_BY = 9;

/** Where `npm run dev` forwards `/api` and `/couch`: the sync server, one origin for cookies. */
const syncServer = process.env.SYNC_SERVER_URL ?? 'http://localhost:3000';

/**
 * `npm test` (scripts/test.ts) compiles the messages once and builds while the unit tests run:
 * compiling them again here would cost ~15 s and rewrite files those tests import.
 */
const messagesCompiled = process.env.ICT_MESSAGES_COMPILED === '1';

export default defineConfig({
  plugins: [messagesCompiled ? [] : paraglideVitePlugin(messagesConfig), splitMessagesPlugin(), sveltekit()],
  // PouchDB still reads Node's `global`; browsers only have `globalThis`.
  define: { global: 'globalThis' },
  // Dexie's own ES-module build for modern browsers, not its UMD bundle behind an import wrapper:
  // the bundler can drop what RxDB's storage does not use (1.8 KB gzip off the first page).
  resolve: {
    alias: [
      {
        find: /^dexie$/,
        replacement: fileURLToPath(new URL('./node_modules/dexie/dist/modern/dexie.mjs', import.meta.url))
      }
    ]
  },
  server: {
    proxy: {
      '/api': { target: syncServer, changeOrigin: false },
      '/couch': { target: syncServer, changeOrigin: false }
    }
  },
  // The kit's server runtime (used at build time to analyse routes) needs its own `cookie`
  // 0.6; the sync server's newer `cookie` at the top of node_modules lacks `parse`.
  ssr: { noExternal: ['cookie'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    // The size report gzips every chunk once more only to print it (bench/ measures the sizes).
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // The data layer (RxDB, its Dexie storage, mingo and their helpers) as one file, not
          // the ~20 pieces automatic splitting cuts it into: every signed-in page loads all of it,
          // and one file compresses smaller (gzip shares one dictionary). rxjs has a file of its
          // own (taken first, by priority): the frame's own code imports it, and must not pull the
          // data layer in with it, which a reload loads only after the first paint.
          groups: [
            // Vite's helper behind every dynamic import, in a file of its own: bundled into the
            // messages runtime's file (whose top-level await loads the first messages), it made
            // every module with a dynamic import wait for that load, the session's first
            // request (`hooks.client.ts`) among them.
            { name: 'preload', test: /vite[\\/]preload-helper/, priority: 3 },
            { name: 'rx', test: /node_modules[\\/](rxjs|tslib)[\\/]/, priority: 2 },
            {
              name: 'data',
              priority: 1,
              test: /node_modules[\\/](rxdb|dexie|mingo|broadcast-channel|event-reduce-js|custom-idle-queue|oblivious-set|unload|binary-decision-diagram|array-push-at-sort-position)[\\/]/
            },
            // The app's own modules that many pages share (9 of the build's ~60 entries or more),
            // in one file with Svelte's runtime: split automatically, each set of pages sharing
            // a module gave it a file of its own, and a new device's first load fetched 98 files,
            // ~4 ms of CPU each between the browser's processes and the server (a fetch of 85
            // of them took 340 ms of the machine's CPU), on the two cores its first sync needs.
            // Now 65 files; a lower count put more unneeded code on the first page (6: 123 KB).
            {
              name: 'shared',
              minShareCount: SHARED_BY,
              test: /[\\/]src[\\/]lib[\\/](domain|db|ui)[\\/].*\.ts$/
            }
          ]
        }
      }
    }
  }
});
