/**
 * Errors as JSON a person can act on, in CouchDB's `{error, reason}` form (the gateway speaks
 * it too, so clients parse one shape). Server faults are logged and never leak internals.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { isStoreUnreachable, STORE_UNREACHABLE_REASON } from './store-unreachable';

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests'
};

/**
 * The client closed its connection before the answer's first bytes. A streamed answer (a
 * compressing stream, the store's answer passed through) sends its headers with its first bytes;
 * a connection closed before then ends that stream early, and Fastify hands the stream's
 * "premature close" to this handler as if the route had failed (for a request whose body it read
 * whole: a POST).
 */
function clientGone(err: FastifyError, request: FastifyRequest): boolean {
  return err.code === 'ERR_STREAM_PREMATURE_CLOSE' && request.raw.socket?.destroyed !== false;
}

export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (clientGone(err, request)) {
      // Nobody to answer, and nothing failed: a tab closed or a phone lost its network.
      request.log.info('the client went away before its answer was sent');
      reply.hijack();
      reply.raw.destroy();
      return;
    }
    // A compressed answer that failed before its first bytes left already carries its encoding;
    // the error is a new answer, compressed (or not) afresh, not sent as plain JSON marked gzip.
    if (!reply.raw.headersSent) {
      reply.removeHeader('content-encoding');
      reply.raw.removeHeader('content-encoding');
    }
    if (isStoreUnreachable(err)) {
      request.log.warn({ err }, 'CouchDB unreachable');
      return reply.code(503).send({ error: 'unavailable', reason: STORE_UNREACHABLE_REASON });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply
        .code(status)
        .send({ error: 'internal_error', reason: 'The server failed to handle this request; it has been logged.' });
    }
    let reason = err.message;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      reason = `The request body is larger than the ${app.config.bodyLimit} bytes allowed.`;
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') reason = 'Send JSON with Content-Type: application/json.';
    if (err.validation) reason = `Invalid request: ${err.message}`;
    return reply.code(status).send({ error: CODES[status] ?? 'bad_request', reason });
  });
}
