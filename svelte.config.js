import staticAdapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { writePrecachePack } from './scripts/write-precache-pack.js';

/** A single-page app: every route renders in the browser, the server falls back to index.html. */
const pages = staticAdapter({
  pages: 'build',
  assets: 'build',
  fallback: 'index.html',
  precompress: true,
  strict: true
});

/** The static adapter, then the service worker's precache pack of the files it wrote. */
/** @type {import('@sveltejs/kit').Adapter} */
const adapter = {
  ...pages,
  async adapt(builder) {
    await pages.adapt(builder);
    const { files, bytes } = await writePrecachePack(
      'build',
      builder.config.kit.appDir,
      builder.config.kit.version.name
    );
    builder.log.minor(`Precache pack: ${files} files, ${(bytes / 1e6).toFixed(2)} MB`);
  }
};

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter,
    serviceWorker: { register: false },
    alias: { $paraglide: 'src/lib/paraglide' }
  }
};

export default config;
