import { AUDIT_REQUIRED, auditFields, idField, text, type CollectionSchema } from './common';

/** What a ticket comment document records: a comment, or a file (photo) attached to the ticket. */
export const COMMENT_KINDS = ['comment', 'attachment'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

/**
 * A comment or an attachment reference on a ticket. Each is its own append-only document in
 * `org_<org>_comments` (written once, never edited), referencing its ticket, so a ticket that
 * is discussed for years keeps only its few lifecycle events and never reaches the size or
 * event cap of one document. The comments database has exactly the readers of the tickets
 * database (see `ORG_RIGHTS`): whoever reads a ticket reads its comments, requesters included.
 */
export interface TicketComment {
  id: string;
  orgId: string;
  ticketId: string;
  kind: CommentKind;
  /** The comment (kind `comment`). */
  text?: string;
  /** For `attachment`: the document id in the organization's media database. */
  mediaId?: string;
  fileName?: string;
  createdBy: string;
  /** Device time: kept and shown, decides nothing (see `receipt-time.ts`). */
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  /** Stamped by the server when it first accepts the comment. */
  receivedAt?: string;
}

export const commentSchema = {
  title: 'comment',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ticketId: idField,
    kind: { type: 'string', enum: [...COMMENT_KINDS], maxLength: 20 },
    text: text(5000),
    mediaId: idField,
    fileName: text(200)
  },
  required: ['id', ...AUDIT_REQUIRED, 'ticketId', 'kind'],
  indexes: [['ticketId', 'createdAt']]
} satisfies CollectionSchema;
