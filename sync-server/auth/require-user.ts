import type { FastifyReply, FastifyRequest } from 'fastify';

/** preHandler for routes that need a signed-in user. */
export async function requireUser(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user) return reply.code(401).send({ error: 'unauthorized', reason: 'sign in first (no valid session)' });
}
