/**
 * Every document written through the gateway passes here before CouchDB sees it: its shape
 * (schema), its organization, its audit fields, the role rules of its collection and, in
 * media databases, its attachments. A refused document becomes CouchDB's own per-document
 * error `{id, error: "forbidden", reason}`; the others are written, so one bad document never
 * blocks a batch.
 *
 * Server-owned fields: `receivedAt` of the document (first acceptance) and `receivedAt` of each
 * event (its own acceptance, `src/lib/domain/receipt-time.ts`). On ordinary writes (new_edits
 * true) new ones are stamped and stored ones carried over from the stored version, whatever
 * the client sent; CouchDB computes the new revision from the stamped body, so nothing is
 * inconsistent. Device times that cannot be honest (far in the future, before the record was
 * created) are refused, so a fast clock neither orders events nor wins merges.
 *
 * Replicated revisions (new_edits false) keep the sender's revision id, which must keep naming
 * the sender's exact body, so the server cannot stamp them. They are therefore accepted only
 * where the design needs them: PouchDB replicating a media database, and an administrator
 * importing history elsewhere. Even there each is checked exactly like an ordinary write: it
 * must extend the current winning revision (no conflict branch can outvote it), it is judged
 * against that version by the same schema, audit, role and lifecycle rules, and it must carry
 * every stored server-owned value unchanged and claim no new one.
 *
 * A new ticket is routed in the same step (new_edits true only): the server appends an
 * `assign` event by `system` (central queue or the district's contractor) to the body it
 * forwards, after the sender's own write passed every check. The sender's revision then names
 * the routed body; its next pull brings the routed version, and an edit built on the unrouted
 * one meets a conflict that the tickets' merge resolves as a union of events.
 */
import type { SessionUser } from '../../src/lib/domain/access';
import { isMediaCollection } from '../../src/lib/domain/databases';
import { MAX_ATTACHMENT_BYTES, MEDIA_TYPES } from '../../src/lib/domain/schemas';
import { deepEqual } from '../../src/lib/domain/merge';
import { checkDeviceTime, receiptTimesKept, stampEvents } from '../../src/lib/domain/receipt-time';
import { checkAudit, checkWrite, type Doc } from '../../src/lib/domain/write-rules';
import type { DbGrant } from './db-access';
import type { GatewayHooks } from './lifecycle-hook';
import { checkSchema, eventFieldsOf, schemaFor } from './schema-validators';

export interface ForbiddenRow {
  id: string;
  error: 'forbidden';
  reason: string;
}

export type DocOutcome = { ok: true; doc: Doc } | { ok: false; row: ForbiddenRow };

export interface BatchContext {
  user: SessionUser;
  grant: DbGrant;
  newEdits: boolean;
  /** Stored winning revision of each id (null: absent or deleted), fetched in one request. */
  current: ReadonlyMap<string, Doc | null>;
  /** Winning revision of each id, deleted ones included (replicated revisions must extend it). */
  currentRevs?: ReadonlyMap<string, string>;
  now: string;
  hooks?: GatewayHooks;
}

/** Special members CouchDB accepts on a write; `_conflicts` is dropped, anything else refused. */
const WRITABLE_SPECIALS = new Set(['_id', '_rev', '_deleted', '_revisions', '_attachments']);
const DROPPED_SPECIALS = new Set(['_conflicts']);

/** The id a document claims, for the per-document answer (CouchDB uses the same field). */
export const claimedId = (doc: unknown): string =>
  doc && typeof doc === 'object' && typeof (doc as Doc)._id === 'string' ? ((doc as Doc)._id as string) : '';

/** Document fields without CouchDB's special members, with the primary key set from `_id`. */
export function plainFields(doc: Doc, primaryKey: string): Doc {
  const out: Doc = {};
  // Keys and an index, not `Object.entries`: a batch copies a thousand documents this way, and
  // the entries' pairs made the copy about 2.5 times as slow.
  const keys = Object.keys(doc);
  for (let i = 0; i < keys.length; i++) if (!keys[i].startsWith('_')) out[keys[i]] = doc[keys[i]];
  if (typeof doc._id === 'string') out[primaryKey] = doc._id;
  return out;
}

/** Standard base64 (what CouchDB decodes), padded to whole quadruples. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * `stored`: the stored version the write builds on, where it names one (`_rev`). A stub keeps an
 * attachment of that version; data must be base64. Either failure was the store's for the whole
 * batch (500 `badarg`, 412 `missing_stub`): every other document of it failed with it.
 */
function checkAttachments(doc: Doc, media: boolean, stored: Doc | null): string | null {
  const atts = doc._attachments;
  if (atts === undefined || (atts && typeof atts === 'object' && Object.keys(atts).length === 0)) return null;
  if (!media) return 'attachments are accepted only in media databases';
  if (!atts || typeof atts !== 'object' || Array.isArray(atts)) return '_attachments must be an object';
  const kept = (stored?._attachments ?? {}) as Record<string, unknown>;
  for (const [name, a] of Object.entries(atts as Record<string, Doc>)) {
    if (!a || typeof a !== 'object') return `attachment ${name} is malformed`;
    if (a.stub === true) {
      if (!stored || !Object.hasOwn(kept, name))
        return `attachment ${name} is sent as a stub, but the stored version has no such file; send its data (base64)`;
      continue;
    }
    if (a.follows) return `attachment ${name}: multipart uploads are not supported; send the data inline (base64)`;
    if (typeof a.data !== 'string') return `attachment ${name} has no data`;
    if (a.data.length % 4 !== 0 || !BASE64.test(a.data)) return `attachment ${name}: data must be base64`;
    if (!(MEDIA_TYPES as readonly string[]).includes(String(a.content_type))) {
      return `attachment ${name}: content_type must be one of ${MEDIA_TYPES.join(', ')}`;
    }
    if (Math.floor((a.data.length * 3) / 4) > MAX_ATTACHMENT_BYTES)
      return `attachment ${name} is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`;
  }
  return null;
}

/**
 * Largest accepted size of one document's JSON in UTF-8 bytes, outside media databases
 * (attachments have their own cap). Bytes, not UTF-16 units: a Czech text is up to twice its
 * length in bytes, and the store stores bytes.
 */
export const MAX_DOC_BYTES = 1024 * 1024;

const TOO_LARGE = `the document is larger than ${MAX_DOC_BYTES / 1024 / 1024} MB; shorten its text`;

/** A document's JSON over the limit; a UTF-16 unit is at most 3 bytes of UTF-8, so most are not measured. */
const overLimit = (text: string) => text.length * 3 > MAX_DOC_BYTES && Buffer.byteLength(text) > MAX_DOC_BYTES;

/** A refusal of `raw`: its own reason, or its size where the document is over the limit. */
function refusal(raw: unknown, isMedia: boolean, reason: string): DocOutcome {
  return {
    ok: false,
    row: {
      id: claimedId(raw),
      error: 'forbidden',
      reason: !isMedia && raw && overLimit(JSON.stringify(raw)) ? TOO_LARGE : reason
    }
  };
}

/**
 * Judges one document. The size limit is checked where the document is serialized anyway:
 * an accepted document by `serializeAccepted` (its JSON is the body sent to CouchDB), a refused
 * one here, so a document over the limit is refused for its size whatever else is wrong with it.
 */
export function validateDoc(raw: unknown, ctx: BatchContext): DocOutcome {
  const isMedia = ctx.grant.ref.kind === 'org' && isMediaCollection(ctx.grant.ref.collection);
  const problem = judge(raw, ctx, isMedia);
  return typeof problem === 'string' ? refusal(raw, isMedia, problem) : problem;
}

/** The document to forward, or the reason it is refused. */
function judge(raw: unknown, ctx: BatchContext, isMedia: boolean): DocOutcome | string {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'each document must be a JSON object';
  const doc = raw as Doc;
  const id = doc._id;
  if (typeof id !== 'string' || id === '') return 'the document has no _id';
  if (id.startsWith('_'))
    return 'document ids may not start with "_" (design and local documents cannot be written here)';
  // What goes to the store: the document as sent, without the specials CouchDB would drop.
  const forward: Doc = {};
  for (const k of Object.keys(doc)) {
    if (!k.startsWith('_')) forward[k] = doc[k];
    else if (DROPPED_SPECIALS.has(k)) continue;
    else if (WRITABLE_SPECIALS.has(k)) forward[k] = doc[k];
    else return `field ${k} is not allowed`;
  }
  // The store deletes on any truthy `_deleted` (PouchDB, as CouchDB); the rules below read only
  // `true`. Anything but a boolean is refused, so that both read a write the same way (a `1`
  // passed every delete rule as an edit, and the store deleted).
  if ('_deleted' in doc && typeof doc._deleted !== 'boolean') return '_deleted must be true or false';
  // CouchDB takes `_revisions` as the parent of an ordinary edit too, and the gateway reads the
  // stored version only for a `_rev`: a stored document edited through `_revisions` alone would
  // be judged as a new one (a delete of someone else's document as "deleting your own").
  if (ctx.newEdits && '_revisions' in doc)
    return '_revisions is accepted only with replicated revisions (new_edits: false); an ordinary edit names the version it changes in _rev';
  const { ref } = ctx.grant;
  const stored = ctx.current.get(id) ?? null;
  const attachmentProblem = checkAttachments(doc, isMedia, stored);
  if (attachmentProblem) return attachmentProblem;

  const pk = schemaFor(ref).primaryKey;
  if (pk in doc && doc[pk] !== id) return `${pk} (${JSON.stringify(doc[pk])}) must equal _id (${id})`;
  const before = stored ? plainFields({ ...stored, _id: id }, pk) : null;
  const after = plainFields(doc, pk);
  const deleted = doc._deleted === true;
  // PouchDB deletes with a bare `{_id, _rev, _deleted}`; such a tombstone has nothing to validate.
  const bareTombstone = deleted && Object.keys(after).length === 1;

  if (!ctx.newEdits) {
    const problem = checkReplicated(doc, id, ctx, isMedia);
    if (problem) return problem;
  }
  if (!bareTombstone) {
    // What the sender derived from the events in its own order: only a sender consistent with
    // itself gets its caches re-derived in the server's order; any other is judged as sent.
    const collection = ref.kind === 'org' ? ref.collection : '';
    const sentView = ctx.newEdits ? ctx.hooks?.derivedFields?.(collection, after) : null;
    const selfConsistent = !!sentView && Object.keys(sentView).every((k) => deepEqual(after[k], sentView[k]));
    const problem = ctx.newEdits
      ? stampServerFields(ctx, before, after, forward)
      : replicatedKeepsServerFields(ctx, before, after);
    if (problem) return problem;
    const derived = selfConsistent ? ctx.hooks?.derivedFields?.(collection, after) : null;
    for (const k in derived) {
      const v = derived[k];
      if (v === undefined) {
        delete after[k];
        delete forward[k];
      } else {
        after[k] = v;
        forward[k] = v;
      }
    }
    const invalid =
      checkSchema(ref, after) ??
      checkAudit({ user: ctx.user, roles: ctx.grant.roles, db: ref, org: ctx.grant.org, before, after, deleted }) ??
      checkDeviceTimes(ctx, before, after);
    if (invalid) return invalid;
  }
  const rule = checkWrite(
    {
      user: ctx.user,
      roles: ctx.grant.roles,
      db: ref,
      org: ctx.grant.org,
      before,
      after: bareTombstone ? (before ?? after) : after,
      deleted
    },
    ctx.hooks
  );
  if (rule) return rule;
  const routed = routeIfNeeded(ctx, before, deleted, after);
  if (routed) {
    for (const k of ROUTED_FIELDS) if (k in routed) forward[k] = routed[k];
    if (Array.isArray(routed.events))
      forward.events = stampEvents(after.events as unknown[], routed.events, ctx.now).events;
  }
  return { ok: true, doc: forward };
}

/** Stamps the document's and its new events' receipt times into `after` and `forward`. */
function stampServerFields(ctx: BatchContext, before: Doc | null, after: Doc, forward: Doc): string | null {
  const receivedAt = (before?.receivedAt as string | undefined) ?? ctx.now;
  after.receivedAt = receivedAt;
  forward.receivedAt = receivedAt;
  for (const field of eventFieldsOf(ctx.grant.ref)) {
    if (!Array.isArray(after[field])) continue;
    const stored = Array.isArray(before?.[field]) ? (before[field] as unknown[]) : undefined;
    const { events } = stampEvents(stored, after[field] as unknown[], ctx.now);
    after[field] = events;
    forward[field] = events;
  }
  return null;
}

function replicatedKeepsServerFields(ctx: BatchContext, before: Doc | null, after: Doc): string | null {
  if (after.receivedAt !== before?.receivedAt)
    return `receivedAt is set by the server and may not be sent or changed${before?.receivedAt ? ` (it is ${String(before.receivedAt)})` : ''}`;
  for (const field of eventFieldsOf(ctx.grant.ref)) {
    if (!Array.isArray(after[field])) continue;
    const stored = Array.isArray(before?.[field]) ? (before[field] as unknown[]) : undefined;
    const problem = receiptTimesKept(stored, after[field] as unknown[]);
    if (problem) return problem;
  }
  return null;
}

const isoOrUndefined = (x: unknown) => (typeof x === 'string' ? x : undefined);

/** Device times that decide merges or describe events, checked against the server's clock. */
function checkDeviceTimes(ctx: BatchContext, before: Doc | null, after: Doc): string | null {
  const createdAt = isoOrUndefined(before?.createdAt) ?? isoOrUndefined(after.createdAt);
  if (!before && createdAt) {
    const p = checkDeviceTime('createdAt', createdAt, ctx.now);
    if (p) return p;
  }
  const updatedAt = isoOrUndefined(after.updatedAt);
  if (updatedAt && updatedAt !== before?.updatedAt) {
    const p = checkDeviceTime('updatedAt', updatedAt, ctx.now);
    if (p) return p;
  }
  const times = after.fieldTimes;
  if (times && typeof times === 'object') {
    const old = (before?.fieldTimes ?? {}) as Record<string, unknown>;
    for (const [path, t] of Object.entries(times as Record<string, unknown>)) {
      if (typeof t !== 'string' || old[path] === t) continue;
      const p = checkDeviceTime(`fieldTimes.${path}`, t, ctx.now);
      if (p) return p;
    }
  }
  for (const field of eventFieldsOf(ctx.grant.ref)) {
    if (!Array.isArray(after[field])) continue;
    // No set where nothing is stored (a batch's thousand new documents).
    const storedEvents = Array.isArray(before?.[field]) ? (before[field] as Doc[]) : [];
    const stored = storedEvents.length > 0 ? new Set(storedEvents.map((e) => e && e.id)) : null;
    for (const e of after[field] as Doc[]) {
      if (!e || typeof e !== 'object' || stored?.has(e.id) || typeof e.at !== 'string') continue;
      const p = checkDeviceTime(`${field} ${String(e.id)}: time`, e.at, ctx.now, createdAt);
      if (p) return p;
    }
  }
  return null;
}

const REV = /^(\d{1,10})-([0-9a-f]{1,64})$/;

/** Where replicated revisions are accepted, and that they extend the server's current version. */
function checkReplicated(doc: Doc, id: string, ctx: BatchContext, isMedia: boolean): string | null {
  if (!isMedia && !ctx.grant.roles.includes('admin'))
    return 'replicated revisions (new_edits: false) are accepted only in media databases; send this change as an ordinary edit';
  const rev = typeof doc._rev === 'string' ? REV.exec(doc._rev) : null;
  if (!rev) return 'a replicated revision needs a _rev like 1-abc…';
  const historyProblem = checkRevisionHistory(doc._revisions, Number(rev[1]), rev[2]);
  if (historyProblem) return historyProblem;
  const stored = ctx.currentRevs?.get(id);
  if (!stored || stored === doc._rev) return null;
  const [, storedGen, storedHash] = REV.exec(stored) ?? [];
  // Checked above: absent, or starting at this revision's generation with hashes newest first.
  const ids = (doc._revisions as { ids: string[] } | undefined)?.ids ?? [];
  const offset = Number(rev[1]) - Number(storedGen);
  if (offset > 0 && ids[offset] === storedHash) return null;
  return `this revision does not extend the server's current version (${stored}); fetch that version and edit it`;
}

/** CouchDB keeps at most this many revisions of a document's history (its `_revs_limit`). */
const MAX_HISTORY = 1000;
const REV_HASH = /^[0-9a-f]{1,64}$/;

/**
 * The history a replicated revision brings (`_revisions`), if any, must be one the store can
 * keep: its newest entry is the `_rev` itself, and every entry a revision hash. A malformed one
 * was stored as it came (a `NaN-…` revision, a history of numbers) and broke every later read of
 * the database's changes, and with it the store, for every organization it serves.
 */
function checkRevisionHistory(history: unknown, generation: number, hash: string): string | null {
  if (history === undefined) return null;
  const h = history as { start?: unknown; ids?: unknown } | null;
  if (!h || typeof h !== 'object' || Array.isArray(h) || Object.keys(h).some((k) => k !== 'start' && k !== 'ids'))
    return '_revisions must be {"start": <generation>, "ids": [<revision hashes>, newest first]}';
  if (h.start !== generation) return `_revisions.start must be ${generation}, the generation of _rev`;
  if (!Array.isArray(h.ids) || h.ids.length === 0 || h.ids.length > Math.min(MAX_HISTORY, generation))
    return `_revisions.ids must list 1 to ${Math.min(MAX_HISTORY, generation)} revision hashes, newest first`;
  if (h.ids.some((x) => typeof x !== 'string' || !REV_HASH.test(x)))
    return '_revisions.ids must be revision hashes (lowercase hexadecimal)';
  if (h.ids[0] !== hash) return `_revisions.ids must begin with ${hash}, the hash of _rev`;
  return null;
}

/** What routing may change of a ticket. */
const ROUTED_FIELDS = ['events', 'status', 'assignee'] as const;

/** A ticket the server routes as it accepts it: a new one, or a reopened one whose assignee is gone. */
function routeIfNeeded(ctx: BatchContext, before: Doc | null, deleted: boolean, after: Doc): Doc | null {
  const { ref } = ctx.grant;
  if (!ctx.newEdits || deleted || ref.kind !== 'org' || ref.collection !== 'tickets') return null;
  if (!before) return ctx.hooks?.routeNewTicket?.(after, ctx.grant.org, String(after.receivedAt ?? ctx.now)) ?? null;
  const held = ctx.hooks?.assigneeRoles;
  return held ? (ctx.hooks?.routeReopenedTicket?.(before, after, ctx.grant.org, held, ctx.now) ?? null) : null;
}

/**
 * The `_bulk_docs` body for CouchDB from the accepted documents: one serialization serves the
 * size limit and the body. An accepted document over the limit (outside media databases)
 * becomes a refusal.
 *
 * Documents are serialized `SERIALIZED_TOGETHER` at a time, as one JSON array whose brackets
 * are dropped: each document's JSON is a part of its group's, so a group under the limit holds
 * none over it, and only a group over it is serialized again document by document to find
 * which. For 1,000 tickets this took 3.6 against 5.0 ms one document at a time.
 *
 * The body's bytes are written group by group into one buffer, each group's text as soon as it
 * is made (`BodyWriter`): encoding the joined text instead cost 12.6 against 4.3 ms for 1,000
 * tickets (V8 flattens the joined megabyte and encodes it again), and texts kept until the end
 * were copied by the collections that ran meanwhile (parsing, judging and serializing 1,000
 * tickets: 11.7 against 11.9 ms).
 */
export function serializeAccepted(
  outcomes: readonly DocOutcome[],
  grant: DbGrant,
  newEdits: boolean
): { outcomes: readonly DocOutcome[]; docs: Doc[]; body: Buffer } {
  const isMedia = grant.ref.kind === 'org' && isMediaCollection(grant.ref.collection);
  const accepted: Doc[] = [];
  for (const o of outcomes) if (o.ok) accepted.push(o.doc);
  const body = new BodyWriter('{"docs":[');
  let tooLarge: Set<Doc> | null = null;
  for (let i = 0; i < accepted.length; i += SERIALIZED_TOGETHER) {
    const group = accepted.slice(i, i + SERIALIZED_TOGETHER);
    const text = JSON.stringify(group);
    if (isMedia || !overLimit(text)) {
      // `[a,b]` → `a,b`: a sliced string, not a copy.
      body.element(text.slice(1, -1));
      continue;
    }
    for (const doc of group) {
      const one = JSON.stringify(doc);
      if (overLimit(one)) (tooLarge ??= new Set()).add(doc);
      else body.element(one);
    }
  }
  const bytes = body.end(`],"new_edits":${newEdits}}`);
  if (!tooLarge) return { outcomes, docs: accepted, body: bytes };
  const refused = tooLarge;
  return {
    outcomes: outcomes.map((o) =>
      o.ok && refused.has(o.doc)
        ? { ok: false, row: { id: claimedId(o.doc), error: 'forbidden', reason: TOO_LARGE } }
        : o
    ),
    docs: accepted.filter((d) => !refused.has(d)),
    body: bytes
  };
}

/** Accepted documents serialized together (see `serializeAccepted`); 10 to 200 measured within 0.7 ms of each other. */
const SERIALIZED_TOGETHER = 50;

/**
 * A JSON array's UTF-8 bytes written element by element as each is serialized, so no element's
 * text outlives its own encoding. The buffer grows by doubling, room for 3 bytes a UTF-16 unit
 * checked before each write; it starts empty, so a write of one document holds no more than it needs.
 */
class BodyWriter {
  private buf = Buffer.alloc(0);
  private at = 0;
  private first = true;

  constructor(head: string) {
    this.write(head);
  }

  /** One or more elements' JSON, comma-joined. */
  element(text: string): void {
    if (!this.first) this.write(',');
    this.first = false;
    this.write(text);
  }

  end(tail: string): Buffer {
    this.write(tail);
    return this.buf.subarray(0, this.at);
  }

  private write(text: string): void {
    const room = this.at + text.length * 3;
    if (room > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, room));
      this.buf.copy(next, 0, 0, this.at);
      this.buf = next;
    }
    this.at += this.buf.write(text, this.at);
  }
}

/**
 * Merges CouchDB's answer for the accepted documents with the refusals, in the request's order.
 * Rows are matched by id, not position: CouchDB answers in the request's order, but the
 * embedded store's validation wrapper queues documents as their checks finish (13 of 80 small
 * batches came back in another order); and a replicated write (`new_edits: false`) answers only
 * its failures. A repeated id takes its rows in the store's order.
 */
export function mergeResults(outcomes: readonly DocOutcome[], upstream: readonly Doc[]): Doc[] {
  const byId = new Map<string, Doc[]>();
  for (const r of upstream) {
    const rows = byId.get(String(r.id));
    if (rows) rows.push(r);
    else byId.set(String(r.id), [r]);
  }
  const out: Doc[] = [];
  for (const o of outcomes) {
    const row = o.ok ? byId.get(String(o.doc._id))?.shift() : { ...o.row };
    if (row) out.push(row);
  }
  return out;
}
