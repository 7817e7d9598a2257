/**
 * Shape and change rules of the documents in circulation, beyond the collection schema: the
 * fields each type needs, the IČO checksum, who may register and correct a document and when.
 * A document is frozen while it is in a round that has decisions; a rejection returns it to
 * its registrar, whose correction starts the next round (the decisions stay, as history).
 */
import type { Role } from '../access';
import { isValidIco } from '../admin/ico';
import { refusal, type ApprovalDoc, type ApprovalStatus, type Refusal } from './approval';

type Doc = Record<string, unknown>;

const REQUIRED: Record<string, string[]> = {
  order: ['number', 'supplier', 'supplierIco', 'amount', 'currency', 'registeredOn', 'registrar', 'round'],
  invoice: ['number', 'supplier', 'supplierIco', 'amount', 'currency', 'registeredOn', 'registrar', 'round'],
  prislib: ['number', 'subject', 'amount', 'currency', 'registeredOn', 'registrar', 'round', 'validFrom', 'validTo'],
  decision: ['parentId', 'round', 'step', 'verdict', 'role', 'decidedAt']
};
const DOC_ONLY = [
  'number',
  'supplier',
  'supplierIco',
  'amount',
  'currency',
  'subject',
  'budgetLine',
  'dueDate',
  'registeredOn',
  'registrar',
  'round',
  'mediaId',
  'prislibId',
  'validFrom',
  'validTo'
];
const DECISION_ONLY = ['parentId', 'step', 'verdict', 'role', 'comment', 'fundsConfirmed', 'decidedAt', 'seen'];

/** Roles that register documents. */
export const REGISTRAR_ROLES: readonly Role[] = ['clerk', 'accountant', 'manager'];

/** Decision ids start with their document's id, so a document's history is one key range. */
export const decisionIdPrefix = (docId: string) => `${docId}:dec:`;

/** A readable amount problem, or null: a finite number, not negative, at most two decimals. */
export function checkAmount(v: unknown): Refusal | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return refusal('amount-nan', 'the amount must be a number');
  if (v < 0) return refusal('amount-negative', 'the amount may not be negative');
  if (Math.round(v * 100) !== Math.round(v * 100 * 1e6) / 1e6)
    return refusal('amount-decimals', 'the amount has at most two decimal places');
  return null;
}

/** The fields a document of its type needs, and nothing of another type. */
export function checkShape(doc: Doc): Refusal | null {
  const type = String(doc.type);
  for (const f of REQUIRED[type] ?? []) {
    if (doc[f] === undefined || doc[f] === '') return refusal('missing-field', `a ${type} needs ${f}`, { field: f });
  }
  const foreign = (type === 'decision' ? DOC_ONLY.filter((f) => f !== 'round') : DECISION_ONLY).find((f) => f in doc);
  if (foreign) return refusal('foreign-field', `a ${type} has no ${foreign}`, { field: foreign });
  if (type === 'decision') {
    if (!String(doc.id).startsWith(decisionIdPrefix(String(doc.parentId))))
      return refusal('decision-id', `a decision's id must start with ${decisionIdPrefix(String(doc.parentId))}`);
    return null;
  }
  const amount = checkAmount(doc.amount);
  if (amount) return amount;
  if (type !== 'prislib' && !isValidIco(String(doc.supplierIco)))
    return refusal('ico-invalid', `IČO ${String(doc.supplierIco)} fails its checksum`, {
      ico: String(doc.supplierIco)
    });
  if (type === 'prislib' && String(doc.validFrom) > String(doc.validTo))
    return refusal('period-invalid', 'the příslib period ends before it starts');
  if (type !== 'invoice' && doc.prislibId !== undefined)
    return refusal('foreign-field', `a ${type} has no prislibId`, { field: 'prislibId' });
  return null;
}

/**
 * A new document or a change to one. `status` is the stored document's state (edits), `today`
 * the server's day (a registration may not be dated later).
 */
export function checkDocumentWrite(input: {
  before: ApprovalDoc | null;
  after: ApprovalDoc;
  status: ApprovalStatus | null;
  userId: string;
  roles: readonly Role[];
  today: string;
}): Refusal | null {
  const { before, after, status, userId, roles } = input;
  if (!before) {
    if (!roles.some((r) => REGISTRAR_ROLES.includes(r) || r === 'admin'))
      return refusal('not-registrar', 'only a clerk, the chief accountant or the director registers documents');
    if (after.registrar !== userId)
      return refusal('registrar-self', `the registrar of a new document must be ${userId}`);
    if (after.round !== 1) return refusal('round-start', 'a new document starts in round 1');
    if (after.registeredOn > input.today)
      return refusal('future-date', `the registration day ${after.registeredOn} is after today (${input.today})`);
    return null;
  }
  if (before.type !== after.type)
    return refusal('immutable', 'the type of a document may not change', { field: 'type' });
  for (const f of ['registrar', 'registeredOn'] as const) {
    if (before[f] !== after[f]) return refusal('immutable', `${f} may not change`, { field: f });
  }
  if (userId !== before.registrar && !roles.includes('admin'))
    return refusal('not-registrar', `only the registrar (${before.registrar}) corrects the document`, {
      registrar: before.registrar
    });
  const state = status?.state ?? 'pending';
  if (state === 'approved') return refusal('frozen-approved', 'an approved document may not change');
  if (state === 'rejected') {
    return after.round === before.round + 1
      ? null
      : refusal('new-round', `a corrected document starts round ${before.round + 1}`, { round: before.round + 1 });
  }
  if ((status?.current.length ?? 0) > 0)
    return refusal('frozen-decided', 'the document has decisions in this round; it may change only after a rejection');
  if (after.round !== before.round) return refusal('new-round', 'the round changes only after a rejection');
  return null;
}
