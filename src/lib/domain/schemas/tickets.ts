import {
  AUDIT_REQUIRED,
  auditFields,
  mergeFields,
  eventSchema,
  idField,
  text,
  userRef,
  type CollectionSchema
} from './common';

export const TICKET_STATUSES = ['new', 'assigned', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TICKET_EVENT_KINDS = ['status', 'assign', 'comment', 'note', 'attachment'] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export interface Assignee {
  /** `central`: the central IT queue; `contractor`: the external contractor of the district. */
  queue: 'central' | 'contractor';
  userId?: string;
}

export interface TicketEvent {
  id: string;
  /** Device time: kept and shown, decides nothing (see `receipt-time.ts`). */
  at: string;
  /** The server's receipt time, stamped by the gateway; absent until the server has the event. */
  receivedAt?: string;
  by: string;
  kind: TicketEventKind;
  /** For `status`: the new status. */
  to?: TicketStatus;
  /** For `assign`. */
  assignee?: Assignee;
  /** Comment, internal note, resolution summary, reason of a reopen. */
  text?: string;
  /** For `attachment`: the document id in the organization's media database. */
  mediaId?: string;
  fileName?: string;
}

export interface Ticket {
  id: string;
  orgId: string;
  title: string;
  description: string;
  category: string;
  priority: Priority;
  site?: string;
  assetId?: string;
  requester: string;
  status: TicketStatus;
  assignee?: Assignee;
  events: TicketEvent[];
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  receivedAt?: string;
  fieldTimes?: Record<string, string>;
  editConflicts?: {
    id: string;
    at: string;
    by: string;
    kind: 'conflict';
    field?: string;
    kept?: string;
    lost?: string;
  }[];
}

const assignee = {
  type: 'object',
  additionalProperties: false,
  required: ['queue'],
  properties: { queue: { type: 'string', enum: ['central', 'contractor'] }, userId: userRef }
};

export const ticketSchema = {
  title: 'ticket',
  // 2: the client's list indexes (src/lib/db/collections.ts); documents unchanged.
  // 3: the device's own indexed `assigneeId` (replaced in 5); server documents unchanged.
  // 4: fewer local indexes, each one read by a list (src/lib/db/collections.ts); documents unchanged.
  // 5: the device's `inbox` object replaces `assigneeId` (src/lib/db/ticket-inbox.ts); server documents unchanged.
  // 6: local indexes for the list by last change only (the search index keeps the other orders); documents unchanged.
  // 7: no local index by organization; the inbox's indexes and one by asset the device's own (src/lib/db/collections.ts); documents unchanged.
  version: 7,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ...mergeFields,
    title: text(200, 3),
    description: text(5000),
    category: { type: 'string', maxLength: 60 },
    priority: { type: 'string', enum: [...PRIORITIES], maxLength: 2 },
    site: text(200),
    assetId: { type: 'string', maxLength: 60 },
    requester: userRef,
    status: { type: 'string', enum: [...TICKET_STATUSES], maxLength: 20 },
    assignee,
    events: {
      type: 'array',
      maxItems: 2000,
      items: eventSchema(TICKET_EVENT_KINDS, {
        to: { type: 'string', enum: [...TICKET_STATUSES] },
        assignee,
        text: text(5000),
        mediaId: idField,
        fileName: text(200)
      })
    }
  },
  // No indexes here: the device's are in src/lib/db/collections.ts, each read by a list (every
  // index costs every write of a sync).
  required: ['id', ...AUDIT_REQUIRED, 'title', 'description', 'category', 'priority', 'requester', 'status', 'events']
} satisfies CollectionSchema;
