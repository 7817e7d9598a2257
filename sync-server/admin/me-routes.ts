/**
 * What every signed-in person may do for themselves: change the password (policy checked,
 * other sessions ended) and the language; and, without a session, set a password with the
 * one-time code an administrator handed over (first sign-in or a reset), which signs them in.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Busy } from '../auth/hash-slots';
import { requireUser } from '../auth/require-user';
import { LoginLimiter } from '../auth/login-limiter';
import { hashPassword, verifyPassword } from '../auth/users';
import type { AdminContext } from './context';
import { checkResetCode } from './reset-codes';
import { getUser, saveUser } from './user-store';
import { isStatus } from '../couch-status';

const password = { type: 'string', minLength: 1, maxLength: 1000 };
const BUSY = Symbol('busy');
const tooMany = (reply: FastifyReply, wait: number, what: string) =>
  reply
    .code(429)
    .header('retry-after', String(wait))
    .send({ error: 'too_many_requests', reason: `too many ${what}; try again in ${Math.ceil(wait / 60)} min` });

export function meRoutes(app: FastifyInstance, ctx: AdminContext) {
  const codeLimiter = new LoginLimiter({ maxFailures: 10, windowMs: 15 * 60 * 1000 });
  const currentLimiter = new LoginLimiter({ maxFailures: 10, windowMs: 15 * 60 * 1000 });
  /**
   * A password hashed or checked in the sign-in's slots (argon2 takes ~19 MiB and a core each):
   * many requests at once wait in line or are told to come back, as sign-ins are.
   */
  const hashing = async <T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | typeof BUSY> => {
    try {
      return await app.hashSlots.run(work);
    } catch (err) {
      if (!(err instanceof Busy)) throw err;
      reply.code(503).header('retry-after', String(err.retryAfterSeconds)).send({
        error: 'unavailable',
        reason: 'too many passwords are being checked right now; try again in a moment'
      });
      return BUSY;
    }
  };

  app.get('/api/me/settings', { preHandler: requireUser }, async (request) => {
    const doc = await getUser(ctx.couch, request.user!.id);
    return { language: doc?.language ?? null, name: doc?.name, email: doc?.email ?? null, phone: doc?.phone ?? null };
  });

  app.put(
    '/api/me/language',
    {
      preHandler: requireUser,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['language'],
          properties: { language: { type: 'string', enum: ['cs', 'en'] } }
        }
      }
    },
    async (request, reply) => {
      const { language } = request.body as { language: 'cs' | 'en' };
      const doc = await getUser(ctx.couch, request.user!.id);
      if (!doc) return reply.code(404).send({ error: 'not_found', reason: 'your user record is gone' });
      if (doc.language !== language) {
        try {
          await saveUser(ctx.couch, { ...doc, language });
        } catch (err) {
          if (isStatus(err, 409))
            return reply.code(409).send({ error: 'conflict', reason: 'your record changed meanwhile; try again' });
          throw err;
        }
      }
      return { language };
    }
  );

  app.post(
    '/api/me/password',
    {
      preHandler: requireUser,
      bodyLimit: 16 * 1024,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['current', 'password'],
          properties: { current: password, password }
        }
      }
    },
    async (request, reply) => {
      const { current, password: next } = request.body as { current: string; password: string };
      const username = request.user!.id;
      const wait = currentLimiter.retryAfter(username, request.ip);
      if (wait > 0) return tooMany(reply, wait, 'wrong current passwords');
      const doc = await getUser(ctx.couch, username);
      const verified = doc ? await hashing(reply, () => verifyPassword(doc.passwordHash, current)) : false;
      if (verified === BUSY) return reply;
      if (!doc || !verified) {
        currentLimiter.fail(username, request.ip);
        await ctx.record(request, {
          action: 'password.change.failed',
          target: `user:${username}`,
          detail: 'wrong current password'
        });
        return reply.code(400).send({ error: 'wrong_password', reason: 'the current password is wrong' });
      }
      currentLimiter.succeed(username, request.ip);
      const refusal = ctx.passwordRefusal(next, username);
      if (refusal) return reply.code(400).send(refusal);
      const passwordHash = await hashing(reply, () => hashPassword(next));
      if (passwordHash === BUSY) return reply;
      try {
        await saveUser(ctx.couch, {
          ...doc,
          passwordHash,
          passwordChangedAt: new Date().toISOString()
        });
      } catch (err) {
        if (isStatus(err, 409))
          return reply.code(409).send({ error: 'conflict', reason: 'your record changed meanwhile; try again' });
        throw err;
      }
      // Sessions elsewhere were opened with the old password: end them, keep this device signed in.
      await ctx.sessions.deleteUserSessions(username);
      const session = await ctx.lucia.createSession(username, {});
      reply.header('set-cookie', ctx.lucia.createSessionCookie(session.id).serialize());
      await ctx.record(request, { action: 'password.change', target: `user:${username}` });
      return { ok: true };
    }
  );

  app.post(
    '/api/auth/code',
    {
      bodyLimit: 16 * 1024,
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'code', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 100 },
            code: { type: 'string', minLength: 1, maxLength: 40 },
            password
          }
        }
      }
    },
    async (request, reply) => {
      const body = request.body as { username: string; code: string; password: string };
      const username = body.username.trim().toLowerCase();
      const wait = codeLimiter.retryAfter(username, request.ip);
      if (wait > 0) return tooMany(reply, wait, 'wrong codes');
      const doc = await getUser(ctx.couch, username);
      const problem = doc && !doc.disabled ? checkResetCode(doc.reset, body.code) : 'wrong';
      const audit = (action: string, detail?: string) =>
        ctx.audit.append({
          actor: username,
          ip: request.ip,
          action,
          target: `user:${username}`,
          ...(detail ? { detail } : {})
        });
      if (problem) {
        codeLimiter.fail(username, request.ip);
        await audit('password.code.failed', problem);
        return problem === 'expired'
          ? reply.code(400).send({
              error: 'invalid_code',
              code: 'expired',
              reason: 'the code has expired (codes are valid 24 hours); ask the administrator for a new one'
            })
          : reply
              .code(400)
              .send({ error: 'invalid_code', code: 'wrong', reason: 'the code is wrong or was already used' });
      }
      const refusal = ctx.passwordRefusal(body.password, username);
      if (refusal) return reply.code(400).send(refusal);
      const { reset, ...rest } = doc!;
      void reset;
      const passwordHash = await hashing(reply, () => hashPassword(body.password));
      if (passwordHash === BUSY) return reply;
      try {
        // One write spends the code and sets the password: a second use meets a 409 or no code.
        await saveUser(ctx.couch, {
          ...rest,
          passwordHash,
          passwordChangedAt: new Date().toISOString()
        });
      } catch (err) {
        if (isStatus(err, 409))
          return reply
            .code(400)
            .send({ error: 'invalid_code', code: 'wrong', reason: 'the code is wrong or was already used' });
        throw err;
      }
      codeLimiter.succeed(username, request.ip);
      const session = await ctx.lucia.createSession(username, {});
      reply.header('set-cookie', ctx.lucia.createSessionCookie(session.id).serialize());
      await audit('password.code.used');
      return { user: { id: username, name: rest.name, memberships: rest.memberships } };
    }
  );
}
