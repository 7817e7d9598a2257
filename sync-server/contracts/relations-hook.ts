/**
 * Licence and telephony records in the gateway: before a batch of an asset database is judged,
 * read what judging its seats, numbers and ranges needs (the agreement of each seat, for a
 * hard-limited agreement the seats of every organization, the organization's number ranges).
 * Batches with seats are held in one line region-wide, so two organizations taking the last
 * seat of one agreement at the same moment are judged one after the other and the second is
 * refused. A number's id is derived from it, so its second holder meets the first in the same
 * database and is judged against it; no lock is needed there.
 */
import type nano from 'nano';
import { orgDb, type DbRef } from '../../src/lib/domain/databases';
import { fromEnvelope } from '../../src/lib/domain/assets/contracts-envelope';
import {
  checkRelations,
  recordAccepted,
  relationsNeeded,
  type RelationState
} from '../../src/lib/domain/assets/contracts-relations';
import type { LicenceAgreement, SeatAssignment } from '../../src/lib/domain/assets/licences';
import type { NumberRange } from '../../src/lib/domain/assets/telephony';
import type { Doc, WriteContext, WriteHooks } from '../../src/lib/domain/write-rules';
import { KeyedQueue } from '../../src/lib/domain/keyed-queue';
import { pragueDay } from '../portal/write-hook';
import { isStatus } from '../couch-status';

export interface RelationsBatch {
  hooks: WriteHooks;
  release(): void;
}
export type BeginRelationsBatch = (ref: DbRef, docs: readonly unknown[]) => Promise<RelationsBatch | null>;

const isObj = (d: unknown): d is Doc => !!d && typeof d === 'object' && !Array.isArray(d);
const plain = (d: Doc): Doc => {
  const out: Doc = {};
  for (const [k, v] of Object.entries(d)) if (!k.startsWith('_')) out[k] = v;
  out.id = d._id;
  return out;
};

async function readPrefix(couch: nano.ServerScope, db: string, prefix: string): Promise<Doc[]> {
  try {
    const res = await couch.use<Doc>(db).list({ startkey: prefix, endkey: `${prefix}\ufff0`, include_docs: true });
    return res.rows.flatMap((r) => (r.doc ? [plain(r.doc as Doc)] : []));
  } catch (err) {
    if (isStatus(err, 404)) return [];
    throw err;
  }
}

async function readDoc(couch: nano.ServerScope, db: string, id: string): Promise<Doc | null> {
  try {
    return plain((await couch.use<Doc>(db).get(id)) as Doc);
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

export function relationsGatewayHook(
  couch: () => nano.ServerScope,
  orgIds: () => string[],
  now: () => Date = () => new Date()
): BeginRelationsBatch {
  const queue = new KeyedQueue();
  return async (ref, docs) => {
    if (ref.kind !== 'org' || ref.collection !== 'assets') return null;
    const written = docs.filter(isObj).map((d) => ({ ...plain(d), id: d._id }));
    const need = relationsNeeded(written);
    if (need.agreements.length === 0 && !need.ranges) return null;
    const release = need.agreements.length ? await queue.acquire('licence-seats') : () => {};
    try {
      const state: RelationState = { today: pragueDay(now()), agreements: new Map(), seats: new Map(), ranges: [] };
      for (const [org, id] of need.agreements) {
        const doc = await readDoc(couch(), orgDb(org, 'assets'), id);
        if (!doc || doc.type !== 'licence') continue;
        const agreement = fromEnvelope<LicenceAgreement>(doc);
        state.agreements.set(`${org}/${id}`, agreement);
        // Only a hard limit refuses; beyond a soft one the seat is stored and the view warns.
        if (!agreement.hardLimit) continue;
        const seats: SeatAssignment[] = [];
        for (const o of orgIds())
          for (const s of await readPrefix(couch(), orgDb(o, 'assets'), `seat:${id}:`))
            if (s.type === 'licence_seat') seats.push(fromEnvelope<SeatAssignment>(s));
        state.seats.set(`${org}/${id}`, seats);
      }
      if (need.ranges)
        state.ranges = (await readPrefix(couch(), ref.name, 'phone-range:'))
          .filter((d) => d.type === 'phone_range')
          .map((d) => fromEnvelope<NumberRange>(d));
      const check = (ctx: WriteContext) => {
        const reason = checkRelations(ctx, state);
        if (!reason) recordAccepted(ctx.after, state);
        return reason;
      };
      return { hooks: { checkAssetRelations: check }, release };
    } catch (err) {
      release();
      throw err;
    }
  };
}
