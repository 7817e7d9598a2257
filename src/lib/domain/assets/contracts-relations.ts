/**
 * The checks of licence and telephony records that need other records: a seat against its
 * agreement and the agreement's seats in every organization (hard limit), a number against its
 * organization's ranges and its current holder, a range against the organization's other
 * ranges. Pure: the gateway reads what `relationsNeeded` names before a batch and hands it in
 * as `RelationState`; a device with the same records can explain a refusal before it syncs.
 */
import type { Doc, WriteContext } from '../write-rules';
import type { Day } from './contracts-calendar';
import { fromEnvelope } from './contracts-envelope';
import { checkSeat, type LicenceAgreement, type SeatAssignment } from './licences';
import { checkNumber, formatRange, overlappingRanges, type NumberAssignment, type NumberRange } from './telephony';

export const RELATION_TYPES = ['licence_seat', 'phone_number', 'phone_range'] as const;

export interface RelationState {
  today: Day;
  /** Agreements by `<org>/<id>`. */
  agreements: Map<string, LicenceAgreement>;
  /** Seats of the agreements above, of every organization (hard-limited agreements only). */
  seats: Map<string, SeatAssignment[]>;
  /** The database organization's number ranges. */
  ranges: NumberRange[];
}

export interface RelationsNeeded {
  /** `[agreementOrg, agreementId]` of every seat written. */
  agreements: [string, string][];
  ranges: boolean;
}

export function relationsNeeded(docs: readonly Doc[]): RelationsNeeded {
  const agreements = new Map<string, [string, string]>();
  let ranges = false;
  for (const d of docs) {
    if (d.type === 'licence_seat') {
      const s = fromEnvelope<SeatAssignment>(d);
      if (typeof s.agreementOrg === 'string' && typeof s.agreementId === 'string')
        agreements.set(`${s.agreementOrg}/${s.agreementId}`, [s.agreementOrg, s.agreementId]);
    }
    if (d.type === 'phone_number' || d.type === 'phone_range') ranges = true;
  }
  return { agreements: [...agreements.values()], ranges };
}

/** The reason a licence or telephony record may not be written, or null. */
export function checkRelations(
  ctx: Pick<WriteContext, 'before' | 'after' | 'deleted'>,
  state: RelationState
): string | null {
  if (ctx.deleted) return null;
  const after = ctx.after;
  const before = ctx.before && ctx.before.type === after.type ? ctx.before : null;
  switch (after.type) {
    case 'licence_seat': {
      const seat = fromEnvelope<SeatAssignment>(after);
      const verdict = checkSeat({
        agreement: state.agreements.get(`${seat.agreementOrg}/${seat.agreementId}`) ?? null,
        before: before ? fromEnvelope<SeatAssignment>(before) : null,
        after: seat,
        others: state.seats.get(`${seat.agreementOrg}/${seat.agreementId}`) ?? [],
        today: state.today
      });
      return verdict.level === 'refuse' ? (verdict.reason ?? 'refused') : null;
    }
    case 'phone_number':
      return (
        checkNumber(
          before ? fromEnvelope<NumberAssignment>(before) : null,
          fromEnvelope<NumberAssignment>(after),
          state.ranges,
          state.today
        )?.reason ?? null
      );
    case 'phone_range': {
      const range = fromEnvelope<NumberRange>(after);
      const clash = overlappingRanges([range, ...state.ranges.filter((r) => r.id !== range.id)]).find(
        ([a, b]) => a.id === range.id || b.id === range.id
      );
      return clash
        ? `${formatRange(range)} overlaps the range ${formatRange(clash[0].id === range.id ? clash[1] : clash[0])}`
        : null;
    }
    default:
      return null;
  }
}

/** Records a batch itself adds count too: a batch of two seats for the last free one is refused once. */
export function recordAccepted(after: Doc, state: RelationState): void {
  if (after.type === 'licence_seat') {
    const s = fromEnvelope<SeatAssignment>(after);
    const key = `${s.agreementOrg}/${s.agreementId}`;
    const list = (state.seats.get(key) ?? []).filter((x) => !(x.orgId === s.orgId && x.id === s.id));
    state.seats.set(key, [...list, s]);
  }
  if (after.type === 'phone_range') {
    const r = fromEnvelope<NumberRange>(after);
    state.ranges = [...state.ranges.filter((x) => x.id !== r.id), r];
  }
}
