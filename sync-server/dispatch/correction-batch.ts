/**
 * Before a batch into a winter deník: who wrote each entry the batch's corrections name, so
 * the shared rule (`checkDispatchEntry`) can hold a road crew to correcting its own entries. A
 * correction closes the report it names on the dispatcher's board; another crew's would hide
 * a report nobody resolved.
 */
import type nano from 'nano';
import type { BeginPortalBatch } from '../portal/write-hook';

type Doc = Record<string, unknown>;
const isObj = (d: unknown): d is Doc => !!d && typeof d === 'object' && !Array.isArray(d);

export function dispatchCorrectionsBatch(couch: () => nano.ServerScope): BeginPortalBatch {
  return async (ref, docs) => {
    if (ref.kind !== 'org' || ref.collection !== 'dispatch') return null;
    const named = [
      ...new Set(
        docs.flatMap((d) => (isObj(d) && d.entry === 'correction' && typeof d.refId === 'string' ? [d.refId] : []))
      )
    ];
    if (named.length === 0) return null;
    const res = await couch().use<Doc>(ref.name).fetch({ keys: named });
    const authors = new Map<string, string>();
    for (const row of res.rows) {
      const doc = (row as { doc?: Doc | null }).doc;
      if (doc && typeof doc.createdBy === 'string') authors.set(String(doc._id), doc.createdBy);
    }
    // A report and its correction sent in one batch (offline, then synced): the report is new,
    // so the batch's own copy says who wrote it; a stored entry is never taken from the batch.
    for (const d of docs)
      if (isObj(d) && typeof d._id === 'string' && !authors.has(d._id) && typeof d.createdBy === 'string')
        authors.set(d._id, d.createdBy);
    return { hooks: { entryAuthor: (id: string) => authors.get(id) ?? null }, release: () => undefined };
  };
}
