/**
 * What the user can do with a document the server refused.
 * - retry: push the refused version again (after fixing what the reason said, or once the
 *   server's rules allow it). If the server changed the document meanwhile and that state
 *   was pulled over the refused one, the refused version is first merged onto it.
 * - discard: give up the refused change: the local document becomes the server's version
 *   (read from the server: offline it is refused, `DISCARD_OFFLINE`), with what the person
 *   changed after the refused version merged onto it, or disappears if the server never had it. An earlier refused version kept beside
 *   a later refusal of the same document (`SyncIssues.setAside`) is only dropped.
 */
import type { RxCollection } from 'rxdb';
import { resolveStates, APPEND_ONLY } from './conflict-handler';
import { contentOf, sameState, type DocState } from './couch-doc';
import { SyncHttpError, type CouchClient } from './couch-http';
import { dbForDoc } from './push-routing';
import { codecFor } from './region';
import type { SyncIssue, SyncIssues } from './sync-issues';

/** The `code` of the error a discard without the network ends with. */
export const DISCARD_OFFLINE = 'discard-offline';

export interface RejectedActionsDeps {
  collections: Record<string, RxCollection>;
  issues: SyncIssues;
  client: CouchClient;
}

async function entryOf(deps: RejectedActionsDeps, issueId: string): Promise<SyncIssue> {
  const doc = await deps.issues.store.findOne(issueId).exec();
  if (!doc || doc.kind !== 'rejected') throw new Error(`no refused document ${issueId}`);
  return doc.toJSON(true) as SyncIssue;
}

const withoutDeleted = (d: Record<string, unknown>) => {
  const { _deleted: _d, ...rest } = contentOf(d);
  return rest;
};

export async function retryRejected(deps: RejectedActionsDeps, issueId: string): Promise<void> {
  const entry = await entryOf(deps, issueId);
  const collection = deps.collections[entry.collectionName];
  const refused = { ...(entry.doc as DocState), _deleted: !!entry.doc?._deleted };
  const current = await collection.findOne(entry.docId).exec();
  const currentState = current ? ({ ...(current.toJSON() as DocState), _deleted: false } as DocState) : null;
  const isCurrent = deps.issues.isCurrentRefusal(entry);
  let next: DocState = refused;
  if (currentState && !sameState(currentState, refused)) {
    const base = (entry.serverDoc as DocState | undefined) ?? undefined;
    next = resolveStates(base, refused, currentState, APPEND_ONLY[entry.collectionName] ?? []).doc;
    if (isCurrent) await deps.issues.rebaseRejected(entry.collectionName, entry.docId, currentState);
  }
  // An earlier refused version merged into the document now travels with it: its entry goes.
  if (!isCurrent) await deps.issues.store.bulkRemove([issueId]);
  if (next._deleted) {
    if (current) await current.remove();
    else {
      // The refused deletion is already the device's state, and RxDB sends only a new write: the
      // document is written back as it was and removed again, so that the deletion goes out.
      const restored = await collection.upsert({ ...withoutDeleted(refused), updatedAt: new Date().toISOString() });
      await restored.remove();
    }
    return;
  }
  // A new local version (fresh updatedAt) is what makes the replication push it again.
  await collection.incrementalUpsert({ ...withoutDeleted(next), updatedAt: new Date().toISOString() });
}

export async function discardRejected(deps: RejectedActionsDeps, issueId: string): Promise<void> {
  const entry = await entryOf(deps, issueId);
  // An earlier refused version kept beside the current one: giving it up touches nothing else.
  if (!deps.issues.isCurrentRefusal(entry)) {
    await deps.issues.store.bulkRemove([issueId]);
    return;
  }
  const collection = deps.collections[entry.collectionName];
  const db = dbForDoc(entry.collectionName, entry.doc as DocState);
  let server: Record<string, unknown> | null = (entry.serverDoc as Record<string, unknown> | undefined) ?? null;
  // The server's id (`docId` is the local key, which differs in the region collection).
  const serverId = String((entry.doc as DocState | undefined)?.id ?? entry.docId);
  if (db) {
    try {
      const fresh = await deps.client.getDoc(db, serverId);
      server = fresh && !fresh._deleted ? withoutDeleted(codecFor(entry.collectionName).fromCouch(db, fresh)) : null;
    } catch (err) {
      // Offline, the state recorded with the refusal may be older than what was pulled since
      // (and than the person's later edits): written back, it would replace both here and,
      // pushed, the newer version on the server. Giving up a version waits for the network.
      if (err instanceof SyncHttpError && err.status === 0)
        throw Object.assign(new Error('discarding a refused version needs the server: try again online'), {
          code: DISCARD_OFFLINE
        });
      // Refused (access withdrawn): the state recorded with the refusal will do.
    }
  }
  await deps.issues.clear('rejected', entry.collectionName, [entry.docId]);
  const current = await collection.findOne(entry.docId).exec();
  // Only the refused change is given up: what the person changed since it (not sent yet: the
  // push may be waiting for the network) stays, merged onto the server's version.
  const kept = server && current && entry.doc ? laterEdits(entry, current.toJSON() as DocState, server) : null;
  if (kept) {
    await deps.issues.clear('pending', entry.collectionName, [entry.docId]);
    // A new local version (fresh updatedAt): pushed like any edit.
    await collection.incrementalUpsert({ ...kept, updatedAt: new Date().toISOString() });
    return;
  }
  if (server) await collection.incrementalUpsert(withoutDeleted(server));
  else await current?.remove();
  await deps.issues.clear('pending', entry.collectionName, [entry.docId]);
}

/** The document with the refused version's own changes replaced by the server's; null when nothing else was changed since. */
function laterEdits(
  entry: SyncIssue,
  current: DocState,
  server: Record<string, unknown>
): Record<string, unknown> | null {
  const live = (d: Record<string, unknown>) => ({ ...d, _deleted: false }) as DocState;
  const refused = live(entry.doc as DocState);
  const remote = live(server);
  if (sameState(live(current), refused)) return null;
  const merged = withoutDeleted(
    resolveStates(refused, live(current), remote, APPEND_ONLY[entry.collectionName] ?? []).doc
  );
  return sameState(live(merged), remote) ? null : merged;
}
