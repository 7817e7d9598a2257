import { AUDIT_REQUIRED, auditFields, mergeFields, eventSchema, idField, text, type CollectionSchema } from './common';

/** Steps of act 320/2001 on financial control, by the kind of document. */
export const APPROVAL_STEPS = ['prikazce', 'spravce', 'ucetni'] as const;
export type ApprovalStep = (typeof APPROVAL_STEPS)[number];

/** An order or invoice in electronic circulation; decisions are append-only. */
export const approvalSchema = {
  title: 'approval',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ...mergeFields,
    docKind: { type: 'string', enum: ['order', 'invoice'] },
    number: text(60, 1),
    supplier: text(200, 1),
    amount: { type: 'number', minimum: 0, maximum: 1e11 },
    currency: { type: 'string', enum: ['CZK', 'EUR'] },
    subject: text(1000),
    mediaId: idField,
    state: { type: 'string', enum: ['pending', 'approved', 'rejected'] },
    decisions: {
      type: 'array',
      maxItems: 20,
      items: eventSchema(['decision'], {
        step: { type: 'string', enum: [...APPROVAL_STEPS] },
        verdict: { type: 'string', enum: ['approve', 'reject'] },
        text: text(2000)
      })
    }
  },
  required: ['id', ...AUDIT_REQUIRED, 'docKind', 'number', 'supplier', 'amount', 'currency', 'state', 'decisions'],
  indexes: ['updatedAt']
} satisfies CollectionSchema;
