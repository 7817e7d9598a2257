/**
 * `/couch/<db>/…`: the security boundary between clients and CouchDB.
 *
 * Guarantees: a request reaches CouchDB only if the user is signed in, the path is one of the
 * allow-list's shapes (no encoded slashes, dot segments or `_`-prefixed endpoints outside the
 * list), the database is in the user's list with the right it needs, every query parameter is
 * listed for its endpoint, and every written document passed `validateDocs`. Everything else
 * gets a JSON error and CouchDB never sees it. All of that is decided from the request line and
 * the session before the body is read; bodies are then read with a limit per database kind
 * (1 MB; media 14 MB, i.e. a 10 MB attachment in base64 plus its document).
 */
import { dispatchCorrectionsBatch } from '../dispatch/correction-batch';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { isMediaCollection, parseDbName } from '../../src/lib/domain/databases';
import { coreDeps } from '../auth/core-deps';
import type { OrgInfo, SessionUser } from '../../src/lib/domain/access';
import { matchEndpoint, type Endpoint } from './allow-list';
import { checkGrant, closedOrgRefusal, isRefusal, resolveDb, type DbGrant, type Refusal } from './db-access';
import { GatewayError, HANDLERS } from './handlers';
import { ticketWriteHooks } from './lifecycle-hook';
import { isStoreUnreachable, STORE_UNREACHABLE_REASON } from '../plugins/store-unreachable';
import { relationsGatewayHook } from '../contracts/relations-hook';
import { portalGatewayHooks } from '../portal/write-hook';
import {
  founderBodyRefusal,
  founderDocRefusal,
  founderPartialReads,
  founderListingRefusal,
  founderMediaBatch,
  needsFounderDocCheck
} from '../portal/founder-media';
import { withCommentBatches } from './comments-hook';
import { AuditLog } from '../admin/audit-log';
import { regionWriteAudit } from '../admin/region-audit';
import { assigneesBatch } from './assignees-hook';
import { combineBatchHooks, stocktakeGatewayHooks } from '../stocktake/write-hook';
import { checkParams } from './params';
import { isPathError, parseCouchPath } from './request-path';
import { LocalDocRegistry } from './local-docs';
import { StreamQuota } from './stream-quota';
import { Upstream } from './upstream';

export const DOC_BODY_LIMIT = 1024 * 1024;
export const MEDIA_BODY_LIMIT = 14 * 1024 * 1024;
/** A `_bulk_docs` batch of up to 1,000 documents, each of them still held to DOC_BODY_LIMIT. */
export const BATCH_BODY_LIMIT = 16 * 1024 * 1024;

function bodyLimitFor(url: string): number {
  const db = /^\/couch\/([^/?]+)/.exec(url)?.[1];
  const ref = db ? parseDbName(db) : null;
  if (ref?.kind === 'org' && isMediaCollection(ref.collection)) return MEDIA_BODY_LIMIT;
  return /^\/couch\/[^/?]+\/_bulk_docs(\?|$)/.test(url) ? BATCH_BODY_LIMIT : DOC_BODY_LIMIT;
}

function tooLarge(limit: number) {
  return new GatewayError(413, 'too_large', `the request body is larger than ${limit / 1024 / 1024} MB`);
}

function readBody(payload: Readable, limit: number, declared: string | undefined): Promise<Buffer> {
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.removeAllListeners('data');
        payload.resume();
        reject(tooLarge(limit));
      } else parts.push(chunk);
    });
    payload.on('end', () => resolve(Buffer.concat(parts as Uint8Array[])));
    payload.on('error', reject);
  });
}

function errorReply(err: FastifyError | GatewayError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof GatewayError) return reply.code(err.statusCode).send({ error: err.error, reason: err.reason });
  const status = (err as FastifyError).statusCode;
  if (status && status >= 400 && status < 500)
    return reply.code(status).send({ error: status === 413 ? 'too_large' : 'bad_request', reason: err.message });
  if (err.name === 'AbortError') return reply; // the client went away
  if (isStoreUnreachable(err)) {
    request.log.warn({ err: err.cause ?? err }, 'CouchDB unreachable');
    return reply.code(503).send({ error: 'unavailable', reason: STORE_UNREACHABLE_REASON });
  }
  request.log.error({ err }, 'gateway request failed');
  return reply
    .code(500)
    .send({ error: 'internal_error', reason: 'the gateway failed on this request; it has been logged' });
}

interface Checked {
  user: SessionUser;
  db: string;
  rest: string[];
  grant: DbGrant;
  endpoint: Endpoint;
  query: URLSearchParams;
}

/** Everything that can be decided from the request line and the session, before any body is read. */
function precheck(request: FastifyRequest, orgs: readonly OrgInfo[]): Checked | Refusal {
  const user = request.user;
  if (!user) return { status: 401, error: 'unauthorized', reason: 'sign in first (no valid session)' };
  const path = parseCouchPath(request.raw.url ?? request.url);
  if (isPathError(path)) return { status: path.status, error: path.error, reason: path.reason };
  if (!path.db) return { status: 404, error: 'not_found', reason: 'address a database: /couch/<database>/' };
  const grant = resolveDb(user, path.db, orgs);
  if (isRefusal(grant)) return grant;
  const match = matchEndpoint(request.method, path.rest);
  if ('status' in match) return match;
  const closed = closedOrgRefusal(grant, match.endpoint.check);
  if (closed) return closed;
  const denied = checkGrant(grant, match.endpoint.check);
  if (denied) return denied;
  const query = checkParams(match.endpoint.params, path.query);
  if (typeof query === 'string') return { status: 400, error: 'bad_request', reason: query };
  const founder = founderListingRefusal(grant, match.endpoint, query);
  if (founder) return founder;
  return { user, db: path.db, rest: path.rest, grant, endpoint: match.endpoint, query };
}

async function gateway(app: FastifyInstance) {
  const deps = coreDeps(app);
  const upstream = new Upstream(deps.couch.config.url);
  const hooks = {
    ...ticketWriteHooks(() => app.ticketCatalog.get()),
    winterSections: () => app.winterSections?.get(),
    // Batches that need other documents to be judged: tasks and approvals, ticket comments, stocktakes.
    beginPortalBatch: withCommentBatches(
      () => app.couch,
      combineBatchHooks(
        portalGatewayHooks(() => app.couch),
        stocktakeGatewayHooks(() => app.couch),
        founderMediaBatch(() => app.couch),
        dispatchCorrectionsBatch(() => app.couch),
        assigneesBatch(
          () => app.couch,
          () => app.orgs.list()
        )
      )
    ),
    beginRelationsBatch: relationsGatewayHook(
      () => app.couch,
      () => app.orgs.list().map((o) => o.id)
    ),
    partialReads: founderPartialReads(() => app.couch),
    afterWrite: regionWriteAudit(new AuditLog(app.couch, app.log))
  };
  const streams = app.streams ?? new StreamQuota();
  const checked = new WeakMap<FastifyRequest, Checked>();
  const localDocs = new LocalDocRegistry(deps.couch);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    readBody(payload, bodyLimitFor(request.url), request.headers['content-length']).then(
      (body) => done(null, body),
      (err: Error) => done(err, undefined)
    );
  });
  app.setErrorHandler(errorReply);

  // Runs before Fastify reads a body: an anonymous or unauthorized upload is answered
  // without a byte of it being held (the socket then discards or closes it).
  app.addHook('onRequest', async (request, reply) => {
    const result = precheck(request, deps.orgs.list());
    if ('status' in result) {
      if (request.headers['content-length'] || request.headers['transfer-encoding']) {
        // The body stays unread: answer, then close the connection instead of draining it.
        reply.header('connection', 'close');
        reply.raw.once('finish', () => {
          const socket = request.raw.socket;
          if (request.raw.complete || !socket) return;
          socket.end();
          setTimeout(() => socket.destroy(), 2_000).unref();
        });
      }
      return reply.code(result.status).send({ error: result.error, reason: result.reason });
    }
    checked.set(request, result);
  });

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    const c = checked.get(request) ?? precheck(request, deps.orgs.list());
    if ('status' in c) return reply.code(c.status).send({ error: c.error, reason: c.reason });
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const founder = needsFounderDocCheck(c.grant, c.endpoint)
      ? await founderDocRefusal(app.couch, c.user, c.grant, c.rest[0])
      : founderBodyRefusal(c.grant, c.endpoint, body);
    if (founder) return reply.code(founder.status).send({ error: founder.error, reason: founder.reason });
    return HANDLERS[c.endpoint.handler]({
      request,
      reply,
      user: c.user,
      grant: c.grant,
      db: c.db,
      rest: c.rest,
      query: c.query,
      body,
      upstream,
      hooks,
      streams,
      localDocs,
      notify: (db) => deps.events.notify(db)
    });
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  app.route({ method: methods, url: '/couch', exposeHeadRoute: false, handler: handle });
  app.route({ method: methods, url: '/couch/*', exposeHeadRoute: false, handler: handle });
}

Object.assign(gateway, { [Symbol.for('fastify.display-name')]: 'gateway' });
export default gateway;
