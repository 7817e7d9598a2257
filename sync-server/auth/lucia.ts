/** lucia configured for this server: 30-day sliding sessions in a HttpOnly, SameSite=Lax cookie. */
import { Lucia, TimeSpan } from 'lucia';
import type nano from 'nano';
import type { Membership } from '../../src/lib/domain/access';
import { CouchSessionAdapter } from './session-adapter';

export const SESSION_COOKIE = 'ict_session';

export function createLucia(couch: nano.ServerScope, publicOrigin: string) {
  return new Lucia(new CouchSessionAdapter(couch), {
    // lucia extends a session when less than half of this is left: a sliding expiry.
    sessionExpiresIn: new TimeSpan(30, 'd'),
    sessionCookie: {
      name: SESSION_COOKIE,
      attributes: { sameSite: 'lax', path: '/', secure: publicOrigin.startsWith('https:') }
    },
    getUserAttributes: (a) => ({ name: a.name, memberships: a.memberships })
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module 'lucia' {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: { name: string; memberships: Membership[] };
  }
}
