import { AUDIT_REQUIRED, auditFields, mergeFields, eventSchema, idField, isoTime, text, userRef, type CollectionSchema } from './common';

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;

/** A task a department of the regional office issues to an organization, passed down to a worker. */
export const taskSchema = {
  title: 'task',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    ...mergeFields,
    title: text(200, 3),
    description: text(5000),
    /** Department of the regional office that issued it, when a founder did. */
    issuedBy: { type: 'string', maxLength: 60 },
    assignee: userRef,
    dueAt: isoTime,
    status: { type: 'string', enum: [...TASK_STATUSES] },
    events: {
      type: 'array',
      maxItems: 2000,
      items: eventSchema(['status', 'assign', 'comment'], {
        to: { type: 'string', enum: [...TASK_STATUSES] },
        assignee: userRef,
        text: text(5000)
      })
    }
  },
  required: ['id', ...AUDIT_REQUIRED, 'title', 'description', 'status', 'events'],
  indexes: ['updatedAt']
} satisfies CollectionSchema;
