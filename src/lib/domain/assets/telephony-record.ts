/**
 * Operators (`phone_operator`), number ranges (`phone_range`) and numbers (`phone_number`) as
 * records of the asset module, fields in `data`. Whether a number lies in its organization's
 * ranges and is not someone else's needs the ranges: the gateway judges it (`checkNumber`).
 */
import type { Doc } from '../write-rules';
import { DataCheck, dataOf, fromEnvelope } from './contracts-envelope';
import type { AssetDocType } from './doc-type';
import {
  formatNumber,
  holderKey,
  PHONE_HOLDER_KINDS,
  normalizeNumber,
  phoneId,
  rangeId,
  type NumberAssignment
} from './telephony';

const e164 = (v: unknown, field: string) =>
  typeof v === 'string' && normalizeNumber(v) === v ? null : `${field} must be a number in the form +420377195000`;

export function validateOperator(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'an operator keeps its fields in data';
  return new DataCheck(data, ['name', 'ico', 'contractId', 'note'])
    .text('name', { required: true })
    .text('ico', { max: 8 })
    .rule(data.ico !== undefined && !/^\d{8}$/.test(String(data.ico)) ? 'ico must be eight digits' : null)
    .text('contractId', { max: 100 })
    .text('note', { max: 2000 }).result;
}

export function validateRange(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a number range keeps its fields in data';
  const shape = new DataCheck(data, ['from', 'to', 'operatorId', 'contractId', 'label'])
    .rule(e164(data.from, 'from') ?? e164(data.to, 'to'))
    .text('operatorId', { max: 100 })
    .text('contractId', { max: 100 })
    .text('label').result;
  if (shape) return shape;
  const from = String(data.from);
  const to = String(data.to);
  if (to.length !== from.length || to < from)
    return 'a range ends at a number of the same length, not before it starts';
  if (doc.id !== rangeId(from)) return `a number range's id must be ${rangeId(from)}`;
  if (BigInt(to.slice(1)) - BigInt(from.slice(1)) >= 100_000n) return 'a range holds at most 100,000 numbers';
  return null;
}

export function validateNumber(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a number keeps its fields in data';
  const shape = new DataCheck(data, [
    'number',
    'holderKind',
    'holderId',
    'holderLabel',
    'since',
    'releasedOn',
    'replaces',
    'note'
  ])
    .rule(e164(data.number, 'number'))
    .oneOf('holderKind', PHONE_HOLDER_KINDS)
    .text('holderId', { max: 60 })
    .text('holderLabel')
    .day('since')
    .day('releasedOn')
    .text('replaces', { max: 80 })
    .text('note', { max: 2000 }).result;
  if (shape) return shape;
  if (doc.id !== phoneId(String(data.number)))
    return `the record of ${String(data.number)} must have the id ${phoneId(String(data.number))}`;
  return null;
}

export const phoneOperatorType: AssetDocType = { type: 'phone_operator', fields: ['data'], validate: validateOperator };
export const phoneRangeType: AssetDocType = { type: 'phone_range', fields: ['data'], validate: validateRange };
/** A second device gave the number away too: say who has it (the one record per number is taken). */
export function duplicateNumber(before: Doc, after: Doc): string {
  const was = fromEnvelope<NumberAssignment>(before);
  const n = formatNumber(String(fromEnvelope<NumberAssignment>(after).number ?? was.number));
  return holderKey(was) && !was.releasedOn
    ? `${n} is already assigned to ${was.holderLabel ?? holderKey(was)} since ${was.since}; release it or reassign it from its current holder`
    : `${n} already has its record (free since ${was.releasedOn}); assign it there`;
}

export const phoneNumberType: AssetDocType = {
  type: 'phone_number',
  fields: ['data'],
  validate: validateNumber,
  duplicate: duplicateNumber
};
