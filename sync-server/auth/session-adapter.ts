/**
 * lucia's storage, kept in the private `auth` database next to the users.
 *
 * A session document is stored under the SHA-256 of the session id, so a copy of the `auth`
 * database (a backup, a replica) holds no usable session tokens. A disabled or removed user
 * has no valid session, whatever its expiry.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type nano from 'nano';
import { sessionCacheFor, type SessionCache } from './session-cache';
import { BatchedReads } from './user-reads';
import { AUTH_DB, findUser, userDocId, type UserDoc } from './users';
import { isStatus } from '../couch-status';

interface SessionDoc {
  _id: string;
  _rev?: string;
  type: 'session';
  userId: string;
  expiresAt: string;
}

const SESSION_PREFIX = 'session:';
export const sessionDocId = (sessionId: string) =>
  SESSION_PREFIX + encodeHexLowerCase(sha256(new TextEncoder().encode(sessionId)));

export class CouchSessionAdapter implements Adapter {
  private readonly cache: SessionCache;
  /** The users of requests arriving together, read in one store request (`user-reads.ts`). */
  readonly users: BatchedReads<UserDoc>;

  constructor(private readonly couch: nano.ServerScope) {
    this.cache = sessionCacheFor(couch);
    // Keyed by user name: a batch of one is the plain read `findUser` makes.
    this.users = new BatchedReads<UserDoc>(
      (username) => findUser(couch, username),
      async (usernames) => {
        const nameOf = new Map(usernames.map((name) => [userDocId(name), name]));
        const res = await this.db.fetch({ keys: [...nameOf.keys()] });
        const docs = new Map<string, UserDoc | null>();
        for (const row of res.rows) if ('doc' in row && row.doc) docs.set(nameOf.get(row.key)!, row.doc as UserDoc);
        return docs;
      }
    );
  }

  private get db() {
    return this.couch.use<SessionDoc | UserDoc>(AUTH_DB);
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const docId = sessionDocId(sessionId);
    let session: DatabaseSession;
    const known = this.cache.get(docId);
    if (known) session = { ...known.session, id: sessionId };
    else {
      const epoch = this.cache.readEpoch;
      let doc: SessionDoc;
      try {
        doc = (await this.db.get(docId)) as SessionDoc;
      } catch (err) {
        if (isStatus(err, 404)) return [null, null];
        throw err;
      }
      if (doc.type !== 'session') return [null, null];
      session = this.toSession(sessionId, doc);
      this.cache.set(
        docId,
        { session: { userId: session.userId, expiresAt: session.expiresAt, attributes: {} } },
        epoch
      );
    }
    // The user's record is read every time: a deactivation or new memberships apply at once.
    const user = await this.getUser(session.userId);
    return user ? [session, user] : [session, null];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    // Session ids are not recoverable from their hashes; lucia only uses these for listing.
    return (await this.sessionDocs()).filter((d) => d.userId === userId).map((d) => this.toSession(d._id, d));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db.insert({
      _id: sessionDocId(session.id),
      type: 'session',
      userId: session.userId,
      expiresAt: session.expiresAt.toISOString()
    } satisfies SessionDoc);
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    this.cache.forgetSession(sessionDocId(sessionId));
    try {
      const doc = (await this.db.get(sessionDocId(sessionId))) as SessionDoc;
      await this.db.insert({ ...doc, expiresAt: expiresAt.toISOString() });
    } catch (err) {
      // A concurrent request extended (or a logout removed) it: either outcome is fine.
      if (!isStatus(err, 409) && !isStatus(err, 404)) throw err;
    }
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.removeDocs([sessionDocId(sessionId)]);
    this.cache.sessionEnded(sessionDocId(sessionId));
  }

  async deleteUserSessions(userId: string): Promise<void> {
    this.cache.sessionsOfUserEnded(userId);
    await this.removeDocs((await this.sessionDocs()).filter((d) => d.userId === userId).map((d) => d._id));
    this.cache.sessionsOfUserEnded(userId);
  }

  async deleteExpiredSessions(): Promise<void> {
    const now = Date.now();
    await this.removeDocs((await this.sessionDocs()).filter((d) => Date.parse(d.expiresAt) <= now).map((d) => d._id));
  }

  private async getUser(userId: string): Promise<DatabaseUser | null> {
    const u = await this.users.get(userId);
    if (!u || u.type !== 'user' || u.disabled) return null;
    return { id: u.username, attributes: { name: u.name, memberships: u.memberships } };
  }

  private toSession(id: string, doc: SessionDoc): DatabaseSession {
    return { id, userId: doc.userId, expiresAt: new Date(doc.expiresAt), attributes: {} };
  }

  private async sessionDocs(): Promise<(SessionDoc & { _rev: string })[]> {
    const res = await this.db.list({ startkey: SESSION_PREFIX, endkey: SESSION_PREFIX + '\ufff0', include_docs: true });
    return res.rows.flatMap((r) =>
      r.doc && (r.doc as SessionDoc).type === 'session' ? [r.doc as SessionDoc & { _rev: string }] : []
    );
  }

  private async removeDocs(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const res = await this.db.fetchRevs({ keys: ids });
    const docs = res.rows.flatMap((r) =>
      'value' in r && r.value && !(r.value as { deleted?: boolean }).deleted
        ? [{ _id: r.id, _rev: r.value.rev, _deleted: true }]
        : []
    );
    if (docs.length > 0) await this.db.bulk({ docs });
  }
}
