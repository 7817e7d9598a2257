/**
 * What the user can do with a document the server refused.
 * - retry: push the refused version again (after fixing what the reason said, or once the
 *   server's rules allow it). If the server changed the document meanwhile and that state
 *   was pulled over the refused one, the refused version is first merged onto it.
 * - discard: give up the local version: the local document becomes the server's version
 *   again, or disappears if the server never had it.
 */
import type { RxCollection } from 'rxdb';
import { resolveStates, APPEND_ONLY } from './conflict-handler';
import { contentOf, sameState, type DocState } from './couch-doc';
import type { CouchClient } from './couch-http';
import { dbForDoc } from './push-routing';
import { codecFor } from './region';
import type { SyncIssue, SyncIssues } from './sync-issues';

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
  let next: DocState = refused;
  if (currentState && !sameState(currentState, refused)) {
    const base = (entry.serverDoc as DocState | undefined) ?? undefined;
    next = resolveStates(base, refused, currentState, APPEND_ONLY[entry.collectionName] ?? []).doc;
    await deps.issues.rebaseRejected(entry.collectionName, entry.docId, currentState);
  }
  if (next._deleted) {
    await current?.remove();
    return;
  }
  // A new local version (fresh updatedAt) is what makes the replication push it again.
  await collection.incrementalUpsert({ ...withoutDeleted(next), updatedAt: new Date().toISOString() });
}

export async function discardRejected(deps: RejectedActionsDeps, issueId: string): Promise<void> {
  const entry = await entryOf(deps, issueId);
  const collection = deps.collections[entry.collectionName];
  const db = dbForDoc(entry.collectionName, entry.doc as DocState);
  let server: Record<string, unknown> | null = (entry.serverDoc as Record<string, unknown> | undefined) ?? null;
  // The server's id (`docId` is the local key, which differs in the region collection).
  const serverId = String((entry.doc as DocState | undefined)?.id ?? entry.docId);
  if (db) {
    try {
      const fresh = await deps.client.getDoc(db, serverId);
      server = fresh && !fresh._deleted ? withoutDeleted(codecFor(entry.collectionName).fromCouch(db, fresh)) : null;
    } catch {
      // Offline: the server state recorded when the document was refused will do.
    }
  }
  await deps.issues.clear('rejected', entry.collectionName, [entry.docId]);
  const current = await collection.findOne(entry.docId).exec();
  if (server) await collection.incrementalUpsert(withoutDeleted(server));
  else await current?.remove();
  await deps.issues.clear('pending', entry.collectionName, [entry.docId]);
}
