import { AUDIT_REQUIRED, auditFields, idField, isoTime, orgRef, text, userRef, type CollectionSchema } from './common';

export const TASK_TYPES = ['task', 'task-step'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

/** What a step record does to a task (see `portal/task-flow.ts` for who may take which). */
export const TASK_ACTIONS = [
  'accept', // the director takes the task on
  'assign', // the director passes it to one worker
  'comment',
  'evidence', // a document or photo in the media store
  'done', // the worker marks their work done
  'return', // the director returns it to the worker
  'confirm', // the director confirms a sub-task done
  'report', // the director reports the task done upward
  'return-up', // the issuer returns it to the organization, with a reason
  'accept-up' // the issuer accepts it: closed
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/**
 * One collection, two document types. A `task` is what an organization must do: issued by a
 * founding department (`issueId` links the copies every target organization got), or a
 * sub-task (`parentId`) a director split off for one worker. A `task-step` is an append-only
 * record (who, when, what) whose id starts with its task's id (`<taskId>:step:<suffix>`), so
 * a task's history grows by documents, never by an ever-longer array, and the server reads
 * it with one key-range request.
 */
export const taskSchema = {
  title: 'task',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    ...auditFields,
    type: { type: 'string', enum: [...TASK_TYPES], maxLength: 20 },
    // task
    title: text(200, 3),
    description: text(5000),
    /** The issue every target organization's copy shares; the roll-up groups by it. */
    issueId: idField,
    /** Department of the regional office that issued it. */
    issuedBy: { type: 'string', maxLength: 60 },
    /** Every organization the issue went to ("n of m" needs m where only one copy is readable). */
    targets: { type: 'array', maxItems: 200, items: orgRef },
    dueAt: isoTime,
    /** Reminders: days before `dueAt` the inbox starts reminding (see `portal/reminders.ts`). */
    remindDays: { type: 'array', maxItems: 5, items: { type: 'integer', minimum: 1, maximum: 365 } },
    /** Sub-task: the task it was split from; its worker is `assignee`. */
    parentId: idField,
    assignee: userRef,
    /** Attachments of the issue (media ids in the organization's media database). */
    mediaIds: { type: 'array', maxItems: 20, items: idField },
    // task-step (parentId: the task)
    action: { type: 'string', enum: [...TASK_ACTIONS] },
    text: text(5000),
    mediaId: idField,
    /** When it was done on the device (the server's receipt time is `receivedAt`). */
    at: isoTime
  },
  required: ['id', ...AUDIT_REQUIRED, 'type'],
  indexes: ['updatedAt']
} satisfies CollectionSchema;
