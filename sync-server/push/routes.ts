/**
 * `GET /api/push/key` (the VAPID public key), `POST /api/push/subscriptions` (the browser's
 * PushSubscription JSON with the districts chosen) and `DELETE /api/push/subscriptions`
 * (by endpoint), for the signed-in user. Thin: checks in `endpoint.ts`, storage in `store.ts`.
 */
import type { FastifyInstance } from 'fastify';
import { DISTRICTS } from '../../src/lib/domain/schemas/region';
import { requireUser } from '../auth/require-user';
import { checkSubscription } from './endpoint';
import type { PushStore } from './store';

const bad = (reason: string) => ({ error: 'bad_request', reason });

export function pushRoutes(
  app: FastifyInstance,
  store: PushStore,
  publicKey: string,
  allowedOrigins: readonly string[]
) {
  app.get('/api/push/key', { preHandler: requireUser }, async () => ({ publicKey }));

  app.post('/api/push/subscriptions', { preHandler: requireUser, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const body = (request.body ?? {}) as { subscription?: unknown; districts?: unknown };
    const sub = checkSubscription(body.subscription, allowedOrigins);
    if (typeof sub === 'string') return reply.code(400).send(bad(sub));
    const districts = body.districts;
    if (
      !Array.isArray(districts) ||
      districts.length === 0 ||
      !districts.every((d) => (DISTRICTS as readonly unknown[]).includes(d))
    )
      return reply.code(400).send(bad(`districts must be a non-empty list of ${DISTRICTS.join(', ')}`));
    const saved = await store.save(request.user!.id, sub, [...new Set(districts as string[])]);
    return reply.code(201).send({ ok: true, districts: saved.districts });
  });

  app.delete('/api/push/subscriptions', { preHandler: requireUser, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const endpoint = (request.body as { endpoint?: unknown } | undefined)?.endpoint;
    if (typeof endpoint !== 'string') return reply.code(400).send(bad('send JSON {"endpoint": "..."}'));
    const removed = await store.remove(request.user!.id, endpoint);
    return removed
      ? { ok: true }
      : reply.code(404).send({ error: 'not_found', reason: 'no subscription of yours with this endpoint' });
  });
}
