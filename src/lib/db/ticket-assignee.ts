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
import type { RxCollection } from 'rxdb';
import { fromCouch, toCouch, type CouchDoc, type DocState } from './couch-doc';

export const ASSIGNEE_FIELD = 'assigneeId';

/** The field's definition in the device's ticket schema (a user name, or ''). */
export const ASSIGNEE_FIELD_SCHEMA = { type: 'string', maxLength: 60 } as const;

export const assigneeIdOf = (doc: Record<string, unknown>): string => {
  const a = doc.assignee as { userId?: unknown } | undefined;
  return typeof a?.userId === 'string' ? a.userId : '';
};

export function withAssigneeId<T extends Record<string, unknown>>(doc: T): T & { assigneeId: string } {
  return { ...doc, [ASSIGNEE_FIELD]: assigneeIdOf(doc) } as T & { assigneeId: string };
}

/** Tickets from and to CouchDB: the local field added on the way in, removed on the way out. */
export const ticketCouch = {
  fromCouch: (doc: CouchDoc): DocState => withAssigneeId(fromCouch(doc)),
  toCouch(state: DocState, rev: string | undefined): CouchDoc {
    const { [ASSIGNEE_FIELD]: _local, ...rest } = state;
    return toCouch(rest as DocState, rev);
  }
};

/** Every local insert and edit of a ticket carries the field as its assignee says. */
export function keepAssigneeId(tickets: RxCollection): void {
  const set = (data: Record<string, unknown>) => {
    data[ASSIGNEE_FIELD] = assigneeIdOf(data);
  };
  tickets.preInsert((data) => set(data as Record<string, unknown>), false);
  tickets.preSave((data) => set(data as Record<string, unknown>), false);
}
