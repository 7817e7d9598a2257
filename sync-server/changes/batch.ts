/**
 * The changes of many databases in one answer, with exactly the gateway's authorization.
 *
 * Guarantees: a database is read only when `resolveDb` grants it to the session's user and
 * the allow-list's `read` check passes, the same two steps a `GET /couch/<db>/_changes` runs
 * (so a role never reads notes it may not, a contractor only the organizations of their
 * districts, nobody a closed organization's data unless an administrator); every other name
 * gets the gateway's refusal for that database, and nothing of it is read. Design documents
 * never appear. The answer holds at most `limit` documents over all databases: databases are
 * read in the order asked, a few at a time, and once the answer is full the database being
 * read is cut after its last included change (its `last_seq` is that change's sequence,
 * which `_changes` accepts as `since`) and the rest are listed as unread, to be asked again.
 * A database CouchDB fails to answer is reported with the error and does not hold up the others.
 */
import type { OrgInfo, SessionUser } from '../../src/lib/domain/access';
import type { BatchRefusal, Seq } from '../../src/lib/domain/sync-protocol';
import { checkGrant, dbResolver, isRefusal } from '../gateway/db-access';
import type { Upstream } from '../gateway/upstream';
import { founderFeedRefusal } from '../portal/founder-media';
import { scanChanges, type RawChanges, type RawRow } from './raw-changes';
import type { BatchRequest } from './request';
import type { SharedReads } from './shared-reads';

/** Databases read from CouchDB at once: enough to hide its latency, few enough to waste little past a full answer. */
const WINDOW = 8;

/**
 * Rows asked beyond the room left: a database's design documents are rows of its feed too
 * (provisioned first, so in its first page), and a page they shortened sent the client back
 * for the one or two documents missing, a round trip before a new device could store its
 * first page. The rows past the room are dropped by the cut.
 */
const DESIGN_ROWS = 4;

type Read = { ok: true; page: RawChanges; asked: number } | { ok: false; error: BatchRefusal };

/** One database's part of the answer: rows of the store's own answer, passed on as its bytes. */
export interface RawDbChanges {
  body: Buffer;
  rows: RawRow[];
  last_seq: Seq;
  more: boolean;
  doc_count?: number;
}

/** The answer before it is written out (`answerBytes`): `BatchChangesResponse` once serialized. */
export interface BatchAnswer {
  results: Record<string, RawDbChanges>;
  refused: Record<string, BatchRefusal>;
  unread: string[];
}

export interface BatchContext {
  user: SessionUser;
  orgs: readonly OrgInfo[];
  upstream: Upstream;
  signal?: AbortSignal;
  /** Identical reads of other users' pulls in flight, joined instead of repeated (`shared-reads.ts`). */
  shared?: SharedReads<StoreAnswer>;
}

/** What the store answered to one read, as shared between pulls: its body unparsed. */
export type StoreAnswer = { status: number; body: Buffer };

/** The store's answer to GET `db/<segments>?query`, made once for identical concurrent callers. */
function storeGet(ctx: BatchContext, db: string, segments: string[], query?: URLSearchParams): Promise<StoreAnswer> {
  const get = (signal: AbortSignal | undefined) => ctx.upstream.bytes(db, segments, { method: 'GET', query, signal });
  if (!ctx.shared) return get(ctx.signal);
  return ctx.shared.read(db, `${segments.join('/')}?${query?.toString() ?? ''}`, ctx.signal, get);
}

async function readOne(ctx: BatchContext, db: string, since: Seq, limit: number): Promise<Read> {
  const query = new URLSearchParams({
    include_docs: 'true',
    style: 'main_only',
    since: String(since),
    limit: String(limit + DESIGN_ROWS)
  });
  try {
    const res = await storeGet(ctx, db, ['_changes'], query);
    const page = res.status === 200 ? scanChanges(res.body) : null;
    if (page) return { ok: true, page, asked: limit + DESIGN_ROWS };
    const status = res.status === 404 ? 404 : 502;
    return {
      ok: false,
      error: {
        status,
        error: status === 404 ? 'not_found' : 'unavailable',
        reason: status === 404 ? `no database ${db}` : `the database server could not read ${db}; try again`
      }
    };
  } catch (err) {
    if (ctx.signal?.aborted) throw err;
    return {
      ok: false,
      error: { status: 503, error: 'unavailable', reason: `the database server did not answer for ${db}; try again` }
    };
  }
}

const isStart = (seq: Seq) => seq === 0 || seq === '0';

/** Takes changes of one page until the answer holds `room` more documents; design documents are skipped. */
function cut(page: RawChanges, asked: number, room: number): { changes: RawDbChanges; taken: number } {
  const rows: RawRow[] = [];
  const { body } = page;
  let lastSeq: Seq | null = null;
  for (const r of page.rows) {
    if (r.id.startsWith('_design/')) {
      lastSeq = r.seq;
      continue;
    }
    if (rows.length === room) return { changes: { body, rows, last_seq: lastSeq ?? r.seq, more: true }, taken: room };
    rows.push(r);
    lastSeq = r.seq;
  }
  return {
    changes: { body, rows, last_seq: page.lastSeq, more: page.rows.length >= asked },
    taken: rows.length
  };
}

/**
 * The answer as JSON (`BatchChangesResponse`): each database's rows copied from the store's
 * bytes, a run of rows that stood together in the store's answer as one slice.
 */
export function answerBytes(answer: BatchAnswer): Buffer {
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s));
  text('{"results":{');
  let firstDb = true;
  for (const [db, c] of Object.entries(answer.results)) {
    text(`${firstDb ? '' : ','}${JSON.stringify(db)}:{"results":[`);
    firstDb = false;
    let i = 0;
    while (i < c.rows.length) {
      let j = i;
      while (j + 1 < c.rows.length && c.rows[j + 1].index === c.rows[j].index + 1) j++;
      if (i > 0) text(',');
      parts.push(c.body.subarray(c.rows[i].start, c.rows[j].end));
      i = j + 1;
    }
    const size = c.doc_count === undefined ? '' : `,"doc_count":${c.doc_count}`;
    text(`],"last_seq":${JSON.stringify(c.last_seq)},"more":${c.more}${size}}`);
  }
  text(`},"refused":${JSON.stringify(answer.refused)},"unread":${JSON.stringify(answer.unread)}}`);
  return Buffer.concat(parts as Uint8Array[]);
}

export async function readBatch(ctx: BatchContext, req: BatchRequest): Promise<BatchAnswer> {
  const out: BatchAnswer = { results: {}, refused: {}, unread: [] };
  const readable: [string, Seq][] = [];
  const resolve = dbResolver(ctx.user, ctx.orgs);
  for (const [db, since] of req.since) {
    const grant = resolve(db);
    // The same refusals as the gateway's `_changes`, a founder's listing of files included.
    const refusal = isRefusal(grant) ? grant : (checkGrant(grant, 'read') ?? founderFeedRefusal(grant));
    if (refusal) out.refused[db] = { status: refusal.status, error: refusal.error, reason: refusal.reason };
    else readable.push([db, since]);
  }
  let room = req.limit;
  const firstReads: string[] = [];
  // A sliding window: a new read starts as soon as the oldest one is taken, not when a whole
  // group of WINDOW finished (a user of 140 organizations waited on the slowest of every group).
  // Answers are taken in the order asked, so the cut is the same as reading one by one.
  const inFlight: { db: string; since: Seq; read: Promise<Read> }[] = [];
  let next = 0;
  const launch = () => {
    while (inFlight.length < WINDOW && next < readable.length && room > 0) {
      const [db, since] = readable[next++];
      const read = readOne(ctx, db, since, room);
      // Only an aborted request rejects; the one awaited first reports it.
      read.catch(() => undefined);
      inFlight.push({ db, since, read });
    }
  };
  launch();
  while (inFlight.length > 0) {
    const { db, since, read: pending } = inFlight.shift()!;
    const read = await pending;
    if (!read.ok) out.refused[db] = read.error;
    else if (room <= 0) out.unread.push(db);
    else {
      const { changes, taken } = cut(read.page, read.asked, room);
      room -= taken;
      out.results[db] = changes;
      if (changes.more && isStart(since)) firstReads.push(db);
    }
    launch();
  }
  out.unread.push(...readable.slice(next).map(([db]) => db));
  // The size of a database read from its start, for the first sync's progress: only where this page is not all of it.
  await Promise.all(
    firstReads.map(async (db) => {
      try {
        const info = await storeGet(ctx, db, []);
        const count =
          info.status === 200 ? (JSON.parse(info.body.toString()) as { doc_count?: unknown }).doc_count : null;
        if (typeof count === 'number') out.results[db].doc_count = count;
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
      }
    })
  );
  return out;
}
