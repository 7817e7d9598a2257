/**
 * Internal notes: the IT staff's working notes on a ticket, kept apart from the ticket.
 *
 * A ticket is read by everyone on the requester's side (requester, manager, budget,
 * accountant), so nothing they may not read can sit inside it: hiding in the UI is not access
 * control. Each note is its own append-only document in `org_<org>_notes`, a database only the
 * roles that handle tickets as staff replicate (agent, contractor for its districts, admin;
 * see `ORG_RIGHTS`). The ticket keeps no trace of its notes.
 *
 * Notes used to be ticket events of kind `note`. Such events are now refused in the tickets
 * database (`checkNoNoteEvents`), moved out by the server's migration, and stripped from any
 * local copy a device still holds (`withoutNoteEvents`), so an old copy can neither show nor
 * push one back.
 */
import type { Role } from '../access';
import type { TicketNote } from '../schemas/notes';
import type { TicketEvent } from '../schemas/tickets';
import type { Doc, WriteContext } from '../write-rules';
import { addedEvent, changesWritten, derivedId, hasEvents, ofKinds, withoutEvents } from './append-only';
import { newEventId, type RandomBytes } from './ids';

/** The roles that read and write internal notes (the database grant says where). */
export const NOTE_ROLES: readonly Role[] = ['agent', 'contractor', 'admin'];

const isNoteEvent = ofKinds(['note']);

export const hasNoteEvents = (doc: object): boolean => hasEvents(doc, isNoteEvent);

/** The document without `note` events; the very same object when it has none. */
export const withoutNoteEvents = <T extends object>(doc: T): T => withoutEvents(doc, isNoteEvent);

/** A new internal note on a ticket, written by `user`. */
export function newNote(
  ticket: { id: string; orgId: string },
  text: string,
  user: { id: string },
  now: Date,
  bytes?: RandomBytes
): TicketNote {
  const at = now.toISOString();
  return {
    id: `note-${newEventId(now, bytes).slice(3)}`,
    orgId: ticket.orgId,
    ticketId: ticket.id,
    text: text.trim(),
    createdBy: user.id,
    createdAt: at,
    updatedBy: user.id,
    updatedAt: at
  };
}

/** A stable id for the note that a legacy `note` event becomes, so the migration can run twice. */
export const legacyNoteId = (ticketId: string, eventId: string) => derivedId('note', ticketId, eventId);

/** The note document a legacy `note` event of a ticket becomes; authorship and time are kept. */
export function noteFromEvent(
  ticket: { id: string; orgId: string },
  event: TicketEvent & { receivedAt?: string },
  receivedAt: string
): TicketNote {
  return {
    id: legacyNoteId(ticket.id, event.id),
    orgId: ticket.orgId,
    ticketId: ticket.id,
    text: event.text?.trim() || '—',
    createdBy: event.by,
    createdAt: event.at,
    updatedBy: event.by,
    updatedAt: event.at,
    receivedAt: event.receivedAt ?? receivedAt
  };
}

/** Tickets database: no new `note` event may enter a ticket, whoever writes it. */
export function checkNoNoteEvents(before: Doc | null, after: Doc): string | null {
  const added = addedEvent(before, after, isNoteEvent);
  return added
    ? `Internal notes are no longer part of the ticket (event ${String(added.id)}): write them as notes, which only IT staff can read.`
    : null;
}

/** Notes database: a note is written once by its author and never changed. */
export function checkNoteWrite(role: Role, ctx: WriteContext): string | null {
  if (!NOTE_ROLES.includes(role)) return `${role} may not write internal notes`;
  const { before, after } = ctx;
  if (before)
    return changesWritten(before, after)
      ? 'An internal note cannot be changed once written; add another note instead.'
      : null;
  if (typeof after.text !== 'string' || !after.text.trim()) return 'A note needs some text.';
  return null;
}
