/**
 * Errors as JSON a person can act on, in CouchDB's `{error, reason}` form (the gateway speaks
 * it too, so clients parse one shape). Server faults are logged and never leak internals.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
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

export function registerErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
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
