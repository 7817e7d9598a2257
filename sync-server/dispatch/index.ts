/**
 * The winter dispatch module's server half: the road sections the gateway checks deník
 * entries against (decorated as `app.winterSections`, kept current by the change notifier).
 * Its write rules live in the shared domain (`src/lib/domain/dispatch/rules.ts`).
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
}

// Not encapsulated: the gateway reads the decoration.
Object.assign(dispatchPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'winter-dispatch'
});
export default dispatchPlugin;
