/**
 * Licence agreements (`licence`) and seats (`licence_seat`) as records of the asset module:
 * their fields sit in `data` (`contracts-envelope.ts`). A region-wide agreement is the central
 * IT department's to keep (agents, the administrator); an organization's own agreement and its
 * seats are kept by its manager too. Whether a seat fits its agreement (how many seats, whose,
 * until when) needs the agreement and the seats of every organization: the gateway judges that
 * (`checkSeat`), since no device may read them all.
 */
import type { Role } from '../access';
import type { Doc, WriteContext } from '../write-rules';
import { DataCheck, dataOf, fromEnvelope } from './contracts-envelope';
import type { AssetDocType } from './doc-type';
import { LICENCE_METRICS, SEAT_HOLDER_KINDS, seatId, type SeatAssignment } from './licences';

const CENTRAL: readonly Role[] = ['agent', 'admin'];

export function validateLicence(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a licence agreement keeps its fields in data';
  const orgId = String(doc.orgId);
  return new DataCheck(data, [
    'product',
    'vendor',
    'metric',
    'seats',
    'validFrom',
    'validTo',
    'hardLimit',
    'scope',
    'members',
    'contractId',
    'note'
  ])
    .rule(String(doc.id).startsWith(`lic:${orgId}:`) ? null : `a licence agreement's id starts with lic:${orgId}:`)
    .text('product', { required: true })
    .text('vendor', { required: true })
    .oneOf('metric', LICENCE_METRICS, true)
    .int('seats', 1, 1_000_000, true)
    .day('validFrom', true)
    .day('validTo')
    .rule(
      data.validTo !== undefined && String(data.validTo) < String(data.validFrom) ? 'validTo is before validFrom' : null
    )
    .bool('hardLimit')
    .oneOf('scope', ['org', 'region'])
    .ids('members')
    .text('contractId', { max: 100 })
    .text('note', { max: 2000 }).result;
}

export const licenceType: AssetDocType = {
  type: 'licence',
  fields: ['data'],
  validate: validateLicence,
  checkRole(role: Role, ctx: WriteContext) {
    const region = (x: Doc | null) => (dataOf(x ?? {}) ?? {}).scope === 'region';
    if ((region(ctx.after) || region(ctx.before)) && !CENTRAL.includes(role))
      return 'a region-wide licence agreement is kept by the central IT department';
    return null;
  }
};

export function validateSeat(doc: Doc): string | null {
  const data = dataOf(doc);
  if (!data) return 'a seat keeps its fields in data';
  const check = new DataCheck(data, [
    'agreementId',
    'agreementOrg',
    'holderKind',
    'holderId',
    'holderLabel',
    'product',
    'since',
    'releasedOn'
  ])
    .text('agreementId', { required: true, max: 100 })
    .text('agreementOrg', { required: true, max: 40 })
    .oneOf('holderKind', SEAT_HOLDER_KINDS, true)
    .text('holderId', { required: true, max: 60 })
    .text('holderLabel')
    .text('product')
    .day('since', true)
    .day('releasedOn');
  if (check.result) return check.result;
  if (!String(data.agreementId).startsWith(`lic:${String(data.agreementOrg)}:`))
    return `agreement ${String(data.agreementId)} is not one of ${String(data.agreementOrg)}`;
  const id = seatId(String(data.agreementId), data.holderKind as never, String(data.holderId));
  if (doc.id !== id) return `a seat's id must be ${id}`;
  if (data.releasedOn !== undefined && String(data.releasedOn) < String(data.since))
    return 'releasedOn is before since';
  return null;
}

export const licenceSeatType: AssetDocType = {
  type: 'licence_seat',
  fields: ['data'],
  validate: validateSeat,
  duplicate(before) {
    const s = fromEnvelope<SeatAssignment>(before);
    return `${s.holderLabel ?? s.holderId} already has a seat of ${s.product ?? s.agreementId} (since ${s.since}${s.releasedOn ? `, released ${s.releasedOn}` : ''}); change that record`;
  }
};
