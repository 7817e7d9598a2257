/** `/api/auth/login`, `/api/auth/logout` and `/api/me`: thin handlers over lucia and the users store. */
import type { FastifyInstance } from 'fastify';
import { databasesFor } from '../../src/lib/domain/access';
import type { CoreDeps } from './core-deps';
import type { AppLucia } from './lucia';
import { Busy, type HashSlots, type KeyedSlots } from './hash-slots';
import type { LoginThrottle } from './login-throttle';
import { requireUser } from './require-user';
import { findUser, hashPassword, verifyPassword, type UserDoc } from './users';

/** Sign-ins in progress per user name (one at a time) and per client address. */
export interface SignInLines {
  names: KeyedSlots;
  addresses: KeyedSlots;
}

interface LoginBody {
  username: string;
  password: string;
}

function parseLogin(body: unknown): LoginBody | string {
  if (!body || typeof body !== 'object') return 'send JSON {"username": "...", "password": "..."}';
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || username.length === 0 || username.length > 100)
    return 'username must be a non-empty string';
  if (typeof password !== 'string' || password.length === 0 || password.length > 1000)
    return 'password must be a non-empty string';
  return { username: username.trim().toLowerCase(), password };
}

export function authRoutes(
  app: FastifyInstance,
  deps: CoreDeps,
  lucia: AppLucia,
  throttle: LoginThrottle,
  slots: HashSlots,
  lines: SignInLines
) {
  // Unknown usernames are checked against this hash so that they take as long as wrong passwords.
  const dummyHash = hashPassword('not-a-password-' + Math.random());

  app.post('/api/auth/login', { bodyLimit: 16 * 1024 }, async (request, reply) => {
    const login = parseLogin(request.body);
    if (typeof login === 'string') return reply.code(400).send({ error: 'bad_request', reason: login });
    // One attempt per user name at a time, so the throttle's count of a name is exact: each
    // attempt reads it after the previous one recorded its failure. An address has at most
    // SIGN_INS_PER_ADDRESS in flight, so it passes its own count by fewer than that. The hash
    // slot is taken for the password check alone; the store reads around it hold no slot.
    let outcome: { wait: number } | { user: UserDoc } | null;
    try {
      outcome = await lines.addresses.run(request.ip, () =>
        lines.names.run(login.username, async () => {
          const [wait, user] = await Promise.all([
            throttle.retryAfter(login.username, request.ip),
            findUser(deps.couch, login.username)
          ]);
          if (wait > 0) return { wait };
          const ok = await slots.run(async () =>
            user && !user.disabled
              ? verifyPassword(user.passwordHash, login.password)
              : (await verifyPassword(await dummyHash, login.password), false)
          );
          if (user && ok) {
            await throttle.succeed(login.username);
            return { user };
          }
          await throttle.fail(login.username, request.ip);
          return null;
        })
      );
    } catch (err) {
      if (!(err instanceof Busy)) throw err;
      return reply
        .code(503)
        .header('retry-after', String(err.retryAfterSeconds))
        .send({ error: 'unavailable', reason: 'too many sign-ins are being checked right now; try again in a moment' });
    }
    if (outcome && 'wait' in outcome) {
      return reply
        .code(429)
        .header('retry-after', String(outcome.wait))
        .send({
          error: 'too_many_requests',
          reason: `too many failed logins; try again in ${Math.ceil(outcome.wait / 60)} min`
        });
    }
    if (!outcome) return reply.code(401).send({ error: 'unauthorized', reason: 'wrong username or password' });
    const { user } = outcome;
    const session = await lucia.createSession(user.username, {});
    reply.header('set-cookie', lucia.createSessionCookie(session.id).serialize());
    return { user: { id: user.username, name: user.name, memberships: user.memberships } };
  });

  app.post('/api/auth/logout', async (request, reply) => {
    if (request.session) await lucia.invalidateSession(request.session.id);
    if (request.user) {
      const sent = (request.body as { pushEndpoint?: unknown } | null | undefined)?.pushEndpoint;
      const pushEndpoint = typeof sent === 'string' && sent.length <= 2000 ? sent : undefined;
      for (const task of app.signOutTasks)
        await task(request.user.id, pushEndpoint).catch((err: unknown) =>
          request.log.warn({ err: (err as Error).message }, 'a sign-out task failed; the session ended anyway')
        );
    }
    reply.header('set-cookie', lucia.createBlankSessionCookie().serialize());
    return { ok: true };
  });

  app.get('/api/me', { preHandler: requireUser }, async (request) => {
    const user = request.user!;
    // The event stream's position now, before any read the client makes with this answer: its
    // stream, opened from here, names every database that changes after (`change-events.ts`).
    const eventsFrom = app.hasDecorator('events') ? app.events.lastId : undefined;
    return { user, databases: databasesFor(user, deps.orgs.list()), eventsFrom };
  });
}
