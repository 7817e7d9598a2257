/**
 * The gateway's part of a founding department's files (`src/lib/domain/portal/task-media.ts`).
 * Writes: before a batch into a media database, the tasks its files name are read, so the
 * per-document rule can check the task was issued by the writer's department. Reads: a user
 * whose only role in the organization is founder reads its media database one document at a
 * time, and only documents attached to such a task; the listings that would hand over other
 * files (`_changes`, `_bulk_get`, `_all_docs` with documents) are refused with the reason.
 * A user with any other role there reads as that role allows.
 */
import type nano from 'nano';
import type { SessionUser } from '../../src/lib/domain/access';
import { orgDb } from '../../src/lib/domain/databases';
import { founderMayUseTaskFile, taskIdOfRef } from '../../src/lib/domain/portal/task-media';
import type { WriteContext } from '../../src/lib/domain/write-rules';
import type { Endpoint } from '../gateway/allow-list';
import type { DbGrant, Refusal } from '../gateway/db-access';
import type { BeginPortalBatch } from './write-hook';

type Doc = Record<string, unknown>;

const isMissing = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

async function readTask(couch: nano.ServerScope, orgId: string, taskId: string): Promise<Doc | null> {
  try {
    return (await couch.use<Doc>(orgDb(orgId, 'tasks')).get(taskId)) as Doc;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
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
    const tasks = new Map<string, Doc | null>();
    for (const id of ids) tasks.set(id, await readTask(couch(), ref.orgId, id));
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
  if (endpoint.path === '_changes' || endpoint.path === '_bulk_get' || (endpoint.path === '_all_docs' && withDocs))
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

/** Reads the file's document and its task: null when the founder may read it (or it does not exist). */
export async function founderDocRefusal(
  couch: nano.ServerScope,
  user: SessionUser,
  grant: DbGrant,
  docId: string
): Promise<Refusal | null> {
  if (grant.ref.kind !== 'org') return null;
  let file: Doc;
  try {
    file = (await couch.use<Doc>(grant.ref.name).get(docId)) as Doc;
  } catch (err) {
    if (isMissing(err)) return null; // CouchDB answers its own "missing"
    throw err;
  }
  const taskId = taskIdOfRef(file.ref);
  const reason = taskId
    ? founderMayUseTaskFile(user, grant.ref.orgId, await readTask(couch, grant.ref.orgId, taskId), taskId)
    : 'this file is not attached to a task; a founding department reads only the files of tasks it issued';
  return reason ? { status: 403, error: 'forbidden', reason } : null;
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
