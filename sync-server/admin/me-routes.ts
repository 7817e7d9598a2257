/**
 * What every signed-in person may do for themselves: change the password (policy checked,
 * other sessions ended) and the language; and, without a session, set a password with the
 * one-time code an administrator handed over (first sign-in or a reset), which signs them in.
 */
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/require-user';
import { LoginLimiter } from '../auth/login-limiter';
import { hashPassword, verifyPassword } from '../auth/users';
import { isStatus, type AdminContext } from './context';
import { checkResetCode } from './reset-codes';
import { getUser, saveUser } from './user-store';

const password = { type: 'string', minLength: 1, maxLength: 1000 };

export function meRoutes(app: FastifyInstance, ctx: AdminContext) {
  const codeLimiter = new LoginLimiter({ maxFailures: 10, windowMs: 15 * 60 * 1000 });

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
      const doc = await getUser(ctx.couch, username);
      if (!doc || !(await verifyPassword(doc.passwordHash, current))) {
        await ctx.record(request, {
          action: 'password.change.failed',
          target: `user:${username}`,
          detail: 'wrong current password'
        });
        return reply.code(400).send({ error: 'wrong_password', reason: 'the current password is wrong' });
      }
      const refusal = ctx.passwordRefusal(next, username);
      if (refusal) return reply.code(400).send(refusal);
      try {
        await saveUser(ctx.couch, {
          ...doc,
          passwordHash: await hashPassword(next),
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
      if (wait > 0)
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .send({
            error: 'too_many_requests',
            reason: `too many wrong codes; try again in ${Math.ceil(wait / 60)} min`
          });
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
      try {
        // One write spends the code and sets the password: a second use meets a 409 or no code.
        await saveUser(ctx.couch, {
          ...rest,
          passwordHash: await hashPassword(body.password),
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
