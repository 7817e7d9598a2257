/**
 * Administration: organizations, users and memberships, password resets and the password
 * policy, the audit log, and the catalog, under `/api/admin/…` (administrators only), plus the
 * routes every person uses for themselves (`/api/me/password`, `/api/me/language`,
 * `/api/auth/code`). Registered without encapsulation so that its sign-in audit hook sees
 * `/api/auth/login`; the admin-only routes sit in their own scope behind `requireAdmin`.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { auditRoutes } from './audit-routes';
import { catalogRoutes } from './catalog-routes';
import { adminContext, requireAdmin } from './context';
import { meRoutes } from './me-routes';
import { orgRoutes } from './org-routes';
import { sectionRoutes } from './section-routes';
import { userRoutes } from './user-routes';

const CSV_LIMIT = 4 * 1024 * 1024;

/** A refused (throttled) sign-in is recorded once a minute per name and address, not per attempt. */
const THROTTLED_EVERY_MS = 60_000;

async function admin(app: FastifyInstance) {
  const ctx = adminContext(app);
  // Without a session anyone can send sign-ins; each answered 429 would otherwise add a record.
  const throttledAt = new Map<string, number>();
  const recordThrottled = (key: string, now: number): boolean => {
    if (now - (throttledAt.get(key) ?? -Infinity) < THROTTLED_EVERY_MS) return false;
    if (throttledAt.size >= 10_000)
      for (const [k, at] of throttledAt) if (now - at >= THROTTLED_EVERY_MS) throttledAt.delete(k);
    throttledAt.set(key, now);
    return true;
  };

  // Sign-ins and failed sign-ins, as the login route answered them.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/api/auth/login') return;
    const username = String((request.body as { username?: unknown } | undefined)?.username ?? '')
      .slice(0, 100)
      .toLowerCase();
    const action =
      reply.statusCode === 200
        ? 'signin'
        : reply.statusCode === 429
          ? 'signin.throttled'
          : reply.statusCode === 401
            ? 'signin.failed'
            : null;
    if (action === 'signin.throttled' && !recordThrottled(`${username}\u0000${request.ip}`, Date.now())) return;
    if (action) await ctx.audit.append({ actor: username, ip: request.ip, action, target: `user:${username}` });
  });

  meRoutes(app, ctx);

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      ['text/csv', 'application/octet-stream', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: CSV_LIMIT },
      (_req, body, done) => done(null, body)
    );
    // Refuse unknown fields with a reason instead of Fastify's default of dropping them silently.
    const ajv = new Ajv({
      coerceTypes: true,
      removeAdditional: false,
      useDefaults: true,
      allErrors: false,
      strict: false
    });
    addFormats(ajv);
    scope.setValidatorCompiler(({ schema }) => ajv.compile(schema));
    scope.addHook('onRequest', requireAdmin);
    orgRoutes(scope, ctx);
    userRoutes(scope, ctx);
    auditRoutes(scope, ctx);
    catalogRoutes(scope, ctx);
    sectionRoutes(scope, ctx);
  });
}

Object.assign(admin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'admin' });
export default admin;
