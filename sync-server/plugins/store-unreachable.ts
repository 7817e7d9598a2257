/**
 * Whether an error means "CouchDB did not answer" (down, restarting, connection cut mid-answer)
 * rather than a fault of ours. Such requests get 503 and a reason a person can act on; a device
 * keeps its unsent work and retries. The error arrives in several shapes: undici's `fetch failed`
 * or `terminated` TypeError with the socket error as its cause, a socket error code, or nano's
 * wrapper, which keeps only the cause's text in its message.
 */
const CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
]);

/** What nano's wrapper keeps of a connection failure (its cause's text, never its code). */
const CONNECTION_TEXT = new RegExp(`${[...CODES].join('|')}|other side closed|socket hang up|fetch failed|terminated`);

export const STORE_UNREACHABLE_REASON =
  'the database server is not reachable right now; nothing was changed, try again';

export function isStoreUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && CODES.has(code)) return true;
    if (typeof message === 'string') {
      if (name === 'TypeError' && /^(fetch failed|terminated)$/.test(message)) return true;
      if (message.startsWith('error happened in your connection') && CONNECTION_TEXT.test(message)) return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
