/**
 * Everything a person made on this device that the server does not hold: edits not yet sent,
 * edits the server refused (set aside with the reason), and photos and documents not yet sent
 * or refused. Sign-out with wiping lists it by name and offers it as one JSON file first:
 * nothing made on the device is deleted without telling the person what.
 */
import type { RxCollection } from 'rxdb';
import type { MediaApi, MediaSpace } from './media';
import type { SyncIssue, SyncIssues } from './sync-issues';

export interface UnsentDeps {
  collections: Record<string, RxCollection>;
  issues: SyncIssues;
  media: Pick<MediaApi, 'unsent' | 'blob'>;
}

export interface UnsentItem {
  kind: 'pending' | 'rejected' | 'file';
  collection: string;
  id: string;
  /** What a person recognises it by: a title, a name, a file name. */
  label: string;
  reason?: string;
  doc?: Record<string, unknown>;
  orgId?: string;
}

const labelOf = (doc: Record<string, unknown> | undefined, fallback: string) => {
  for (const f of ['title', 'name', 'fileName', 'shortName']) {
    const v = doc?.[f];
    if (typeof v === 'string' && v) return v;
  }
  return fallback;
};

async function currentDoc(db: UnsentDeps, issue: SyncIssue): Promise<Record<string, unknown> | undefined> {
  const collection = db.collections[issue.collectionName];
  const found = await collection?.findOne(issue.docId).exec();
  return found ? (found.toJSON() as Record<string, unknown>) : undefined;
}

export async function collectUnsentWork(db: UnsentDeps): Promise<UnsentItem[]> {
  const issues = (await db.issues.store.find({ selector: { kind: { $in: ['pending', 'rejected'] } } }).exec()).map(
    (d) => d.toJSON(true) as SyncIssue
  );
  const rejected = new Set(issues.filter((i) => i.kind === 'rejected').map((i) => `${i.collectionName}:${i.docId}`));
  const out: UnsentItem[] = [];
  for (const issue of issues) {
    // A refused document is listed once, as refused, with the refused version.
    if (issue.kind === 'pending' && rejected.has(`${issue.collectionName}:${issue.docId}`)) continue;
    const doc = issue.kind === 'rejected' ? issue.doc : await currentDoc(db, issue);
    out.push({
      kind: issue.kind as 'pending' | 'rejected',
      collection: issue.collectionName,
      id: issue.docId,
      label: labelOf(doc, issue.docId),
      ...(issue.reason ? { reason: issue.reason } : {}),
      ...(doc ? { doc } : {})
    });
  }
  for (const file of await db.media.unsent()) {
    out.push({
      kind: 'file',
      collection: 'media',
      id: file.id,
      orgId: file.orgId,
      label: file.fileName,
      ...(file.refused ? { reason: file.refused } : {}),
      doc: { ...file }
    });
  }
  return out;
}

function dataUrl(blob: Blob): Promise<string> {
  return blob.arrayBuffer().then((buf) => {
    const bytes = new Uint8Array(buf);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return `data:${blob.type || 'application/octet-stream'};base64,${btoa(bin)}`;
  });
}

export interface UnsentExport {
  file: Blob;
  /** Names of the files that could not be read from the device: listed in the export, without their content. */
  unreadable: string[];
}

/**
 * One JSON file with every unsent item, files included (as data URLs), to keep before wiping.
 * A file the device cannot read is listed with the reason, and named to the caller: the person
 * is about to wipe the only copy.
 */
export async function exportUnsentWork(db: UnsentDeps, items: UnsentItem[], userId: string): Promise<UnsentExport> {
  const withFiles: (UnsentItem & { file?: string; fileError?: string })[] = await Promise.all(
    items.map(async (item) => {
      if (item.kind !== 'file' || !item.orgId) return item;
      try {
        const blob = await db.media.blob(item.orgId, item.id, (item.doc as { space?: MediaSpace } | undefined)?.space);
        return { ...item, file: await dataUrl(blob) };
      } catch (err) {
        return { ...item, fileError: `The file could not be read on this device: ${(err as Error).message ?? err}` };
      }
    })
  );
  const body = { exportedAt: new Date().toISOString(), user: userId, items: withFiles };
  return {
    file: new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }),
    unreadable: withFiles.filter((i) => i.fileError).map((i) => i.label)
  };
}
