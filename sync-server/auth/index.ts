/**
 * Sessions for the whole app: every request to the API and the gateway gets `request.user`
 * (null when not signed in; always null on other paths, the app's files and shell) from the
 * lucia session cookie, sliding the expiry when lucia renews it, and state-changing
 * requests from a foreign origin are refused before any handler runs (on every path: the
 * router decodes `/%61pi/…` to `/api/…`).
 * Registered without encapsulation so the hook and decorations apply to every route.
 */
import type { FastifyInstance } from 'fastify';
import type { Session } from 'lucia';
import type { SessionUser } from '../../src/lib/domain/access';
import { isApiPath } from '../api-paths';
import { coreDeps } from './core-deps';
import { HASH_CONCURRENCY, HASH_MAX_WAIT_MS, HashSlots, KeyedSlots, SIGN_INS_PER_ADDRESS } from './hash-slots';
import { LoginThrottle } from './login-throttle';
import { createLucia } from './lucia';
import { authRoutes } from './routes';
import { foreignOrigin } from './same-origin';
import { AuthWatch } from '../events/grant-watch';
import { sessionCacheFor } from './session-cache';
import { sessionUserMismatch } from './session-user-header';
import { AUTH_DB } from './users';

export { requireUser } from './require-user';

/** Run when a person signs out: their id and the push endpoint of the device they leave, if sent. */
export type SignOutTask = (userId: string, pushEndpoint: string | undefined) => Promise<void>;
export { createUser } from './users';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    session: Session | null;
  }
  interface FastifyInstance {
    /** The password hashes' slots: every route that hashes or checks a password waits in them. */
    hashSlots: HashSlots;
    /** What else ends with a session (the device's push subscription); run by the logout route. */
    signOutTasks: SignOutTask[];
  }
}

const EXPIRED_SESSIONS_SWEEP_MS = 60 * 60 * 1000;

/**
 * Whether a route reads `request.user`: the API and the gateway do; the app's files and the
 * not-found handler (the shell, or a 404) do not. Judged by the route the router matched, after
 * it decoded the path, so no spelling of an API path skips the session; a request judged
 * without one is only ever anonymous.
 */
function readsSession(route: string | undefined): boolean {
  return route !== undefined && isApiPath(route);
}

async function auth(app: FastifyInstance) {
  const deps = coreDeps(app);
  const lucia = createLucia(deps.couch, deps.config.publicOrigin);
  const throttle = new LoginThrottle(deps.couch);
  const maxWaitMs = deps.config.signInMaxWaitMs ?? HASH_MAX_WAIT_MS;
  const slots = new HashSlots(HASH_CONCURRENCY, maxWaitMs);
  const lines = { names: new KeyedSlots(1, maxWaitMs), addresses: new KeyedSlots(SIGN_INS_PER_ADDRESS, maxWaitMs) };

  app.decorate('hashSlots', slots);
  app.decorate('signOutTasks', []);
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);

  app.addHook('onRequest', async (request, reply) => {
    // Every path, not only those spelt /api/ or /couch/: the router decodes the path before
    // matching (`/%61pi/…` reaches `/api/…`), so a check on the raw spelling can be walked round.
    const foreign = foreignOrigin(request, deps.config.publicOrigin);
    if (foreign) {
      return reply.code(403).send({
        error: 'forbidden',
        reason: `requests from ${foreign} are not accepted; use ${deps.config.publicOrigin}`
      });
    }
    // The app's files and its shell need no user, and a signed-in browser sends its cookie with
    // each: validating it read the person's record from the store first, so a new device's
    // sixty-odd script requests each waited on the store (see readsSession).
    if (!readsSession(request.routeOptions.url)) return;
    const sessionId = lucia.readSessionCookie(request.headers.cookie ?? '');
    if (!sessionId) return;
    const { session, user } = await lucia.validateSession(sessionId);
    if (!session) {
      reply.header('set-cookie', lucia.createBlankSessionCookie().serialize());
      return;
    }
    if (session.fresh) reply.header('set-cookie', lucia.createSessionCookie(session.id).serialize());
    request.session = session;
    request.user = { id: user.id, name: user.name, memberships: user.memberships };
    const mismatch = sessionUserMismatch(request);
    if (mismatch) return reply.code(409).send(mismatch);
  });

  authRoutes(app, deps, lucia, throttle, slots, lines);

  // Validated sessions are remembered while the store's change feed says nothing in `auth` moved
  // (a core without change notifications validates every request against the store).
  if (app.events) {
    const cache = sessionCacheFor(deps.couch);
    const authWatch = new AuthWatch(deps.couch);
    await authWatch.start();
    cache.attach(authWatch, () => app.events.connected);
    const unsubscribe = app.events.subscribe((batch) => {
      if (batch.dbs.includes(AUTH_DB)) cache.authChanged();
    });
    app.addHook('onClose', async () => {
      unsubscribe();
      cache.detach();
    });
  }

  const sweep = setInterval(() => {
    lucia.deleteExpiredSessions().catch((err: unknown) => app.log.warn({ err }, 'could not delete expired sessions'));
    throttle.sweep().catch((err: unknown) => app.log.warn({ err }, 'could not remove expired login throttles'));
  }, EXPIRED_SESSIONS_SWEEP_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));
}

Object.assign(auth, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'auth' });
export default auth;
