import { AUDIT_REQUIRED, auditFields, idField, text, type CollectionSchema } from './common';

/**
 * An internal note of the IT staff on a ticket. Notes live in their own database per
 * organization (`org_<org>_notes`), which only the roles that handle tickets as staff
 * replicate, so a requester's device never receives one. Each note is its own append-only
 * document referencing its ticket: written once, never edited, never merged.
 */
export interface TicketNote {
  id: string;
  orgId: string;
  ticketId: string;
  text: string;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  /** Stamped by the server when it first accepts the note. */
  receivedAt?: string;
}

export const noteSchema = {
  title: 'note',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ticketId: idField,
    text: text(5000, 1)
  },
  required: ['id', ...AUDIT_REQUIRED, 'ticketId', 'text'],
  indexes: [['ticketId', 'createdAt']]
} satisfies CollectionSchema;
