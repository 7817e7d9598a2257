/**
 * "Assigned to me" through an index. Dexie indexes only required fields, and a ticket's
 * assignee is an optional object (`assignee.userId`), so the inbox used to read every ticket
 * of a state and filter by person in memory: at 10,000 tickets that is most of the device.
 * The device therefore keeps a copy of the person as a required top-level field,
 * `assigneeId` ('' when nobody by name), indexed with the state.
 *
 * The field is the device's alone: the shared schema (what the gateway validates) does not
 * have it. The codec adds it to every document pulled from the server and removes it from
 * every document pushed, the collection's hooks set it on every local write, and the
 * conflict handler derives it again with the assignee (`derived-fields.ts`).
 */
import { deviceField } from './device-field';

export const ASSIGNEE_FIELD = 'assigneeId';

/** The field's definition in the device's ticket schema (a user name, or ''). */
export const ASSIGNEE_FIELD_SCHEMA = { type: 'string', maxLength: 60 } as const;

export const assigneeIdOf = (doc: Record<string, unknown>): string => {
  const a = doc.assignee as { userId?: unknown } | undefined;
  return typeof a?.userId === 'string' ? a.userId : '';
};

const assigneeField = deviceField(ASSIGNEE_FIELD, assigneeIdOf);
export const withAssigneeId = assigneeField.with;
/** Tickets from and to CouchDB: the local field added on the way in, removed on the way out. */
export const ticketCouch = assigneeField.couch;
/** Every local insert and edit of a ticket carries the field as its assignee says. */
export const keepAssigneeId = assigneeField.keep;
