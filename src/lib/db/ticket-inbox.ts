/**
 * The inbox through indexes that hold only what an inbox lists.
 *
 * The inbox lists a person's open tickets assigned to them by name, and their tickets waiting
 * for their answer (`domain/portal/inbox.ts`). The device keeps each of those two facts in the
 * ticket's `inbox` object, set only while it holds: `inbox.assignee` (the named assignee, while
 * the ticket is new, assigned or in progress) and `inbox.requester` (the requester, while the
 * ticket waits for them). An index over a field a record lacks gets no entry for that record,
 * so the two inbox indexes hold the open tickets of a named person and the waiting ones, not
 * every ticket: a device's tickets are mostly resolved and closed history, and every index
 * entry is written on every sync (10,000 entries cost a first sync about 175 ms of its store's
 * write, while an index whose field no record has costs nothing measurable:
 * `bench/diagnose-store-indexes.ts`). The fields are nested because RxDB's Dexie storage refused
 * an index over an optional top-level field (DXE1) while these were RxDB's indexes: its guard
 * against exactly such a partial index answering a query it cannot answer whole.
 *
 * The fields are the device's alone: the shared schema (what the gateway validates) does not
 * have them. The codec sets them on every document pulled from the server and removes them from
 * every document pushed, the collection's hooks set them on every local write, and the
 * conflict handler derives them again with the status and assignee (`derived-fields.ts`).
 *
 * No other query may be read from the two indexes (they could not answer it whole), so they
 * are not RxDB's: the device's store declares them (`deviceIndexesOf` in `collections.ts`,
 * `lean-store.ts`), the inbox reads them straight (`index-reader.ts`), and RxDB's planner, which
 * knows only its schema's indexes, cannot choose one (`ticket-indexes.test.ts` plans the app's
 * queries and generic ones to check it).
 */
import { OPEN_TICKET } from '../domain/portal/inbox';
import type { RxCollection } from 'rxdb';
import { deviceField } from './device-field';

/** One inbox fact: the person at `person` (a path in the ticket), while the status is one of `statuses`. */
export interface InboxFieldRule {
  key: string;
  person: readonly string[];
  statuses: readonly string[];
}

/** The ticket's object of inbox facts (the device's alone). */
export const INBOX_OBJECT = 'inbox';

export const INBOX_FIELDS: readonly InboxFieldRule[] = [
  { key: 'assignee', person: ['assignee', 'userId'], statuses: OPEN_TICKET },
  { key: 'requester', person: ['requester'], statuses: ['waiting'] }
];

/** The indexed paths, as queries and indexes name them. */
const pathOf = <K extends string>(key: K) => `${INBOX_OBJECT}.${key}` as const;
export const INBOX_ASSIGNEE = pathOf('assignee');
export const INBOX_REQUESTER = pathOf('requester');
export const INBOX_PATHS: readonly string[] = INBOX_FIELDS.map((rule) => pathOf(rule.key));

/** The object's definition in the device's ticket schema (absent when the ticket is in no inbox). */
export const INBOX_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(INBOX_FIELDS.map((rule) => [rule.key, { type: 'string', maxLength: 60 }]))
} as const;

/** The person a rule names for a ticket, or undefined when the ticket is in nobody's inbox that way. */
export function inboxPerson(rule: InboxFieldRule, doc: Record<string, unknown>): string | undefined {
  if (!rule.statuses.includes(doc.status as string)) return undefined;
  let at: unknown = doc;
  for (const key of rule.person) at = (at as Record<string, unknown> | undefined)?.[key];
  return typeof at === 'string' && at ? at : undefined;
}

/** The ticket's inbox object, or undefined when no rule holds. */
export function inboxOf(doc: Record<string, unknown>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const rule of INBOX_FIELDS) {
    const person = inboxPerson(rule, doc);
    if (person) out[rule.key] = person;
  }
  return Object.keys(out).length ? out : undefined;
}

// `assigneeId`: the device's field of schema versions 3 and 4, which the object replaced.
const field = deviceField(INBOX_OBJECT, inboxOf, ['assigneeId']);

/** The ticket with its inbox object as it says (set, or left out), without the retired `assigneeId`. */
export const withInboxFields = <T extends Record<string, unknown>>(doc: T): T => field.with(doc) as T;

/** Tickets from and to CouchDB: the object set on the way in, removed on the way out (with `assigneeId`). */
export const ticketCouch = field.couch;

/** Every local insert and edit of a ticket carries the object as it says. */
export const keepInboxFields = (collection: RxCollection): void => field.keep(collection);
