/** GET /api/health: the server's and CouchDB's state, for monitoring and load balancers. */
import type { FastifyInstance } from 'fastify';

const COUCH_TIMEOUT_MS = 2_000;

export default async function healthRoute(app: FastifyInstance): Promise<void> {
  app.get('/api/health', async (_request, reply) => {
    const mode = app.couchMode;
    let couch: { ok: boolean; mode: string; version?: string; error?: string };
    try {
      const info = await Promise.race([
        app.couch.info(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('CouchDB did not answer in time')), COUCH_TIMEOUT_MS).unref())
      ]);
      couch = { ok: true, mode, version: String(info.version ?? '') };
    } catch (err) {
      couch = { ok: false, mode, error: (err as Error).message };
    }
    const body = {
      status: couch.ok ? 'ok' : 'unavailable',
      couch,
      events: { following: app.events.connected },
      orgs: app.orgs.list().length,
      uptime: Math.round(process.uptime())
    };
    return reply.code(couch.ok ? 200 : 503).send(body);
  });
}
