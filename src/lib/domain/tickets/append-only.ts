/**
 * What comments and internal notes have in common: documents that once were events inside a
 * ticket and now stand on their own, written once and never changed. Shared here: finding and
 * stripping the legacy events of a kind, the stable id a legacy event's document gets (so a
 * move can run twice, on the server and on devices, and meet itself), the refusal of new such
 * events in a ticket, and the "unchanged once written" comparison. Pure.
 */
import { deepEqual } from '../merge';
import type { Doc } from '../write-rules';

export type EventTest = (e: unknown) => boolean;

/** An event test by kind. */
export const ofKinds =
  (kinds: readonly string[]): EventTest =>
  (e) =>
    !!e && typeof e === 'object' && kinds.includes((e as { kind?: unknown }).kind as string);

export function hasEvents(doc: object, test: EventTest): boolean {
  const events = (doc as { events?: unknown }).events;
  return Array.isArray(events) && events.some(test);
}

/** The document without the events the test picks; the very same object when it has none. */
export function withoutEvents<T extends object>(doc: T, test: EventTest): T {
  if (!hasEvents(doc, test)) return doc;
  return { ...doc, events: (doc as { events: unknown[] }).events.filter((e) => !test(e)) };
}

/** A stable id for a document derived from a ticket's event, so a move can run twice. */
export function derivedId(prefix: string, ticketId: string, eventId: string): string {
  const id = `${prefix}-${ticketId}-${eventId}`;
  if (id.length <= 100) return id;
  // FNV-1a over the pair: ids stay short and deterministic, collisions are negligible here.
  let h = 0x811c9dc5;
  for (const ch of `${ticketId}\u0000${eventId}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${prefix}-${ticketId.slice(0, 60)}-${h.toString(36)}`;
}

/** The first event the test picks that `after` has and `before` had not (a write adding one). */
export function addedEvent(before: Doc | null, after: Doc, test: EventTest): Doc | undefined {
  const old = new Set(
    (Array.isArray(before?.events) ? (before.events as Doc[]) : []).map((e) =>
      e && typeof e === 'object' ? e.id : undefined
    )
  );
  return (Array.isArray(after.events) ? (after.events as Doc[]) : []).find((e) => test(e) && !old.has(e.id));
}

/** Fields that may differ between a stored document and the same document sent again. */
const STAMPED = new Set(['receivedAt']);

/** Whether a write changes a stored document (beyond the server's receipt stamp). */
export function changesWritten(before: Doc, after: Doc): boolean {
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)]))
    if (!STAMPED.has(k) && !deepEqual(before[k], after[k])) return true;
  return false;
}
