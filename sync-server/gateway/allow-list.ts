/**
 * Everything the gateway forwards to CouchDB, in one table. A request that matches no row is
 * refused and never reaches CouchDB. The rows are exactly what CouchDB's replication protocol
 * (PouchDB, another CouchDB) and RxDB's CouchDB replication use; each names the check it runs
 * before its handler:
 *
 *   read        the database is in the user's list (`databasesFor`)
 *   write       … and writable for the user; every document then passes `validateDocs`
 *   media-read  read, and only in `media` databases (attachments live there alone)
 *   media-write write, and only in `media` databases
 */
import {
  ALL_DOCS_PARAMS,
  ATTACHMENT_PARAMS,
  BULK_GET_PARAMS,
  CHANGES_PARAMS,
  DOC_PARAMS,
  NO_PARAMS,
  type ParamRules
} from './params';

export type Check = 'read' | 'write' | 'media-read' | 'media-write';
export type Handler =
  | 'stream' // forward and stream the answer unchanged
  | 'changes' // forward; design documents removed from the answer
  | 'all-docs' // forward (keys checked); design documents removed from the answer
  | 'ids-checked' // forward a body naming documents, after refusing `_`-prefixed ids
  | 'local-put' // forward a small checkpoint document
  | 'bulk-docs' // validate each document, forward the accepted ones, merge the answers
  | 'put-doc'; // one document with inline attachments, validated like bulk-docs

/** `''` the database itself, `'<doc>'` a document id, `'<doc>/<att>'` an attachment, `'_local/<id>'`. */
export type PathShape =
  '' | '_changes' | '_all_docs' | '_revs_diff' | '_bulk_get' | '_bulk_docs' | '_local/<id>' | '<doc>' | '<doc>/<att>';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT';
  path: PathShape;
  check: Check;
  params: ParamRules;
  handler: Handler;
  why: string;
}

export const ALLOW_LIST: readonly Endpoint[] = [
  {
    method: 'GET',
    path: '',
    check: 'read',
    params: NO_PARAMS,
    handler: 'stream',
    why: 'database info: replicators start here'
  },
  {
    method: 'GET',
    path: '_changes',
    check: 'read',
    params: CHANGES_PARAMS,
    handler: 'changes',
    why: 'pull: normal and longpoll feeds, no filters'
  },
  {
    method: 'GET',
    path: '_all_docs',
    check: 'read',
    params: ALL_DOCS_PARAMS,
    handler: 'all-docs',
    why: 'RxDB reads conflicting docs by keys'
  },
  {
    method: 'POST',
    path: '_all_docs',
    check: 'read',
    params: ALL_DOCS_PARAMS,
    handler: 'all-docs',
    why: 'RxDB reads the master state before a push'
  },
  {
    method: 'POST',
    path: '_revs_diff',
    check: 'read',
    params: NO_PARAMS,
    handler: 'ids-checked',
    why: 'push: which revisions the server lacks'
  },
  {
    method: 'POST',
    path: '_bulk_get',
    check: 'read',
    params: BULK_GET_PARAMS,
    handler: 'ids-checked',
    why: 'pull: missing revisions in one request'
  },
  {
    method: 'POST',
    path: '_bulk_docs',
    check: 'write',
    params: NO_PARAMS,
    handler: 'bulk-docs',
    why: 'push (also new_edits:false)'
  },
  {
    method: 'GET',
    path: '_local/<id>',
    check: 'read',
    params: NO_PARAMS,
    handler: 'stream',
    why: 'replication checkpoint'
  },
  {
    method: 'PUT',
    path: '_local/<id>',
    check: 'write',
    params: NO_PARAMS,
    handler: 'local-put',
    why: 'replication checkpoint of a writer (a pushing replicator); size and count capped'
  },
  {
    method: 'GET',
    path: '<doc>',
    check: 'read',
    params: DOC_PARAMS,
    handler: 'stream',
    why: 'pull without _bulk_get: revs, open_revs'
  },
  {
    method: 'PUT',
    path: '<doc>',
    check: 'media-write',
    params: NO_PARAMS,
    handler: 'put-doc',
    why: 'PouchDB put of a photo with inline attachment'
  },
  {
    method: 'GET',
    path: '<doc>/<att>',
    check: 'media-read',
    params: ATTACHMENT_PARAMS,
    handler: 'stream',
    why: 'attachment bytes for PouchDB'
  }
];

const LITERAL = new Set(['_changes', '_all_docs', '_revs_diff', '_bulk_get', '_bulk_docs']);
export const LOCAL_ID = /^[A-Za-z0-9._~+=-]{1,200}$/;

/** The shape of a path after the database name, or null for anything outside the table's shapes. */
export function pathShape(rest: readonly string[]): PathShape | null {
  if (rest.length === 0) return '';
  const [first, second] = rest;
  if (rest.length === 1 && LITERAL.has(first)) return first as PathShape;
  if (first === '_local') return rest.length === 2 && LOCAL_ID.test(second) ? '_local/<id>' : null;
  if (first.startsWith('_')) return null; // _design, _security, _find, _purge, _index, _compact, …
  if (rest.length === 1) return '<doc>';
  if (rest.length === 2) return '<doc>/<att>';
  return null;
}

export type Match = { endpoint: Endpoint } | { status: number; error: string; reason: string };

export function matchEndpoint(method: string, rest: readonly string[]): Match {
  const shape = pathShape(rest);
  const path = rest.join('/');
  if (shape === null)
    return { status: 404, error: 'not_found', reason: `/${path} is not available through this server` };
  const endpoint = ALLOW_LIST.find((e) => e.path === shape && e.method === method);
  if (endpoint) return { endpoint };
  return {
    status: 405,
    error: 'method_not_allowed',
    reason: `${method} /${path} is not available through this server`
  };
}
