/** What each allow-list row does once its checks passed. */
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../src/lib/domain/access';
import type { Doc } from '../../src/lib/domain/write-rules';
import type { GatewayHooks } from './lifecycle-hook';
import type { Handler } from './allow-list';
import type { DbGrant } from './db-access';
import { MAX_KEYS, MAX_KEYS_WITH_DOCS, MAX_PAGE } from './params';
import { DesignDocFilter } from './stream-filter';
import { MAX_LOCAL_DOC_BYTES, type LocalDocRegistry } from './local-docs';
import type { StreamQuota } from './stream-quota';
import { clientGone, type Upstream, type UpstreamAnswer } from './upstream';
import { utf8Text } from './utf8-text';
import { mergeResults, serializeAccepted, validateDoc, type DocOutcome } from './validate-docs';

export const MAX_BATCH = 1000;
/**
 * Entries of one `_bulk_get`: PouchDB asks for one per missing revision of a batch of 100
 * changes (its default `batch_size`); twice that leaves room for conflicting revisions.
 */
export const MAX_BULK_GET = 200;

export interface HandlerContext {
  request: FastifyRequest;
  reply: FastifyReply;
  user: SessionUser;
  grant: DbGrant;
  db: string;
  rest: string[];
  query: URLSearchParams;
  body: Buffer | undefined;
  upstream: Upstream;
  hooks: GatewayHooks;
  streams: StreamQuota;
  localDocs: LocalDocRegistry;
  notify(db: string): void;
}

export class GatewayError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly reason: string
  ) {
    super(reason);
  }
}

const bad = (reason: string) => new GatewayError(400, 'bad_request', reason);
const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);

function parseJson(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) throw bad('a JSON body is required');
  try {
    return JSON.parse(utf8Text(body));
  } catch (err) {
    throw bad(`the body is not valid JSON: ${(err as Error).message}`);
  }
}

function refuseReservedIds(ids: unknown[]): void {
  for (const id of ids) {
    if (typeof id !== 'string' || id === '') throw bad('document ids must be non-empty strings');
    if (id.startsWith('_'))
      throw new GatewayError(403, 'forbidden', `${id}: design and local documents are not available here`);
  }
}

async function send(ctx: HandlerContext, res: UpstreamAnswer, body?: Readable) {
  ctx.reply.code(res.status).header('cache-control', 'no-store');
  for (const h of ['content-type', 'etag', 'content-length']) {
    const v = res.header(h);
    if (v && !(h === 'content-length' && body)) ctx.reply.header(h, v);
  }
  return ctx.reply.send(body ?? res.body);
}

async function forward(ctx: HandlerContext, method: string, body?: string, query = ctx.query) {
  const signal = clientGone(ctx.reply);
  return ctx.upstream.request(ctx.upstream.url(ctx.db, ctx.rest, query), { method, body, signal });
}

async function streamed(ctx: HandlerContext) {
  // A partial reader's database info is its name: the counts and the update sequence would tell
  // how many documents it may not read the database holds, and when they change. No client of
  // such a reader reads them (PouchDB asks its own source's info, not the target's).
  if (ctx.rest.length === 0 && ctx.hooks.partialReads?.(ctx.grant))
    return ctx.reply.code(200).header('cache-control', 'no-store').send({ db_name: ctx.db });
  return send(ctx, await forward(ctx, 'GET'));
}

async function designFiltered(
  ctx: HandlerContext,
  kind: 'changes' | 'all-docs',
  method: string,
  body?: string,
  query?: URLSearchParams
) {
  const res = await forward(ctx, method, body, query);
  if (res.status >= 300) return send(ctx, res);
  const source = res.body;
  const filter = new DesignDocFilter(kind === 'changes' ? 'results' : 'rows');
  filter.on('error', (err) => {
    ctx.request.log.warn({ err }, 'could not filter a CouchDB answer');
    source.destroy();
  });
  source.on('error', (err) => filter.destroy(err));
  return send(ctx, res, source.pipe(filter));
}

/** A page without `limit` would be the whole database: it gets the largest page instead. */
function withPageLimit(query: URLSearchParams, hasKeys: boolean): URLSearchParams {
  if (query.has('limit') || hasKeys) return query;
  const out = new URLSearchParams(query);
  out.set('limit', String(MAX_PAGE));
  return out;
}

/** `_changes`: at most one page per request; a longpoll counts as one of the user's live streams. */
async function changes(ctx: HandlerContext) {
  const query = withPageLimit(ctx.query, false);
  if (query.get('feed') !== 'longpoll') return designFiltered(ctx, 'changes', 'GET', undefined, query);
  const release = ctx.streams.open(ctx.user.id);
  if (typeof release === 'string') throw new GatewayError(429, 'too_many_requests', release);
  ctx.reply.raw.once('close', release);
  return designFiltered(ctx, 'changes', 'GET', undefined, query);
}

function checkKeyCount(count: number, includeDocs: boolean) {
  const max = includeDocs ? MAX_KEYS_WITH_DOCS : MAX_KEYS;
  if (count > max)
    throw bad(
      `at most ${max} document ids per request${includeDocs ? ' with include_docs' : ''}; send several requests`
    );
}

const ALL_DOCS_BODY_OPTIONS = new Set(['include_docs', 'conflicts', 'attachments', 'descending', 'limit', 'skip']);
const ALL_DOCS_BODY_COUNTS = new Set(['limit', 'skip']);

/**
 * Answers a listing by keys for a user who may see only some of the database's documents;
 * false when the user reads the database whole (CouchDB answers).
 */
async function answeredInPart(ctx: HandlerContext, keys: readonly string[], query: URLSearchParams) {
  const reader = ctx.hooks.partialReads?.(ctx.grant);
  if (!reader) return false;
  // The reader's rows are judged from the documents, read here for every key.
  if (keys.length > MAX_KEYS_WITH_DOCS)
    throw bad(`at most ${MAX_KEYS_WITH_DOCS} document ids per request here; send several requests`);
  const rows = await reader.keyedRows(ctx.user, keys, query);
  void ctx.reply.code(200).header('cache-control', 'no-store').send({ total_rows: rows.length, offset: 0, rows });
  return true;
}

async function allDocs(ctx: HandlerContext) {
  if (ctx.request.method === 'GET') {
    const keys = ctx.query.get('keys');
    if (keys !== null) {
      const list = JSON.parse(keys) as string[];
      checkKeyCount(list.length, ctx.query.get('include_docs') === 'true');
      if (await answeredInPart(ctx, list, ctx.query)) return ctx.reply;
    }
    return designFiltered(ctx, 'all-docs', 'GET', undefined, withPageLimit(ctx.query, keys !== null));
  }
  const body = parseJson(ctx.body);
  if (!isObject(body)) throw bad('send {"keys": [...]}');
  const query = new URLSearchParams(ctx.query);
  for (const [k, v] of Object.entries(body)) {
    if (k === 'keys' || k === 'deleted') continue; // `deleted: "ok"` is RxDB's; CouchDB lists deleted keys anyway
    if (k === 'attachments' && v === true)
      throw bad('"attachments" is not available here: read attachments one document at a time');
    if (!ALL_DOCS_BODY_OPTIONS.has(k)) throw bad(`"${k}" is not allowed in an _all_docs request`);
    // Each option in its own type: the embedded store reads `"include_docs": 1` as true, which
    // the checks on `include_docs` (key count, a founder's listing) would not see.
    if (ALL_DOCS_BODY_COUNTS.has(k)) {
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw bad(`"${k}" must be a count`);
    } else if (typeof v !== 'boolean') throw bad(`"${k}" must be true or false`);
    query.set(k, String(v));
  }
  const keys = body.keys;
  if (!Array.isArray(keys)) throw bad('"keys" must be a list of document ids');
  checkKeyCount(keys.length, query.get('include_docs') === 'true');
  if (!keys.every((k) => typeof k === 'string')) throw bad('"keys" must be document ids (strings)');
  if (query.has('limit') && Number(query.get('limit')) > MAX_PAGE) throw bad(`"limit" may be at most ${MAX_PAGE}`);
  if (await answeredInPart(ctx, keys as string[], query)) return ctx.reply;
  return designFiltered(ctx, 'all-docs', 'POST', JSON.stringify({ keys }), query);
}

/** `_revs_diff` and `_bulk_get`: bodies that name documents; reserved ids are refused. */
async function idsChecked(ctx: HandlerContext) {
  const body = parseJson(ctx.body);
  if (!isObject(body)) throw bad('the body must be a JSON object');
  let forwarded: unknown;
  if (ctx.rest[0] === '_revs_diff') {
    const ids = Object.keys(body);
    if (ids.length > MAX_PAGE) throw bad(`at most ${MAX_PAGE} documents per _revs_diff; send smaller batches`);
    refuseReservedIds(ids);
    for (const revs of Object.values(body))
      if (!Array.isArray(revs) || !revs.every((r) => typeof r === 'string'))
        throw bad('each id must map to a list of revisions');
    forwarded = body;
  } else {
    const docs = body.docs;
    if (!Array.isArray(docs)) throw bad('"docs" must be a list of {id, rev} entries');
    if (docs.length > MAX_BULK_GET)
      throw bad(`at most ${MAX_BULK_GET} entries per _bulk_get (a replicator's batch_size of 100 needs no more)`);
    if (!docs.every(isObject)) throw bad('each entry of "docs" must be an object with an id');
    refuseReservedIds(docs.map((d) => d.id));
    // CouchDB answers `atts_since` with the attachments inline: a batch of whole files.
    if (docs.some((d) => 'atts_since' in d))
      throw bad('"atts_since" is not available here: read attachments one document at a time');
    forwarded = { docs: docs.map((d) => ({ id: d.id, ...(typeof d.rev === 'string' ? { rev: d.rev } : {}) })) };
  }
  const res = await forward(ctx, 'POST', JSON.stringify(forwarded));
  // Apache CouchDB names the revisions it holds of an id as its `possible_ancestors`: to a
  // partial reader, that an unreadable document exists and how it changed. No client reads them.
  if (ctx.rest[0] !== '_revs_diff' || res.status !== 200 || !ctx.hooks.partialReads?.(ctx.grant)) return send(ctx, res);
  const diff = (await res.body.json()) as Record<string, { missing?: unknown }>;
  const missingOnly = Object.fromEntries(Object.entries(diff).map(([id, d]) => [id, { missing: d.missing }]));
  return ctx.reply.code(200).header('cache-control', 'no-store').send(missingOnly);
}

async function localPut(ctx: HandlerContext) {
  if ((ctx.body?.length ?? 0) > MAX_LOCAL_DOC_BYTES)
    throw new GatewayError(413, 'too_large', `a checkpoint may have at most ${MAX_LOCAL_DOC_BYTES / 1024} KB`);
  const body = parseJson(ctx.body);
  if (!isObject(body)) throw bad('a checkpoint must be a JSON object');
  const refused = await ctx.localDocs.admit(ctx.db, ctx.rest[1], ctx.user.id);
  if (refused) throw new GatewayError(403, 'forbidden', refused);
  return send(ctx, await forward(ctx, 'PUT', JSON.stringify(body)));
}

/** Validates and writes a batch; the answer is CouchDB's `_bulk_docs` form with refusals merged in. */
async function writeBatch(
  ctx: HandlerContext,
  docs: unknown[],
  newEdits: boolean
): Promise<{ status: number; rows: Doc[] } | { status: number; raw: unknown }> {
  // Only updates need the stored version: a create (no _rev) of an id that exists is answered
  // `conflict` by CouchDB, so judging it as a create cannot let anything through. Except where
  // ids are made from content (an asset's from its inventory number): there a create meeting a
  // stored document is a duplicate, refused with that reason rather than a bare conflict.
  const contentIds = ctx.grant.ref.kind === 'org' && ctx.grant.ref.collection === 'assets';
  const needsStored = (d: unknown) => isObject(d) && (!newEdits || contentIds || typeof d._rev === 'string');
  const ids = [
    ...new Set(
      docs
        .filter(needsStored)
        .map((d) => (isObject(d) ? d._id : undefined))
        .filter((id): id is string => typeof id === 'string' && id !== '' && !id.startsWith('_'))
    )
  ];
  const current = new Map<string, Doc | null>();
  const currentRevs = new Map<string, string>();
  if (ids.length > 0) {
    const found = await ctx.upstream.json<{
      rows: { key: string; doc?: Doc | null; value?: { rev?: string } }[];
    }>(ctx.db, ['_all_docs'], {
      method: 'POST',
      query: new URLSearchParams({ include_docs: 'true' }),
      body: { keys: ids }
    });
    if (found.status !== 200)
      throw new GatewayError(502, 'unavailable', 'could not read the stored documents; nothing was written');
    for (const row of found.data.rows) {
      current.set(row.key, row.doc ?? null);
      if (typeof row.value?.rev === 'string') currentRevs.set(row.key, row.value.rev);
    }
  }
  const portal = await ctx.hooks.beginPortalBatch?.(ctx.grant.ref, docs, current);
  const relations = await ctx.hooks.beginRelationsBatch?.(ctx.grant.ref, docs).catch((err: unknown) => {
    portal?.release();
    throw err;
  });
  try {
    const batch = {
      user: ctx.user,
      grant: ctx.grant,
      newEdits,
      current,
      currentRevs,
      now: new Date().toISOString(),
      hooks: { ...ctx.hooks, ...portal?.hooks, ...relations?.hooks }
    };
    const judged: DocOutcome[] = docs.map((d) => validateDoc(d, batch));
    const { outcomes, docs: accepted, body } = serializeAccepted(judged, ctx.grant, newEdits);
    let upstreamRows: Doc[] = [];
    if (accepted.length > 0) {
      const res = await ctx.upstream.json<unknown>(ctx.db, ['_bulk_docs'], {
        method: 'POST',
        rawBody: body
      });
      if (res.status >= 300 || !Array.isArray(res.data)) return { status: res.status, raw: res.data };
      upstreamRows = res.data as Doc[];
      ctx.notify(ctx.db);
      if (ctx.hooks.afterWrite) {
        const docs = writtenDocs(accepted, upstreamRows, newEdits, currentRevs).map((after) => ({
          before: current.get(String(after._id)) ?? null,
          after
        }));
        if (docs.length) await ctx.hooks.afterWrite({ user: ctx.user, db: ctx.db, ip: ctx.request.ip, docs });
      }
    }
    return { status: 201, rows: mergeResults(outcomes, upstreamRows) };
  } finally {
    portal?.release();
    relations?.release();
  }
}

/**
 * The accepted documents CouchDB stored. An ordinary write answers a row per document; a
 * replicated one (`new_edits: false`) answers only its failures, and a revision already stored
 * is answered as nothing at all while writing nothing.
 */
export function writtenDocs(
  accepted: readonly Doc[],
  rows: readonly Doc[],
  newEdits: boolean,
  currentRevs: ReadonlyMap<string, string>
): Doc[] {
  if (newEdits) {
    const stored = new Set(rows.filter((r) => r.ok).map((r) => r.id));
    return accepted.filter((d) => stored.has(d._id));
  }
  const failed = new Set(rows.filter((r) => r.error).map((r) => r.id));
  return accepted.filter((d) => !failed.has(d._id) && currentRevs.get(String(d._id)) !== d._rev);
}

async function bulkDocs(ctx: HandlerContext) {
  const body = parseJson(ctx.body);
  if (!isObject(body) || !Array.isArray(body.docs)) throw bad('send {"docs": [...]} (and optionally "new_edits")');
  for (const k of Object.keys(body))
    if (k !== 'docs' && k !== 'new_edits') throw bad(`"${k}" is not supported in _bulk_docs`);
  if (body.new_edits !== undefined && typeof body.new_edits !== 'boolean')
    throw bad('"new_edits" must be true or false');
  if (body.docs.length > MAX_BATCH)
    throw new GatewayError(413, 'too_large', `at most ${MAX_BATCH} documents per _bulk_docs; send smaller batches`);
  const result = await writeBatch(ctx, body.docs, body.new_edits !== false);
  ctx.reply.header('cache-control', 'no-store');
  return ctx.reply.code(result.status).send('rows' in result ? result.rows : result.raw);
}

/** PouchDB's `put` of one document (with inline attachments) into a media database. */
async function putDoc(ctx: HandlerContext) {
  const body = parseJson(ctx.body);
  if (!isObject(body)) throw bad('the document must be a JSON object');
  const id = ctx.rest[0];
  if (body._id !== undefined && body._id !== id) throw bad(`_id (${String(body._id)}) does not match the URL (${id})`);
  const result = await writeBatch(ctx, [{ ...body, _id: id }], true);
  if (!('rows' in result)) return ctx.reply.code(result.status).send(result.raw);
  const row = result.rows[0] ?? { error: 'unknown', reason: 'CouchDB gave no answer for the document' };
  if (row.ok) return ctx.reply.code(201).send(row);
  const status = row.error === 'forbidden' ? 403 : row.error === 'conflict' ? 409 : 400;
  return ctx.reply.code(status).send({ error: row.error, reason: row.reason });
}

export const HANDLERS: Record<Handler, (ctx: HandlerContext) => Promise<unknown>> = {
  stream: streamed,
  changes,
  'all-docs': allDocs,
  'ids-checked': idsChecked,
  'local-put': localPut,
  'bulk-docs': bulkDocs,
  'put-doc': putDoc
};
