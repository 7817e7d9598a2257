/**
 * `GET /api/push/key` (the VAPID public key), `POST /api/push/subscriptions` (the browser's
 * PushSubscription JSON with the winter districts chosen and/or `reminders: true` for the
 * inbox's reminders; what is left out is kept), `GET /api/push/subscriptions?endpoint=` (what
 * this device receives) and `DELETE /api/push/subscriptions` (by endpoint), for the signed-in user. Thin: checks in `endpoint.ts`, storage in `store.ts`.
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
    const body = (request.body ?? {}) as {
      subscription?: unknown;
      districts?: unknown;
      reminders?: unknown;
      locale?: unknown;
    };
    const sub = checkSubscription(body.subscription, allowedOrigins);
    if (typeof sub === 'string') return reply.code(400).send(bad(sub));
    const { districts, reminders, locale } = body;
    if (
      districts !== undefined &&
      (!Array.isArray(districts) || !districts.every((d) => (DISTRICTS as readonly unknown[]).includes(d)))
    )
      return reply.code(400).send(bad(`districts must be a list of ${DISTRICTS.join(', ')}`));
    if (reminders !== undefined && typeof reminders !== 'boolean')
      return reply.code(400).send(bad('reminders must be true or false'));
    if (locale !== undefined && locale !== 'cs' && locale !== 'en')
      return reply.code(400).send(bad('locale must be cs or en'));
    const chosen = districts === undefined ? undefined : [...new Set(districts as string[])];
    const had = await store.mine(request.user!.id, sub.endpoint);
    const willHave = {
      districts: chosen ?? had?.districts ?? [],
      reminders: (reminders as boolean | undefined) ?? had?.reminders === true
    };
    if (willHave.districts.length === 0 && !willHave.reminders)
      return reply
        .code(400)
        .send(bad(`choose districts (${DISTRICTS.join(', ')}) for winter alerts or reminders: true, or unsubscribe`));
    const saved = await store.save(request.user!.id, sub, chosen, {
      reminders: reminders as boolean | undefined,
      locale: locale as 'cs' | 'en' | undefined
    });
    return reply.code(201).send({ ok: true, districts: saved.districts, reminders: saved.reminders === true });
  });

  app.get('/api/push/subscriptions', { preHandler: requireUser }, async (request, reply) => {
    const endpoint = (request.query as { endpoint?: unknown }).endpoint;
    if (typeof endpoint !== 'string') return reply.code(400).send(bad('give ?endpoint=<the subscription endpoint>'));
    const mine = await store.mine(request.user!.id, endpoint);
    if (!mine)
      return reply.code(404).send({ error: 'not_found', reason: 'no subscription of yours with this endpoint' });
    return { districts: mine.districts, reminders: mine.reminders === true, locale: mine.locale ?? 'cs' };
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
