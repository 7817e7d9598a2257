/**
 * `/api/admin/users`: people, their memberships, deactivation and password resets. Every
 * change is written to the user's record in `auth`, which sign-in, `/api/me`, the gateway and
 * the event stream read on each request, so it counts from the very next request; a
 * deactivation or a reset also ends every session the person has.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AdminContext } from './context';
import { redactUser } from './audit-log';
import { membershipJsonSchema } from './memberships';
import { newUserDoc, trimInput, userProblems, warningsFor } from './user-input';
import { issueResetCode } from './reset-codes';
import { getUser, listUsers, savePersonCard, saveUser, userView, type AdminUserDoc } from './user-store';
import { readUserCsv } from './user-csv';
import { isStatus } from '../couch-status';

const profileFields = {
  name: { type: 'string', maxLength: 200 },
  email: { type: 'string', maxLength: 200 },
  phone: { type: 'string', maxLength: 40 },
  title: { type: 'string', maxLength: 200 },
  orgId: { type: 'string', maxLength: 40 },
  memberships: { type: 'array', maxItems: 200, items: membershipJsonSchema }
};
const usernameParams = {
  type: 'object',
  required: ['username'],
  properties: { username: { type: 'string', maxLength: 60 } }
};

export function userRoutes(app: FastifyInstance, ctx: AdminContext) {
  const now = () => new Date().toISOString();
  const notFound = (reply: FastifyReply, username: string) =>
    reply.code(404).send({ error: 'not_found', reason: `there is no user "${username}"` });
  const conflict = (reply: FastifyReply) =>
    reply
      .code(409)
      .send({ error: 'conflict', reason: 'someone else changed this user meanwhile; reload and try again' });

  app.get('/api/admin/users', async () => ({ users: (await listUsers(ctx.couch)).map(userView) }));

  app.get('/api/admin/users/:username', { schema: { params: usernameParams } }, async (request, reply) => {
    const { username } = request.params as { username: string };
    const doc = await getUser(ctx.couch, username);
    return doc ? { user: userView(doc) } : notFound(reply, username);
  });

  app.post(
    '/api/admin/users',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'name'],
          properties: { username: { type: 'string', maxLength: 60 }, ...profileFields }
        }
      }
    },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>;
      const input = trimInput(body, String(body.username).trim().toLowerCase());
      const problems = userProblems(input, ctx);
      if (problems.length > 0) return reply.code(400).send({ error: 'invalid', reason: problems.join('; '), problems });
      if (await getUser(ctx.couch, input.username))
        return reply.code(409).send({ error: 'conflict', reason: `the username "${input.username}" exists already` });
      const at = now();
      const { code, stored } = issueResetCode(request.user!.id);
      const doc: AdminUserDoc = { ...newUserDoc(input, request.user!.id, at), reset: stored };
      try {
        await saveUser(ctx.couch, doc);
      } catch (err) {
        if (isStatus(err, 409))
          return reply.code(409).send({ error: 'conflict', reason: `the username "${input.username}" exists already` });
        throw err;
      }
      await savePersonCard(ctx.couch, doc, request.user!.id, at);
      ctx.notify('region_people');
      await ctx.record(request, { action: 'user.create', target: `user:${input.username}`, after: redactUser(doc) });
      return reply.code(201).send({
        user: userView(doc),
        code,
        expiresAt: stored.expiresAt,
        warnings: warningsFor(input.memberships, ctx)
      });
    }
  );

  app.put(
    '/api/admin/users/:username',
    {
      schema: {
        params: usernameParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'memberships'],
          properties: profileFields
        }
      }
    },
    async (request, reply) => {
      const { username } = request.params as { username: string };
      const before = await getUser(ctx.couch, username);
      if (!before) return notFound(reply, username);
      const input = trimInput(request.body as Record<string, unknown>, username);
      const problems = userProblems(input, ctx);
      if (problems.length > 0) return reply.code(400).send({ error: 'invalid', reason: problems.join('; '), problems });
      if (username === request.user!.id && !input.memberships.some((m) => m.role === 'admin' && !m.validTo))
        return reply
          .code(400)
          .send({ error: 'invalid', reason: 'you cannot take the administrator role from yourself' });
      const at = now();
      const after: AdminUserDoc = {
        ...before,
        name: input.name,
        memberships: input.memberships,
        updatedAt: at,
        updatedBy: request.user!.id
      };
      for (const k of ['email', 'phone', 'title', 'orgId'] as const) {
        if (input[k]) after[k] = input[k];
        else delete after[k];
      }
      try {
        await saveUser(ctx.couch, after);
      } catch (err) {
        if (isStatus(err, 409)) return conflict(reply);
        throw err;
      }
      await savePersonCard(ctx.couch, after, request.user!.id, at);
      ctx.notify('region_people');
      await ctx.record(request, {
        action: 'user.edit',
        target: `user:${username}`,
        before: redactUser(before),
        after: redactUser(after)
      });
      return { user: userView(after), warnings: warningsFor(input.memberships, ctx) };
    }
  );

  /** Deactivation, reactivation and reset change the record, then end sessions where the old access must stop. */
  const change = (
    action: string,
    apply: (doc: AdminUserDoc, by: string) => { code?: string; expiresAt?: string } | void,
    revoke: boolean
  ) =>
    app.post(`/api/admin/users/:username/${action}`, { schema: { params: usernameParams } }, async (request, reply) => {
      const { username } = request.params as { username: string };
      if (username === request.user!.id && action !== 'reset')
        return reply
          .code(400)
          .send({ error: 'invalid', reason: 'you cannot deactivate or reactivate your own account' });
      const before = await getUser(ctx.couch, username);
      if (!before) return notFound(reply, username);
      const after: AdminUserDoc = { ...before, updatedAt: now(), updatedBy: request.user!.id };
      const extra = apply(after, request.user!.id) ?? {};
      try {
        await saveUser(ctx.couch, after);
      } catch (err) {
        if (isStatus(err, 409)) return conflict(reply);
        throw err;
      }
      if (revoke) await ctx.sessions.deleteUserSessions(username);
      await ctx.record(request, {
        action: `user.${action}`,
        target: `user:${username}`,
        before: redactUser(before),
        after: redactUser(after)
      });
      return { user: userView(after), ...extra };
    });

  change('deactivate', (d) => void (d.disabled = true), true);
  change('activate', (d) => void delete d.disabled, false);
  // A reset ends the old password at once (it may be known to someone else) and every session with it.
  change(
    'reset',
    (d, by) => {
      const { code, stored } = issueResetCode(by);
      d.reset = stored;
      d.passwordHash = '';
      return { code, expiresAt: stored.expiresAt };
    },
    true
  );

  /** CSV import of users with memberships, one membership a row; all or nothing. */
  app.post(
    '/api/admin/users/import',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { dryRun: { type: 'string', enum: ['0', '1'] } }
        }
      }
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body))
        return reply.code(415).send({ error: 'unsupported_media_type', reason: 'send the CSV file as text/csv' });
      const existing = new Set((await listUsers(ctx.couch)).map((u) => u.username));
      const result = readUserCsv(new Uint8Array(request.body), ctx, (u) => existing.has(u));
      if ('problem' in result) return reply.code(400).send({ error: 'bad_csv', reason: result.problem });
      const failed = result.users.filter((u) => u.problems.length > 0);
      const summary = {
        encoding: result.encoding,
        users: result.users.map(({ input, ...rest }) => ({
          ...rest,
          username: input.username,
          name: input.name,
          memberships: input.memberships
        })),
        valid: result.users.length - failed.length,
        invalid: failed.length
      };
      if ((request.query as { dryRun?: string }).dryRun === '1') return { dryRun: true, ...summary };
      if (failed.length > 0)
        return reply.code(422).send({
          error: 'invalid',
          reason: `${failed.length} of ${result.users.length} users have errors; nothing was imported`,
          ...summary
        });
      const at = now();
      const codes: { username: string; code: string; expiresAt: string }[] = [];
      const docs = result.users.map((u) => {
        const { code, stored } = issueResetCode(request.user!.id);
        codes.push({ username: u.input.username, code, expiresAt: stored.expiresAt });
        return { ...newUserDoc(u.input, request.user!.id, at), reset: stored };
      });
      const res = await ctx.couch.use<AdminUserDoc>('auth').bulk({ docs });
      const refused = new Set(res.filter((r) => r.error).map((r) => r.id));
      const written = docs.filter((d) => !refused.has(d._id));
      for (const d of written) await savePersonCard(ctx.couch, d, request.user!.id, at);
      ctx.notify('region_people');
      await ctx.record(request, {
        action: 'user.import',
        target: 'users',
        detail: `${written.length} users imported`,
        after: written.map((d) => redactUser(d))
      });
      return { imported: written.length, codes: codes.filter((c) => !refused.has(`user:${c.username}`)), ...summary };
    }
  );
}
