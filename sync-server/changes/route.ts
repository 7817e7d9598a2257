/**
 * `POST /api/changes`: the app's pull reads the changes of all its databases in a few
 * requests instead of one per database (a user of 140 organizations holds about 570). The
 * authorization is the gateway's, database by database (`batch.ts`); `/couch` keeps speaking
 * CouchDB's own protocol to every other client.
 */
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/require-user';
import { coreDeps } from '../auth/core-deps';
import { StreamQuota } from '../gateway/stream-quota';
import { clientGone, Upstream } from '../gateway/upstream';
import { answerBytes, readBatch, type StoreAnswer } from './batch';
import { answerEncoding, compressAnswer } from './compressed-answer';
import { SharedReads } from './shared-reads';
import { parseBatchRequest } from './request';

/** About 570 database names with CouchDB 3 sequences of ~100 characters fit many times over. */
const BODY_LIMIT = 1024 * 1024;

export default async function changesRoute(app: FastifyInstance): Promise<void> {
  const deps = coreDeps(app);
  const upstream = new Upstream(deps.couch.config.url);
  const shared = new SharedReads<StoreAnswer>();
  // Each request in flight holds a page of documents: one person's script cannot hold many.
  const inFlight = new StreamQuota(app.config.maxChangesPerUser, 'requests for changes');
  app.post('/api/changes', { preHandler: requireUser, bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const parsed = parseBatchRequest(request.body);
    if (typeof parsed === 'string') return reply.code(400).send({ error: 'bad_request', reason: parsed });
    const release = inFlight.open(request.user!.id);
    if (typeof release === 'string')
      return reply.code(429).header('retry-after', '2').send({ error: 'too_many_requests', reason: release });
    // Held until the answer (or the error a failed read is answered with) has left: compressed
    // and handed to the socket, which a client that never reads fills up; or until the client is
    // gone. `release` counts once.
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
    const signal = clientGone(reply);
    let answer: Awaited<ReturnType<typeof readBatch>>;
    try {
      answer = await readBatch({ user: request.user!, orgs: deps.orgs.list(), upstream, signal, shared }, parsed);
    } catch (err) {
      // The connection closed while the store was read (a tab closed, a phone lost its network):
      // the read was stopped on purpose, there is nobody to answer, and nothing failed.
      if (!signal.aborted) throw err;
      request.log.info('the client went away before its changes were read');
      return reply;
    }
    // Bytes, not an object: the rows are the store's own. Compressed when the client accepts it
    // (`compressed-answer.ts`): a first sync of 10,000 tickets is ~16 MB of JSON, ~1 MB as brotli.
    const sent = await compressAnswer(answerBytes(answer), answerEncoding(request.headers['accept-encoding']));
    if (sent.encoding) reply.header('content-encoding', sent.encoding);
    return reply
      .header('vary', 'accept-encoding')
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(sent.body);
  });
}
