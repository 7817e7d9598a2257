/**
 * Known passwords and the first administrator.
 *
 * - Whenever demo accounts exist (whatever DEMO says now), start-up logs a warning naming
 *   them, louder when `admin` still has the demo password: a store that was once seeded keeps
 *   them until someone removes them.
 * - On a store without any administrator (a real start with DEMO=0), one is created as `admin`:
 *   with ADMIN_PASSWORD when it is set, otherwise with a random one-time password printed
 *   once to the log, to be changed after the first sign-in. An existing administrator is
 *   never touched, so ADMIN_PASSWORD can be removed after the first start.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type nano from 'nano';
import { DEMO_PASSWORD, DEMO_USERS } from '../demo/region';
import { AUTH_DB, createUser, findUser, verifyPassword, type UserDoc } from './users';
import { statusOf } from '../couch-status';

export async function warnAboutDemoAccounts(couch: nano.ServerScope, log: FastifyBaseLogger): Promise<string[]> {
  const found: string[] = [];
  for (const u of DEMO_USERS) if (await findUser(couch, u.username)) found.push(u.username);
  if (found.length === 0) return found;
  const admin = await findUser(couch, 'admin');
  const knownAdmin = !!admin && !admin.disabled && (await verifyPassword(admin.passwordHash, DEMO_PASSWORD));
  log.warn(
    { accounts: found, adminHasDemoPassword: knownAdmin },
    knownAdmin
      ? 'DEMO ACCOUNTS EXIST and "admin" has the public password "demo": anyone can administer this server. ' +
          'For real use start on an empty store with DEMO=0 (see README), or change every demo password now.'
      : 'Demo accounts exist (password "demo" unless changed). For real use start on an empty store with DEMO=0.'
  );
  return found;
}

async function hasAdministrator(couch: nano.ServerScope): Promise<boolean> {
  const res = await couch.use<UserDoc>(AUTH_DB).list({ startkey: 'user:', endkey: 'user:\ufff0', include_docs: true });
  return res.rows.some((r) => r.doc && !r.doc.disabled && r.doc.memberships.some((m) => m.role === 'admin'));
}

/** Creates `admin` when no administrator exists; returns the one-time password if it made one. */
export async function ensureFirstAdmin(
  couch: nano.ServerScope,
  adminPassword: string | undefined,
  log: FastifyBaseLogger
): Promise<{ created: boolean; oneTimePassword?: string }> {
  if (await hasAdministrator(couch)) return { created: false };
  if (await findUser(couch, 'admin'))
    throw new Error('a user "admin" exists but is not an administrator; give a user the admin role by hand');
  const oneTime = adminPassword ? undefined : randomBytes(12).toString('base64url');
  try {
    await createUser(couch, {
      username: 'admin',
      name: 'Administrator',
      password: adminPassword ?? oneTime!,
      memberships: [{ role: 'admin' }]
    });
  } catch (err) {
    // Several servers started at once on one new CouchDB: another made it between our look and
    // our write. Its one-time password is in its log; this start goes on.
    if (statusOf(err) === 409 && (await hasAdministrator(couch))) {
      log.info({ username: 'admin' }, 'the first administrator was created by another server meanwhile');
      return { created: false };
    }
    throw err;
  }
  if (oneTime)
    log.warn(
      { username: 'admin', oneTimePassword: oneTime },
      'FIRST ADMINISTRATOR CREATED with this one-time password, shown only now: sign in and change it'
    );
  else log.info({ username: 'admin' }, 'first administrator created with ADMIN_PASSWORD');
  return { created: true, oneTimePassword: oneTime };
}
