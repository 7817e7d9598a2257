/**
 * GET /api/events: one server-sent-events stream per client naming the databases of that
 * user's list that changed, so a client with 140 organizations holds one connection, not 140.
 *
 * Guarantees: a user is told only about databases `databasesFor` grants them NOW: when the
 * user's record in `auth` changes (memberships granted or withdrawn, by anyone, by any path),
 * the stream's databases are computed again from the stored record and an `access` event
 * (`{"dbs": [...]}`, the full new list) tells the client; a stream whose session is revoked
 * or whose user is deactivated or removed is ended. Every `changed` event carries an id, and
 * a client reconnecting with Last-Event-ID gets what it missed, or a `resync` event when that
 * is no longer known (it then checks all its databases); a comment line every 25 s keeps
 * proxies from closing an idle stream and carries the latest id. Ids are server times in
 * milliseconds and survive restarts and other server instances (see `notifier.ts`); an id
 * older than this process remembers is answered from the archived states (days back). A user holds at most `MAX_STREAMS_PER_USER` live
 * streams. An idle stream costs one socket and a few small objects: heartbeats share one
 * timer and users share their database sets.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { databasesFor, pragueDate, type SessionUser } from '../../src/lib/domain/access';
import { sessionDocId } from '../auth/session-adapter';
import { AUTH_DB, findUser } from '../auth/users';
import { AuthWatch } from './grant-watch';
import type { ChangeBatch } from './notifier';
import { Reannouncer } from './reannounce';

const HEARTBEAT_MS = 25_000;
const RETRY_MS = 3_000;
/** After a failed look at `auth`'s changes (the store did not answer), the next one. */
const AUTH_RETRY_MS = 5_000;
interface Stream {
  raw: ServerResponse;
  userId: string;
  /** The `auth` document of the stream's session: its deletion ends the stream. */
  sessionDoc: string | null;
}

/**
 * A heartbeat: a comment (keeps proxies from closing the stream) and the id of everything
 * sent so far, so a client that heard nothing else for hours still resumes from a recent id.
 * An `id:` line without data updates EventSource's lastEventId without dispatching an event,
 * so clients that know nothing of it see no difference.
 */
export function heartbeatFrame(id: string): string {
  return `: heartbeat\nid: ${id}\n\n`;
}

/** The signed-in user, set by the auth plugin's request hook. */
function userOf(request: FastifyRequest): SessionUser | null {
  return (request as unknown as { user?: SessionUser | null }).user ?? null;
}

export default async function eventsRoute(app: FastifyInstance): Promise<void> {
  const streams = new Set<Stream>();
  /**
   * userId → readable databases, valid for one version of the org list; shared by that user's
   * streams. `grants` also holds each database's write flag: an administrator keeps reading a
   * closed organization but no longer writes it, and is told of that as of any other change.
   * Computed when the user's first stream opens, so that every later change compares with it.
   */
  const access = new Map<
    string,
    { version: number; dbs: Set<string>; grants: string; user: SessionUser; refs: number }
  >();

  const dbsOf = (userId: string): Set<string> => {
    const entry = access.get(userId)!;
    if (entry.version !== app.orgs.version) {
      const dbs = databasesFor(entry.user, app.orgs.list());
      entry.dbs = new Set(dbs.map((d) => d.db));
      entry.grants = dbs
        .map((d) => `${d.db}${d.write ? '+w' : ''}`)
        .sort()
        .join(',');
      entry.version = app.orgs.version;
    }
    return entry.dbs;
  };

  const send = (raw: ServerResponse, event: string, id: string, data: unknown) => {
    raw.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const end = (s: Stream) => {
    streams.delete(s);
    s.raw.end();
  };

  /** Computes a user's databases again and tells their streams (`access`) when the set changed. */
  const recompute = (userId: string) => {
    const entry = access.get(userId);
    if (!entry) return;
    const before = entry.grants;
    entry.version = -1;
    const after = dbsOf(userId);
    if (entry.grants === before) return;
    for (const s of streams)
      if (s.userId === userId) send(s.raw, 'access', app.events.lastId, { dbs: [...after].sort() });
  };

  /** Every connected user's databases again (the day turned, the organization list changed). */
  const recomputeAll = () => {
    for (const userId of [...access.keys()]) {
      try {
        recompute(userId);
      } catch (err) {
        // One user's record the rules cannot read holds up nobody else's.
        app.log.warn({ err: (err as Error).message, user: userId }, 'could not recompute the databases of a user');
      }
    }
  };

  /** Applies changes of `auth` to the open streams: new grants, revoked sessions, deactivated users. */
  const watch = new AuthWatch(app.couch);
  await watch.start();
  const applyAuthChanges = async () => {
    const { users, endedSessions } = await watch.changes();
    for (const s of [...streams]) if (s.sessionDoc && endedSessions.has(s.sessionDoc)) end(s);
    const failed: string[] = [];
    for (const userId of users) {
      const entry = access.get(userId);
      if (!entry) continue;
      let doc: Awaited<ReturnType<typeof findUser>>;
      try {
        doc = await findUser(app.couch, userId);
      } catch {
        // One record the store did not give now holds up neither the others nor itself for good.
        failed.push(userId);
        continue;
      }
      if (!doc || doc.disabled) {
        for (const s of [...streams]) if (s.userId === userId) end(s);
        continue;
      }
      entry.user = { id: doc.username, name: doc.name, memberships: doc.memberships };
      recompute(userId);
    }
    if (failed.length) {
      watch.again(failed);
      throw new Error(`could not read ${failed.length} changed user records`);
    }
  };
  let authQueue = Promise.resolve();
  let authRetry: ReturnType<typeof setTimeout> | null = null;
  /** Changes of `auth` are applied one look at a time; a failed look is tried again a little later. */
  const followAuth = () => {
    authQueue = authQueue.then(applyAuthChanges).catch((err: Error) => {
      app.log.warn({ err: err.message }, 'could not apply changes of users to event streams; trying again');
      if (authRetry) return;
      authRetry = setTimeout(() => {
        authRetry = null;
        followAuth();
      }, AUTH_RETRY_MS);
      authRetry.unref();
    });
  };

  const fanOut = (id: string, changed: readonly string[]) => {
    for (const s of streams) {
      const mine = dbsOf(s.userId);
      const dbs = changed.filter((db) => mine.has(db));
      if (dbs.length > 0) send(s.raw, 'changed', id, { dbs });
    }
  };
  const readersOf = (db: string, atLeast: number) => {
    let n = 0;
    for (const s of streams) if (dbsOf(s.userId).has(db) && ++n >= atLeast) break;
    return n;
  };
  const reannounce = new Reannouncer(fanOut, readersOf, app.config.eventsHoldFromReaders);

  // Memberships count on Prague calendar days: when the day turns, a membership may have begun
  // or ended without any change of `auth`; every user's databases are computed again (looked at
  // with every change and every heartbeat, so before the new day's first change is named).
  let day = pragueDate(Date.now());
  const checkDay = () => {
    const today = pragueDate(Date.now());
    if (today === day) return;
    day = today;
    recomputeAll();
  };

  // An organization closed or reopened changes who reads its databases (only administrators
  // read a closed one's): the streams of everyone whose set changed are told at once.
  const offOrgs = app.orgs.onChange(recomputeAll);

  const unsubscribe = app.events.subscribe((batch: ChangeBatch) => {
    checkDay();
    if (batch.dbs.includes(AUTH_DB)) followAuth();
    reannounce.changed(batch.id, batch.dbs);
  });

  const heartbeat = setInterval(() => {
    const beat = heartbeatFrame(app.events.lastId);
    for (const s of streams) s.raw.write(beat);
    checkDay();
  }, HEARTBEAT_MS);
  heartbeat.unref();

  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    if (authRetry) clearTimeout(authRetry);
    reannounce.close();
    unsubscribe();
    offOrgs();
    for (const s of streams) s.raw.end();
    streams.clear();
  });

  app.get('/api/events', async (request: FastifyRequest, reply: FastifyReply) => {
    const user = userOf(request);
    if (!user) return reply.code(401).send({ error: 'unauthorized', reason: 'Sign in to receive change events.' });
    const release = app.streams.open(user.id);
    if (typeof release === 'string') return reply.code(429).send({ error: 'too_many_requests', reason: release });

    const known = access.get(user.id);
    if (known) {
      known.refs += 1;
      // This request's record is the newest: the user's other streams hear of any difference
      // (computed only when the memberships differ: many streams of one user open at once).
      const moved = JSON.stringify(known.user.memberships) !== JSON.stringify(user.memberships);
      known.user = user;
      if (moved) recompute(user.id);
    } else {
      access.set(user.id, { version: -1, dbs: new Set(), grants: '', user, refs: 1 });
      try {
        dbsOf(user.id);
      } catch (err) {
        // Nothing of this stream stays counted: neither the person's entry nor their place.
        access.delete(user.id);
        release();
        throw err;
      }
    }

    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no'
    });
    raw.write(`retry: ${RETRY_MS}\n\n`);

    const lastEventId = request.headers['last-event-id'];
    if (typeof lastEventId === 'string' && lastEventId) {
      const asked = app.events.lastId;
      const older = await app.events.sinceArchived(lastEventId);
      // Batches sent while the archive was read reached no stream of this client: told here.
      const missed = older && [...older, ...(app.events.since(asked) ?? [])];
      const mine = dbsOf(user.id);
      if (missed === null) send(raw, 'resync', app.events.lastId, {});
      else {
        const dbs = [...new Set(missed)].filter((db) => mine.has(db));
        if (dbs.length > 0) send(raw, 'changed', app.events.lastId, { dbs });
      }
    }
    const stream: Stream = {
      raw,
      userId: user.id,
      sessionDoc: request.session ? sessionDocId(request.session.id) : null
    };
    const done = () => {
      release();
      streams.delete(stream);
      const entry = access.get(user.id);
      if (entry && --entry.refs <= 0) access.delete(user.id);
    };
    // A client gone while the archive was read: its 'close' has been emitted already, and its
    // place in the person's quota would otherwise never come back.
    if (request.raw.socket?.destroyed) return done();
    send(raw, 'ready', app.events.lastId, {});
    streams.add(stream);
    request.raw.on('close', done);
  });
}
