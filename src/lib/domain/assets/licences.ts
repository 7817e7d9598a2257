/**
 * Licence agreements and the seats assigned under them, and the compliance view that compares
 * seats owned with seats used.
 *
 * Where things live: an agreement lives in the assets database of the organization that holds
 * it; a region-wide agreement (office suite, antivirus, the school information system) lives in
 * the regional office's (`ku`) with `scope: 'region'`, and `members` narrows which
 * organizations may draw on it. A seat lives in the assets database of the organization that
 * uses it (its manager edits it there) and names its agreement by `agreementId` and
 * `agreementOrg`. An agent of the central IT department replicates every organization's assets
 * database, so the one local `assets` collection holds every agreement and every seat: the
 * compliance view needs nothing else.
 *
 * A seat's id is derived from its agreement and holder (`seatId`), so the same holder given the
 * same agreement twice, on two offline devices, is one document and a conflict, never two seats.
 */
import { daysBetween, type Day } from './contracts-calendar';
import { compareCzech } from '../czech-order';

export const LICENCE_METRICS = ['device', 'user', 'site'] as const;
export type LicenceMetric = (typeof LICENCE_METRICS)[number];
export const SEAT_HOLDER_KINDS = ['asset', 'person', 'site'] as const;
export type SeatHolderKind = (typeof SEAT_HOLDER_KINDS)[number];

/** Which holder a metric counts: per device an asset, per user a person, per site a site. */
export const HOLDER_OF_METRIC: Record<LicenceMetric, SeatHolderKind> = {
  device: 'asset',
  user: 'person',
  site: 'site'
};

export interface LicenceAgreement {
  id: string;
  orgId: string;
  type: 'licence';
  product: string;
  vendor: string;
  metric: LicenceMetric;
  seats: number;
  validFrom: Day;
  validTo?: Day;
  /** Seats beyond `seats` are refused, not only warned about. */
  hardLimit?: boolean;
  /** `region`: any organization of the region (or those in `members`) draws on it. */
  scope?: 'org' | 'region';
  members?: string[];
  contractId?: string;
}

export interface SeatAssignment {
  id: string;
  orgId: string;
  type: 'licence_seat';
  agreementId: string;
  /** The organization whose database holds the agreement. */
  agreementOrg: string;
  holderKind: SeatHolderKind;
  holderId: string;
  /** What the holder is called (for readers who cannot open the asset or person). */
  holderLabel?: string;
  /** The product, for readers who cannot read the agreement (another organization's database). */
  product?: string;
  since: Day;
  /** The seat was given back on this day; it no longer counts from then. */
  releasedOn?: Day;
}

/** `lic:<org>:<slug>`: unique across the region, so a seat's id names one agreement. */
export const licenceId = (orgId: string, slug: string) => `lic:${orgId}:${slug}`;

export const seatId = (agreementId: string, holderKind: SeatHolderKind, holderId: string) =>
  `seat:${agreementId}:${holderKind}:${holderId}`;

/** Whether a seat counts on `today`. */
export function seatActive(s: Pick<SeatAssignment, 'since' | 'releasedOn'>, today: Day): boolean {
  return s.since <= today && (s.releasedOn === undefined || s.releasedOn > today);
}

export function agreementCovers(a: LicenceAgreement, orgId: string): boolean {
  if (a.scope === 'region') return !a.members?.length || a.members.includes(orgId);
  return a.orgId === orgId;
}

export type ExpiryState = 'expired' | 'ahead' | 'ok' | 'open-ended';

/** Expiry of anything valid until a day: gone, within `leadDays`, later, or never. */
export function expiryState(validTo: Day | undefined, today: Day, leadDays: number): ExpiryState {
  if (!validTo) return 'open-ended';
  const left = daysBetween(today, validTo);
  if (left < 0) return 'expired';
  return left <= leadDays ? 'ahead' : 'ok';
}

export interface ComplianceRow {
  agreement: LicenceAgreement;
  owned: number;
  used: number;
  /** Seats owned and not assigned. */
  unused: number;
  /** Seats assigned beyond those owned. */
  over: number;
  byOrg: { orgId: string; used: number }[];
  daysLeft: number | null;
  expiry: ExpiryState;
  /** Seats of organizations the agreement does not cover, or of the wrong holder kind. */
  misplaced: number;
}

/** Days before the end of an agreement from which it counts as expiring. */
export const LICENCE_EXPIRY_LEAD_DAYS = 90;

/**
 * Seats owned against seats used, per agreement, as of `today`. Over-assigned agreements come
 * first, then those expiring soonest: what needs acting on is on top.
 */
export function compliance(
  agreements: readonly LicenceAgreement[],
  seats: readonly SeatAssignment[],
  today: Day,
  leadDays = LICENCE_EXPIRY_LEAD_DAYS
): ComplianceRow[] {
  const byAgreement = new Map<string, SeatAssignment[]>();
  for (const s of seats) {
    if (!seatActive(s, today)) continue;
    const key = `${s.agreementOrg}/${s.agreementId}`;
    byAgreement.set(key, [...(byAgreement.get(key) ?? []), s]);
  }
  const rows = agreements.map((a): ComplianceRow => {
    const mine = byAgreement.get(`${a.orgId}/${a.id}`) ?? [];
    const counts = new Map<string, number>();
    for (const s of mine) counts.set(s.orgId, (counts.get(s.orgId) ?? 0) + 1);
    const used = mine.length;
    return {
      agreement: a,
      owned: a.seats,
      used,
      unused: Math.max(0, a.seats - used),
      over: Math.max(0, used - a.seats),
      byOrg: [...counts].map(([orgId, n]) => ({ orgId, used: n })).sort((x, y) => x.orgId.localeCompare(y.orgId)),
      daysLeft: a.validTo ? daysBetween(today, a.validTo) : null,
      expiry: expiryState(a.validTo, today, leadDays),
      misplaced: mine.filter((s) => !agreementCovers(a, s.orgId) || s.holderKind !== HOLDER_OF_METRIC[a.metric]).length
    };
  });
  return rows.sort(
    (x, y) =>
      Number(y.over > 0) - Number(x.over > 0) ||
      (x.daysLeft ?? Infinity) - (y.daysLeft ?? Infinity) ||
      compareCzech(x.agreement.product, y.agreement.product)
  );
}

export type SeatProblemCode =
  'no-agreement' | 'wrong-holder' | 'not-covered' | 'not-valid' | 'wrong-id' | 'over-assigned' | 'hard-limit';

export interface SeatVerdict {
  /** `warn`: stored, and shown; `refuse`: not stored. */
  level: 'ok' | 'warn' | 'refuse';
  code?: SeatProblemCode;
  reason?: string;
}

const ok: SeatVerdict = { level: 'ok' };

/**
 * Whether a seat may be written. `before` is the stored seat (null when new); `others` are the
 * agreement's other seats, wherever they live (the server reads every organization's, a
 * device what it holds). Only a seat that starts to count is checked against the limit:
 * releasing, or editing a seat that already counts, never is.
 */
export function checkSeat(input: {
  agreement: LicenceAgreement | null;
  before: SeatAssignment | null;
  after: SeatAssignment;
  others: readonly SeatAssignment[];
  today: Day;
}): SeatVerdict {
  const { agreement: a, before, after, today } = input;
  if (after.id !== seatId(after.agreementId, after.holderKind, after.holderId))
    return refuse('wrong-id', `a seat's id must be ${seatId(after.agreementId, after.holderKind, after.holderId)}`);
  // One answer for an agreement that does not exist and one that does not cover the seat's
  // organization, before any of its fields: the writer may not read another organization's
  // agreements, and the reason would tell their products, terms and existence.
  const unknown = `licence agreement ${after.agreementId} of ${after.agreementOrg} does not exist or does not cover ${after.orgId}`;
  if (!a) return refuse('no-agreement', unknown);
  if (!agreementCovers(a, after.orgId)) return refuse('not-covered', unknown);
  if (after.holderKind !== HOLDER_OF_METRIC[a.metric])
    return refuse(
      'wrong-holder',
      `${a.product} is licensed per ${a.metric}: its seats go to a ${HOLDER_OF_METRIC[a.metric]}, not a ${after.holderKind}`
    );
  if (!claimsSeat(after, today) || (before !== null && claimsSeat(before, today))) return ok;
  if (a.validTo && a.validTo < today) return refuse('not-valid', `${a.product}: the agreement ended on ${a.validTo}`);
  const used = input.others.filter(
    (s) => !(s.orgId === after.orgId && s.id === after.id) && claimsSeat(s, today)
  ).length;
  if (used + 1 <= a.seats) return ok;
  const reason = `${a.product}: all ${a.seats} seats of the agreement are assigned (${used} in use)`;
  return a.hardLimit
    ? refuse('hard-limit', `${reason}; the agreement does not allow more`)
    : { level: 'warn', code: 'over-assigned', reason: `${reason}; this one is beyond the agreement` };
}

/** A seat in use now or reserved from a later day: either way it is spoken for. */
function claimsSeat(s: Pick<SeatAssignment, 'releasedOn'>, today: Day): boolean {
  return s.releasedOn === undefined || s.releasedOn > today;
}

function refuse(code: SeatProblemCode, reason: string): SeatVerdict {
  return { level: 'refuse', code, reason };
}
