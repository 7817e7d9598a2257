/**
 * Splits a raw `/couch/...` URL into database, path segments and query, refusing anything a
 * proxy could be tricked by: encoded slashes or backslashes (which CouchDB would decode into
 * another path), dot segments, empty segments inside the path, control characters and
 * undecodable escapes. Works on the raw URL, before any framework normalisation.
 */
export interface CouchPath {
  db: string | null;
  /** Decoded path segments after the database; `[]` for `/couch/<db>` and `/couch/<db>/`. */
  rest: string[];
  query: URLSearchParams;
  rawQuery: string;
}

export interface PathError {
  status: number;
  error: string;
  reason: string;
}

const MAX_URL = 8 * 1024;

export function parseCouchPath(rawUrl: string): CouchPath | PathError {
  if (rawUrl.length > MAX_URL) return { status: 414, error: 'bad_request', reason: 'URL too long' };
  const q = rawUrl.indexOf('?');
  const rawPath = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const rawQuery = q === -1 ? '' : rawUrl.slice(q + 1);
  if (!rawPath.startsWith('/couch')) return { status: 404, error: 'not_found', reason: 'not a gateway path' };
  if (/%2f|%5c|\\/i.test(rawPath))
    return { status: 400, error: 'bad_request', reason: 'encoded slashes or backslashes are not allowed in the path' };
  const raw = rawPath.slice('/couch'.length).split('/').slice(1);
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return { status: 400, error: 'bad_request', reason: 'malformed percent-encoding in the path' };
  }
  // eslint-disable-next-line no-control-regex
  if (segments.some((s) => s === '.' || s === '..' || /[\u0000-\u001f\u007f]/.test(s))) {
    return {
      status: 400,
      error: 'bad_request',
      reason: 'dot segments and control characters are not allowed in the path'
    };
  }
  // A single trailing slash is how CouchDB clients address a database; other empty segments are not.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  if (segments.slice(1).some((s) => s === ''))
    return { status: 400, error: 'bad_request', reason: 'empty path segment' };
  const db = segments.length > 0 && segments[0] !== '' ? segments[0] : null;
  return { db, rest: segments.slice(1), query: new URLSearchParams(rawQuery), rawQuery };
}

export const isPathError = (p: CouchPath | PathError): p is PathError => 'status' in p;
