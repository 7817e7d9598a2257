/**
 * Users live in the private `auth` database as `user:<username>` documents with an argon2id
 * password hash. Nothing here is reachable through the gateway; the auth routes and the demo
 * seeder are the only callers.
 */
import { hash, verify } from '@node-rs/argon2';
import type nano from 'nano';
import type { Membership } from '../../src/lib/domain/access';
import { isStatus } from '../couch-status';

export const AUTH_DB = 'auth';
export const USERNAME_PATTERN = /^[a-z0-9._-]{2,60}$/;

/** argon2id (algorithm 2) with the library's recommended memory and time costs. */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export interface UserDoc {
  _id: string;
  _rev?: string;
  type: 'user';
  username: string;
  name: string;
  passwordHash: string;
  memberships: Membership[];
  orgId?: string;
  disabled?: boolean;
}

export interface NewUser {
  username: string;
  name: string;
  password: string;
  memberships: Membership[];
  orgId?: string;
}

export const userDocId = (username: string) => `user:${username}`;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const RESERVED_USERNAMES = new Set(['system']);

/**
 * Creates the user. An existing username is CouchDB's conflict (409), never replaced: both
 * callers (the demo seed, the first administrator) look first and take a 409 as another server
 * having made the account meanwhile. It read the account once more itself, to replace it.
 */
export async function createUser(couch: nano.ServerScope, user: NewUser): Promise<UserDoc> {
  if (!USERNAME_PATTERN.test(user.username)) throw new Error(`invalid username: ${user.username}`);
  // `system` signs the server's own events (automatic assignment); no person may hold it.
  if (RESERVED_USERNAMES.has(user.username)) throw new Error(`the username ${user.username} is reserved`);
  if (user.password.length < 4) throw new Error('password must have at least 4 characters');
  const db = couch.use<UserDoc>(AUTH_DB);
  const doc: UserDoc = {
    _id: userDocId(user.username),
    type: 'user',
    username: user.username,
    name: user.name,
    passwordHash: await hashPassword(user.password),
    memberships: user.memberships,
    ...(user.orgId ? { orgId: user.orgId } : {})
  };
  const res = await db.insert(doc);
  return { ...doc, _rev: res.rev };
}

/** The records of these users, in one read: each id's account, or null when it is gone or deactivated. */
export async function activeUserDocs(couch: nano.ServerScope, userIds: readonly string[]): Promise<(UserDoc | null)[]> {
  if (userIds.length === 0) return [];
  // POSTed keys (`fetch`): in a GET's address a few hundred names outgrow the store's URL limit.
  const res = await couch.use<UserDoc>(AUTH_DB).fetch({ keys: userIds.map(userDocId) });
  return userIds.map((_, i) => {
    const u = (res.rows[i] as { doc?: UserDoc | null } | undefined)?.doc;
    return u && !u.disabled ? u : null;
  });
}

export async function findUser(couch: nano.ServerScope, username: string): Promise<UserDoc | null> {
  if (!USERNAME_PATTERN.test(username)) return null;
  try {
    return await couch.use<UserDoc>(AUTH_DB).get(userDocId(username));
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}
