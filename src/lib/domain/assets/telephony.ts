/**
 * Telephony: operators, the number ranges each organization holds (e.g. +420 377 195 000–499),
 * and who holds each number (a person, a device or a SIM) since when.
 *
 * A number's record has the id `phone:<digits>` (`phoneId`), one per number per organization
 * database, so two devices that give the same number away offline write ONE document: the
 * second to arrive finds the first and is judged as a change of holder, which `checkNumber`
 * refuses unless the writer names the holder it replaces (`replaces`), i.e. saw it first.
 * A number outside the organization's ranges is refused. Numbers are kept in E.164
 * (`+420377195012`) and shown grouped (`+420 377 195 012`).
 */
import type { Day } from './contracts-calendar';

export const PHONE_HOLDER_KINDS = ['person', 'asset', 'sim'] as const;
export type PhoneHolderKind = (typeof PHONE_HOLDER_KINDS)[number];

export interface PhoneOperator {
  id: string;
  orgId: string;
  type: 'phone_operator';
  name: string;
  ico?: string;
  contractId?: string;
}

export interface NumberRange {
  id: string;
  orgId: string;
  type: 'phone_range';
  /** First and last number, E.164, same length. */
  from: string;
  to: string;
  operatorId?: string;
  contractId?: string;
  label?: string;
}

export interface NumberAssignment {
  id: string;
  orgId: string;
  type: 'phone_number';
  number: string;
  holderKind?: PhoneHolderKind;
  holderId?: string;
  holderLabel?: string;
  since?: Day;
  /** Given back on this day: the number is free. */
  releasedOn?: Day;
  /** `kind:id` of the holder this assignment takes the number from (the writer saw it). */
  replaces?: string;
}

const CZ = '420';

/** E.164 of a typed number (`377 195 012`, `+420 377 195 012`, `00420377195012`), or null. */
export function normalizeNumber(input: string): string | null {
  const compact = input.replace(/[\s\-./()]/g, '');
  let digits: string;
  if (/^\+\d+$/.test(compact)) digits = compact.slice(1);
  else if (/^00\d+$/.test(compact)) digits = compact.slice(2);
  else if (/^\d{9}$/.test(compact)) digits = CZ + compact;
  else return null;
  if (digits.startsWith(CZ)) return digits.length === 12 ? `+${digits}` : null;
  return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
}

/** `+420 377 195 012`; other countries as they are. */
export function formatNumber(e164: string): string {
  const m = /^\+420(\d{3})(\d{3})(\d{3})$/.exec(e164);
  return m ? `+420 ${m[1]} ${m[2]} ${m[3]}` : e164;
}

export const phoneId = (e164: string) => `phone:${e164.replace(/^\+/, '')}`;
export const rangeId = (from: string) => `phone-range:${from.replace(/^\+/, '')}`;

/**
 * A range as people write it: `+420 377 195 000–499` (the end replaces the last digits of
 * the start) or two full numbers. Null when it is not a range.
 */
export function parseRange(text: string): { from: string; to: string } | null {
  const parts = text.split(/\s*[–—-]\s*(?=\+|\d)/);
  if (parts.length !== 2) return null;
  const from = normalizeNumber(parts[0]);
  if (!from) return null;
  const tail = parts[1].replace(/\s/g, '');
  const to =
    /^\d+$/.test(tail) && tail.length < from.length - 1
      ? from.slice(0, from.length - tail.length) + tail
      : normalizeNumber(parts[1]);
  if (!to || to.length !== from.length || to < from) return null;
  return { from, to };
}

export function formatRange(r: Pick<NumberRange, 'from' | 'to'>): string {
  let i = 0;
  while (i < r.from.length && r.from[i] === r.to[i]) i++;
  const shown = formatNumber(r.from);
  // Show the end as the digits that change, as the operator's papers do.
  const tailDigits = r.to.length - i;
  return tailDigits <= 4 ? `${shown}–${r.to.slice(-Math.max(3, tailDigits))}` : `${shown} – ${formatNumber(r.to)}`;
}

export function rangeSize(r: Pick<NumberRange, 'from' | 'to'>): number {
  return Number(BigInt(r.to.slice(1)) - BigInt(r.from.slice(1))) + 1;
}

export function inRange(r: Pick<NumberRange, 'from' | 'to'>, e164: string): boolean {
  return e164.length === r.from.length && r.from <= e164 && e164 <= r.to;
}

/** Pairs of ranges sharing a number (a number must belong to one range, one organization). */
export function overlappingRanges(ranges: readonly NumberRange[]): [NumberRange, NumberRange][] {
  const out: [NumberRange, NumberRange][] = [];
  for (let i = 0; i < ranges.length; i++)
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (a.from.length === b.from.length && a.from <= b.to && b.from <= a.to) out.push([a, b]);
    }
  return out;
}

export const holderKey = (n: Pick<NumberAssignment, 'holderKind' | 'holderId'>) =>
  n.holderKind && n.holderId ? `${n.holderKind}:${n.holderId}` : undefined;

/** Whether the number is held on `today`. */
export function isHeld(n: NumberAssignment | undefined, today: Day): boolean {
  return !!n && !!holderKey(n) && (n.releasedOn === undefined || n.releasedOn > today);
}

export type NumberProblemCode =
  'invalid-number' | 'wrong-id' | 'outside-ranges' | 'taken' | 'number-changed' | 'no-holder';

export interface NumberProblem {
  code: NumberProblemCode;
  reason: string;
}

/** Whether a number's record may be written, given the organization's ranges. */
export function checkNumber(
  before: NumberAssignment | null,
  after: NumberAssignment,
  ranges: readonly NumberRange[],
  today: Day
): NumberProblem | null {
  const e164 = normalizeNumber(after.number);
  if (!e164 || e164 !== after.number)
    return { code: 'invalid-number', reason: `${after.number} is not a phone number in the form +420377195012` };
  if (after.id !== phoneId(e164))
    return { code: 'wrong-id', reason: `the record of ${formatNumber(e164)} must have the id ${phoneId(e164)}` };
  if (before && before.number !== after.number)
    return { code: 'number-changed', reason: 'a number record keeps its number' };
  const own = ranges.filter((r) => r.orgId === after.orgId);
  if (!own.some((r) => inRange(r, e164))) {
    const held = own.map(formatRange).join(', ');
    return {
      code: 'outside-ranges',
      reason: `${formatNumber(e164)} is outside the number ranges of ${after.orgId}${held ? ` (${held})` : ' (it has none)'}`
    };
  }
  if (!after.releasedOn && (!after.holderKind || !after.holderId || !after.since))
    return { code: 'no-holder', reason: `say who holds ${formatNumber(e164)} and since when, or release it` };
  const was = before && isHeld(before, today) ? holderKey(before) : undefined;
  const now = after.releasedOn ? undefined : holderKey(after);
  if (was && now && was !== now && after.replaces !== was) {
    return {
      code: 'taken',
      reason: `${formatNumber(e164)} is already assigned to ${before?.holderLabel ?? was} since ${before?.since}; release it or reassign it from its current holder`
    };
  }
  return null;
}

/** Free numbers of the ranges (not held on `today`), in order, at most `limit`. */
export function freeNumbers(
  ranges: readonly NumberRange[],
  assigned: readonly NumberAssignment[],
  today: Day,
  limit = 50
): string[] {
  const held = new Set(assigned.filter((n) => isHeld(n, today)).map((n) => n.number));
  const out: string[] = [];
  for (const r of [...ranges].sort((a, b) => a.from.localeCompare(b.from))) {
    const start = BigInt(r.from.slice(1));
    const size = rangeSize(r);
    for (let i = 0; i < size && out.length < limit; i++) {
      const n = `+${(start + BigInt(i)).toString().padStart(r.from.length - 1, '0')}`;
      if (!held.has(n)) out.push(n);
    }
  }
  return out;
}

/** Per range: numbers held and free. */
export function rangeUsage(range: NumberRange, assigned: readonly NumberAssignment[], today: Day) {
  const held = assigned.filter((n) => n.orgId === range.orgId && isHeld(n, today) && inRange(range, n.number)).length;
  return { size: rangeSize(range), held, free: rangeSize(range) - held };
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Numbers matching a query: digits find a number by any part of it (`195 012`, `377195`),
 * words find the holder by name or id, without regard to case or diacritics.
 */
export function searchNumbers(assigned: readonly NumberAssignment[], query: string, today: Day): NumberAssignment[] {
  const q = query.trim();
  if (!q) return [...assigned];
  const digits = q.replace(/[\s+\-./()]/g, '');
  if (/^\d+$/.test(digits)) return assigned.filter((n) => n.number.replace(/\D/g, '').includes(digits));
  const words = fold(q).split(/\s+/);
  return assigned.filter((n) => {
    if (!isHeld(n, today)) return false;
    const hay = fold(`${n.holderLabel ?? ''} ${n.holderId ?? ''}`);
    return words.every((w) => hay.includes(w));
  });
}
