import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { messagesConfig } from './messages.config.ts';

/** Where `npm run dev` forwards `/api` and `/couch`: the sync server, one origin for cookies. */
const syncServer = process.env.SYNC_SERVER_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [paraglideVitePlugin(messagesConfig), sveltekit()],
  // PouchDB still reads Node's `global`; browsers only have `globalThis`.
  define: { global: 'globalThis' },
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
    rolldownOptions: {
      output: {
        // Paraglide compiles one module per message; left alone they scatter over ~75 chunks
        // of about 1 KB on the first page (one per combination of routes using them), which
        // gzip badly. All messages together are one chunk of 42 KB gzip, less than the first
        // page's share of the scattered ones (~50 KB), fetched once and cached for every route.
        // Split by module it does not shrink: the shell's navigation and sync details already
        // use messages of every module.
        codeSplitting: { groups: [{ name: 'messages', test: /src[\\/]lib[\\/]paraglide[\\/]messages[\\/]/ }] }
      }
    }
  }
});
