/**
 * The winter dispatch module's server half: the road sections the gateway checks deník
 * entries against (decorated as `app.winterSections`, kept current by the change notifier).
 * `GET /api/winter/config` tells the map where its tiles come from. Its write rules live in the shared domain (`src/lib/domain/dispatch/rules.ts`).
 */
import type { FastifyInstance } from 'fastify';
import { SECTIONS_DB, SectionCache } from './section-cache';

declare module 'fastify' {
  interface FastifyInstance {
    winterSections: SectionCache;
  }
}

async function dispatchPlugin(app: FastifyInstance) {
  const sections = new SectionCache(app.couch, app.log);
  await sections.reload();
  app.decorate('winterSections', sections);
  const off = app.events.subscribe((batch) => {
    if (batch.dbs.includes(SECTIONS_DB)) void sections.reload();
  });
  app.addHook('onClose', async () => off());

  // The map's tile source: TILE_URL (a self-hosted source) or OpenStreetMap's, whose policy
  // allows viewing, not bulk download; the client caches only tiles someone viewed.
  app.get('/api/winter/config', async () => ({
    tileUrl: app.config.tileUrl ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    attribution: app.config.tileUrl ? '' : '© OpenStreetMap contributors'
  }));
}

// Not encapsulated: the gateway reads the decoration.
Object.assign(dispatchPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'winter-dispatch'
});
export default dispatchPlugin;
