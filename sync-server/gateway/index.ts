/**
 * `/couch/<db>/…`: the security boundary between clients and CouchDB.
 *
 * Guarantees: a request reaches CouchDB only if the user is signed in, the path is one of the
 * allow-list's shapes (no encoded slashes, dot segments or `_`-prefixed endpoints outside the
 * list), the database is in the user's list with the right it needs, every query parameter is
 * listed for its endpoint, and every written document passed `validateDocs`. Everything else
 * gets a JSON error and CouchDB never sees it. Bodies are read here with a limit per database
 * kind (1 MB; media 14 MB, i.e. a 10 MB attachment in base64 plus its document).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { parseDbName } from '../../src/lib/domain/databases';
import { coreDeps } from '../auth/core-deps';
import { matchEndpoint } from './allow-list';
import { checkGrant, closedOrgRefusal, isRefusal, resolveDb } from './db-access';
import { GatewayError, HANDLERS } from './handlers';
import { ticketWriteHooks } from './lifecycle-hook';
import { portalGatewayHooks } from '../portal/write-hook';
import { checkParams } from './params';
import { isPathError, parseCouchPath } from './request-path';
import { Upstream } from './upstream';

export const DOC_BODY_LIMIT = 1024 * 1024;
export const MEDIA_BODY_LIMIT = 14 * 1024 * 1024;
/** A `_bulk_docs` batch of up to 1,000 documents, each of them still held to DOC_BODY_LIMIT. */
export const BATCH_BODY_LIMIT = 16 * 1024 * 1024;

function bodyLimitFor(url: string): number {
  const db = /^\/couch\/([^/?]+)/.exec(url)?.[1];
  const ref = db ? parseDbName(db) : null;
  if (ref?.kind === 'org' && ref.collection === 'media') return MEDIA_BODY_LIMIT;
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
  if (err instanceof TypeError && /fetch failed/.test(err.message)) {
    request.log.warn({ err: err.cause ?? err }, 'CouchDB unreachable');
    return reply.code(503).send({
      error: 'unavailable',
      reason: 'the database server is not reachable right now; nothing was changed, try again'
    });
  }
  request.log.error({ err }, 'gateway request failed');
  return reply
    .code(500)
    .send({ error: 'internal_error', reason: 'the gateway failed on this request; it has been logged' });
}

async function gateway(app: FastifyInstance) {
  const deps = coreDeps(app);
  const upstream = new Upstream(deps.couch.config.url);
  const hooks = {
    ...ticketWriteHooks(() => app.ticketCatalog.get()),
    winterSections: () => app.winterSections?.get(),
    beginPortalBatch: portalGatewayHooks(() => app.couch)
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    readBody(payload, bodyLimitFor(request.url), request.headers['content-length']).then(
      (body) => done(null, body),
      (err: Error) => done(err, undefined)
    );
  });
  app.setErrorHandler(errorReply);

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    const refuse = (status: number, error: string, reason: string) => reply.code(status).send({ error, reason });
    const user = request.user;
    if (!user) return refuse(401, 'unauthorized', 'sign in first (no valid session)');
    const path = parseCouchPath(request.raw.url ?? request.url);
    if (isPathError(path)) return refuse(path.status, path.error, path.reason);
    if (!path.db) return refuse(404, 'not_found', 'address a database: /couch/<database>/');
    const grant = resolveDb(user, path.db, deps.orgs.list());
    if (isRefusal(grant)) return refuse(grant.status, grant.error, grant.reason);
    const match = matchEndpoint(request.method, path.rest);
    if ('status' in match) return refuse(match.status, match.error, match.reason);
    const closed = closedOrgRefusal(grant, match.endpoint.check);
    if (closed) return refuse(closed.status, closed.error, closed.reason);
    const denied = checkGrant(grant, match.endpoint.check);
    if (denied) return refuse(denied.status, denied.error, denied.reason);
    const query = checkParams(match.endpoint.params, path.query);
    if (typeof query === 'string') return refuse(400, 'bad_request', query);
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    return HANDLERS[match.endpoint.handler]({
      request,
      reply,
      user,
      grant,
      db: path.db,
      rest: path.rest,
      query,
      body,
      upstream,
      hooks,
      notify: (db) => deps.events.notify(db)
    });
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  app.route({ method: methods, url: '/couch', exposeHeadRoute: false, handler: handle });
  app.route({ method: methods, url: '/couch/*', exposeHeadRoute: false, handler: handle });
}

Object.assign(gateway, { [Symbol.for('fastify.display-name')]: 'gateway' });
export default gateway;
