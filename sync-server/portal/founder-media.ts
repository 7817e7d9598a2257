/**
 * The gateway's part of a founding department's files (`src/lib/domain/portal/task-media.ts`).
 * Writes: before a batch into a media database, the tasks its files name are read, so the
 * per-document rule can check the task was issued by the writer's department. Reads: a user
 * whose only role in the organization is founder reads its media database one document at a
 * time, and only documents attached to such a task; the listings that would hand over other
 * files (`_changes`, `_bulk_get`, `_all_docs` with documents or without keys) are refused with
 * the reason. Its `_all_docs` by keys, which the device's media layer asks before it fetches or
 * settles files by id, answers the files it may read and calls every other id missing: ids and
 * revisions of other files (a ticket's photo, an invoice scan) would tell that they exist and
 * when they changed. A user with any other role there reads as that role allows.
 */
import type nano from 'nano';
import type { SessionUser } from '../../src/lib/domain/access';
import { orgDb } from '../../src/lib/domain/databases';
import { founderMayUseTaskFile, taskIdOfRef } from '../../src/lib/domain/portal/task-media';
import type { WriteContext } from '../../src/lib/domain/write-rules';
import type { Endpoint } from '../gateway/allow-list';
import type { DbGrant, Refusal } from '../gateway/db-access';
import { GatewayError } from '../gateway/handlers';
import type { PartialReader } from '../gateway/lifecycle-hook';
import type { BeginPortalBatch } from './write-hook';
import { isMissing } from '../couch-status';

type Doc = Record<string, unknown>;

/** The tasks of `ids` in one request (`_all_docs` by keys): absent or deleted ones are left out. */
async function readTasks(couch: nano.ServerScope, orgId: string, ids: readonly string[]): Promise<Map<string, Doc>> {
  if (ids.length === 0) return new Map();
  const res = await couch
    .use<Doc>(orgDb(orgId, 'tasks'))
    .fetch({ keys: [...ids] })
    .catch((err: unknown) => {
      if (isMissing(err)) return { rows: [] }; // no tasks database: no task exists
      throw err;
    });
  const tasks = new Map<string, Doc>();
  for (const row of res.rows) if ('doc' in row && row.doc) tasks.set(row.key, row.doc as Doc);
  return tasks;
}

/** A row of `_all_docs` as CouchDB answers an id it does not hold. */
const missingRow = (key: string) => ({ key, error: 'not_found' });

/**
 * What a founder reading a file it may not read is told: CouchDB's answer for an id nobody used,
 * whether the file exists, was deleted or names another department's task (a reason would tell
 * that it exists and, naming the task, what it is about).
 */
const MISSING: Refusal = { status: 404, error: 'not_found', reason: 'missing' };

const STORE_FAILED = 'could not read the files and their tasks; try again';

/**
 * A founding department's `_all_docs` by keys in a media database: the id and revision of each
 * file it may read (one naming a task its department issued), every other id answered as
 * missing, deleted files too. Null when the user reads the database in another role.
 */
export function founderPartialReads(couch: () => nano.ServerScope): (grant: DbGrant) => PartialReader | null {
  return (grant) => {
    if (!founderOnlyMedia(grant) || grant.ref.kind !== 'org') return null;
    const { orgId, name } = grant.ref;
    return {
      async keyedRows(user, keys, query) {
        if (keys.length === 0) return [];
        // The listing's own options, checked by the handler; the documents are read here only.
        const options: nano.DocumentFetchParams = {};
        if (query.get('descending') === 'true') options.descending = true;
        if (query.has('limit')) options.limit = Number(query.get('limit'));
        if (query.has('skip')) options.skip = Number(query.get('skip'));
        const unavailable = () => {
          throw new GatewayError(502, 'unavailable', STORE_FAILED);
        };
        const files = await couch()
          .use<Doc>(name)
          .fetch({ keys: [...keys] }, options)
          .catch(unavailable);
        const fileOf = (row: (typeof files.rows)[number]) =>
          'doc' in row && row.doc && !(row.value as { deleted?: boolean } | undefined)?.deleted
            ? (row.doc as Doc)
            : null;
        const taskIds = new Set(files.rows.map((r) => taskIdOfRef(fileOf(r)?.ref)).filter((id): id is string => !!id));
        const tasks = await readTasks(couch(), orgId, [...taskIds]).catch(unavailable);
        return files.rows.map((row) => {
          const taskId = taskIdOfRef(fileOf(row)?.ref);
          if (!taskId || founderMayUseTaskFile(user, orgId, tasks.get(taskId), taskId)) return missingRow(row.key);
          return { id: row.key, key: row.key, value: { rev: (row as { value: { rev: string } }).value.rev } };
        });
      }
    };
  };
}

/** Reads the tasks named by the files of a media batch, for `checkFounderMedia`. */
export function founderMediaBatch(couch: () => nano.ServerScope): BeginPortalBatch {
  return async (ref, docs) => {
    if (ref.kind !== 'org' || ref.collection !== 'media') return null;
    const ids = new Set(
      docs.flatMap((d) => {
        const id = d && typeof d === 'object' ? taskIdOfRef((d as Doc).ref) : null;
        return id ? [id] : [];
      })
    );
    const tasks = await readTasks(couch(), ref.orgId, [...ids]);
    const checkFounderMedia = (ctx: WriteContext) => {
      const id = taskIdOfRef(ctx.after.ref)!;
      return founderMayUseTaskFile(ctx.user, ref.orgId, tasks.get(id), id);
    };
    return { hooks: { checkFounderMedia }, release: () => undefined };
  };
}

/** Whether the user reads this media database only as a founding department. */
export const founderOnlyMedia = (grant: DbGrant) =>
  grant.ref.kind === 'org' &&
  grant.ref.collection === 'media' &&
  grant.roles.length > 0 &&
  grant.roles.every((r) => r === 'founder');

const LISTING_REASON =
  "a founding department reads an organization's files one at a time, only those of tasks it issued; listings are not available";

/** A feed of the database's changes (the gateway's `_changes`, the batched `POST /api/changes`). */
export const founderFeedRefusal = (grant: DbGrant): Refusal | null =>
  founderOnlyMedia(grant) ? { status: 403, error: 'forbidden', reason: LISTING_REASON } : null;

/**
 * Parameters that serve another revision than the current one, which is the one the per-document
 * check reads: an earlier or deleted revision (a file deleted, or moved off its task) would be
 * served unchecked.
 */
const OTHER_REVISIONS = ['rev', 'open_revs', 'latest'];

/**
 * Decided from the request line: listings refused, and a document read of another revision than
 * the current one; null when the request may go on.
 */
export function founderListingRefusal(grant: DbGrant, endpoint: Endpoint, query: URLSearchParams): Refusal | null {
  if (!founderOnlyMedia(grant)) return null;
  const withDocs = query.get('include_docs') === 'true';
  // A POST names its keys in the body (the handler requires them); a GET without them lists every file.
  const everyId = endpoint.path === '_all_docs' && endpoint.method === 'GET' && !query.has('keys');
  if (
    endpoint.path === '_changes' ||
    endpoint.path === '_bulk_get' ||
    (endpoint.path === '_all_docs' && withDocs) ||
    everyId
  )
    return { status: 403, error: 'forbidden', reason: LISTING_REASON };
  if (needsFounderDocCheck(grant, endpoint) && OTHER_REVISIONS.some((p) => query.has(p)))
    return {
      status: 403,
      error: 'forbidden',
      reason: "a founding department reads only the current version of a task's file; leave out rev and open_revs"
    };
  return null;
}

/** Whether a single document (or its attachment) read needs the per-document check. */
export const needsFounderDocCheck = (grant: DbGrant, endpoint: Endpoint) =>
  founderOnlyMedia(grant) &&
  endpoint.method === 'GET' &&
  (endpoint.path === '<doc>' || endpoint.path === '<doc>/<att>');

/**
 * A single file read (document or attachment): null when the founder may read it, else answered
 * as if it did not exist. Judged as the keyed listing judges its rows (`founderPartialReads`).
 */
export async function founderDocRefusal(
  couch: nano.ServerScope,
  user: SessionUser,
  grant: DbGrant,
  docId: string
): Promise<Refusal | null> {
  const reader = founderPartialReads(() => couch)(grant);
  if (!reader) return null;
  const [row] = await reader.keyedRows(user, [docId], new URLSearchParams());
  return (row as { error?: string } | undefined)?.error ? MISSING : null;
}

/** `POST _all_docs` can ask for documents in its body: refused like the query form. */
export function founderBodyRefusal(grant: DbGrant, endpoint: Endpoint, body: Buffer | undefined): Refusal | null {
  if (!founderOnlyMedia(grant) || endpoint.path !== '_all_docs' || endpoint.method !== 'POST' || !body) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null; // the handler answers a body that is not JSON
  }
  const withDocs = !!parsed && typeof parsed === 'object' && (parsed as Doc).include_docs === true;
  return withDocs ? { status: 403, error: 'forbidden', reason: LISTING_REASON } : null;
}
