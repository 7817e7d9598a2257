/**
 * The stocktake's part of the gateway: before a batch for an organization's assets database
 * is judged, read the stocktakes its scans and decisions belong to, so that a closed stocktake
 * takes no more scans and differences are decided only on a closed one
 * (`checkStocktakeParent`). Writes to one assets database are held in line while a batch with
 * stocktake records is judged and stored, so a scan racing the closing is judged against it.
 */
import type nano from 'nano';
import { checkStocktakeParent, STOCKTAKE, STOCKTAKE_TYPES } from '../../src/lib/domain/assets/stocktake-docs';
import type { Doc, WriteContext } from '../../src/lib/domain/write-rules';
import type { BeginPortalBatch, PortalBatch } from '../portal/write-hook';
import { KeyedQueue } from '../../src/lib/domain/keyed-queue';

const isObj = (d: unknown): d is Doc => !!d && typeof d === 'object' && !Array.isArray(d);
const TYPES = new Set<string>(STOCKTAKE_TYPES);

async function readDocs(couch: nano.ServerScope, db: string, ids: string[]): Promise<Map<string, Doc>> {
  const out = new Map<string, Doc>();
  if (ids.length === 0) return out;
  const res = await couch.use<Doc>(db).fetch({ keys: ids });
  for (const row of res.rows) {
    const doc = 'doc' in row ? (row.doc as Doc | null) : null;
    if (doc && !doc._deleted) out.set(String(doc._id), doc);
  }
  return out;
}

export function stocktakeGatewayHooks(couch: () => nano.ServerScope): BeginPortalBatch {
  const queue = new KeyedQueue();
  return async (ref, docs) => {
    if (ref.kind !== 'org' || ref.collection !== 'assets') return null;
    const ours = docs.filter(isObj).filter((d) => TYPES.has(String(d.type)));
    if (ours.length === 0) return null;
    const release = await queue.acquire(ref.name);
    try {
      const parentIds = [...new Set(ours.filter((d) => d.type !== STOCKTAKE).map((d) => String(d.refId)))];
      const stored = await readDocs(couch(), ref.name, parentIds);
      const check = (ctx: WriteContext) =>
        checkStocktakeParent(ctx.after, stored.get(String(ctx.after.refId)) ?? null, ctx.before === null);
      return { hooks: { checkStocktakeParent: check }, release };
    } catch (err) {
      release();
      throw err;
    }
  };
}

/** Several batch hooks as one: each answers for its own databases and types; all that answer apply. */
export function combineBatchHooks(...hooks: BeginPortalBatch[]): BeginPortalBatch {
  return async (ref, docs, stored) => {
    const batches: PortalBatch[] = [];
    try {
      for (const h of hooks) {
        const b = await h(ref, docs, stored);
        if (b) batches.push(b);
      }
    } catch (err) {
      for (const b of batches) b.release();
      throw err;
    }
    if (batches.length === 0) return null;
    return {
      hooks: Object.assign({}, ...batches.map((b) => b.hooks)) as PortalBatch['hooks'],
      release: () => batches.forEach((b) => b.release())
    };
  };
}
