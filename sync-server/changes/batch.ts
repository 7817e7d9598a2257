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
import type {
  BatchChange,
  BatchChangesResponse,
  BatchDbChanges,
  BatchRefusal,
  Seq
} from '../../src/lib/domain/sync-protocol';
import { checkGrant, dbResolver, isRefusal } from '../gateway/db-access';
import type { Upstream } from '../gateway/upstream';
import { founderFeedRefusal } from '../portal/founder-media';
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

interface Page {
  results: BatchChange[];
  last_seq: Seq;
}

type Read = { ok: true; page: Page; asked: number } | { ok: false; error: BatchRefusal };

export interface BatchContext {
  user: SessionUser;
  orgs: readonly OrgInfo[];
  upstream: Upstream;
  signal?: AbortSignal;
  /** Identical reads of other users' pulls in flight, joined instead of repeated (`shared-reads.ts`). */
  shared?: SharedReads<StoreAnswer>;
}

/** What the store answered to one read, as shared between pulls. */
export type StoreAnswer = { status: number; data: unknown };

/** The store's answer to GET `db/<segments>?query`, made once for identical concurrent callers. */
function storeGet(ctx: BatchContext, db: string, segments: string[], query?: URLSearchParams): Promise<StoreAnswer> {
  const get = (signal: AbortSignal | undefined) =>
    ctx.upstream.json<unknown>(db, segments, { method: 'GET', query, signal });
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
    const res = (await storeGet(ctx, db, ['_changes'], query)) as { status: number; data: Page };
    if (res.status === 200 && Array.isArray(res.data.results))
      return { ok: true, page: res.data, asked: limit + DESIGN_ROWS };
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
function cut(page: Page, asked: number, room: number): { changes: BatchDbChanges; taken: number } {
  const results: BatchChange[] = [];
  let lastSeq: Seq | null = null;
  for (const r of page.results) {
    if (r.id.startsWith('_design/')) {
      lastSeq = r.seq;
      continue;
    }
    if (results.length === room) return { changes: { results, last_seq: lastSeq ?? r.seq, more: true }, taken: room };
    results.push(r);
    lastSeq = r.seq;
  }
  return {
    changes: { results, last_seq: page.last_seq, more: page.results.length >= asked },
    taken: results.length
  };
}

export async function readBatch(ctx: BatchContext, req: BatchRequest): Promise<BatchChangesResponse> {
  const out: BatchChangesResponse = { results: {}, refused: {}, unread: [] };
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
        const info = (await storeGet(ctx, db, [])) as { status: number; data: { doc_count?: number } };
        if (info.status === 200 && typeof info.data.doc_count === 'number')
          out.results[db].doc_count = info.data.doc_count;
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
      }
    })
  );
  return out;
}
