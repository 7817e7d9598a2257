import { AUDIT_REQUIRED, auditFields, idField, isoTime, text, userRef, type CollectionSchema } from './common';

/**
 * Steps of financial control a rule set may name. Act 320/2001 uses all three; which steps a
 * document needs, and in which order, is data (a rule set in the region catalog), not code.
 */
export const APPROVAL_STEPS = ['prikazce', 'spravce', 'ucetni'] as const;
export type ApprovalStep = (typeof APPROVAL_STEPS)[number];

/** Documents that circulate for approval (a příslib is approved once, then invoices draw from it). */
export const APPROVAL_DOC_TYPES = ['order', 'invoice', 'prislib'] as const;
export type ApprovalDocType = (typeof APPROVAL_DOC_TYPES)[number];
export const APPROVAL_TYPES = [...APPROVAL_DOC_TYPES, 'decision'] as const;
export type ApprovalType = (typeof APPROVAL_TYPES)[number];

const date = { type: 'string', maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/**
 * One collection, several document types (`type`): the documents in circulation (order,
 * invoice, příslib) and their decisions. A decision is its own append-only document whose id
 * starts with its document's id (`<docId>:dec:<suffix>`), so two offline decisions are two
 * documents, never a lost edit, and the server reads a document's whole history with one
 * key-range request. The fields each type needs are checked in `portal/approval-docs.ts`.
 */
export const approvalSchema = {
  title: 'approval',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    type: { type: 'string', enum: [...APPROVAL_TYPES], maxLength: 20 },
    // documents (order, invoice, příslib)
    number: text(60, 1),
    supplier: text(200, 1),
    supplierIco: { type: 'string', maxLength: 8, pattern: '^\\d{8}$' },
    amount: { type: 'number', minimum: 0, maximum: 1e11 },
    currency: { type: 'string', enum: ['CZK', 'EUR'] },
    subject: text(1000),
    budgetLine: text(60),
    dueDate: date,
    /** The day the document was registered: it picks the rule set that judges it. */
    registeredOn: date,
    /** Who registered it; a rejection returns it to them. */
    registrar: userRef,
    /** Approval round: 1, then one more each time a rejected document is corrected. */
    round: { type: 'integer', minimum: 1, maximum: 100 },
    /** The scan (PDF or photo) in the organization's media database. */
    mediaId: idField,
    /** invoice: the příslib it draws from. */
    prislibId: idField,
    /** příslib: the period it covers. */
    validFrom: date,
    validTo: date,
    // decisions
    parentId: idField,
    step: { type: 'string', enum: [...APPROVAL_STEPS] },
    verdict: { type: 'string', enum: ['approve', 'reject'] },
    /** The role the decider acted in (checked against the roles held when the server receives it). */
    role: { type: 'string', maxLength: 20 },
    comment: text(2000),
    /** správce rozpočtu: the budget line has the funds. */
    fundsConfirmed: { type: 'boolean' },
    /** When the decider decided, on their device (the server's receipt time is `receivedAt`). */
    decidedAt: isoTime,
    /**
     * What the decider saw: the document's amount and supplier when they decided. A document
     * changed before the decision reached the server is decided again, not approved unseen.
     */
    seen: {
      type: 'object',
      properties: {
        amount: { type: 'number', minimum: 0, maximum: 1e11 },
        currency: { type: 'string', enum: ['CZK', 'EUR'] },
        supplier: text(200, 1),
        supplierIco: { type: 'string', maxLength: 8, pattern: '^\\d{8}$' }
      },
      required: ['amount', 'currency'],
      additionalProperties: false
    }
  },
  required: ['id', ...AUDIT_REQUIRED, 'type'],
  indexes: ['updatedAt']
} satisfies CollectionSchema;
