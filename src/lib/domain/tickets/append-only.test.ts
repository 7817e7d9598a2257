import { describe, expect, it } from 'vitest';
import { addedEvent, changesWritten, derivedId, hasEvents, ofKinds, withoutEvents } from './append-only';

const isNote = ofKinds(['note']);
const ticket = {
  id: 't1',
  events: [
    { id: 'e1', kind: 'status' },
    { id: 'e2', kind: 'note' }
  ]
};

describe('append-only documents from ticket events', () => {
  it('finds and strips the events of a kind, keeping the object when there are none', () => {
    expect(hasEvents(ticket, isNote)).toBe(true);
    expect(withoutEvents(ticket, isNote).events.map((e) => e.id)).toEqual(['e1']);
    const plain = { events: [{ id: 'e1', kind: 'status' }] };
    expect(withoutEvents(plain, isNote)).toBe(plain);
    expect(hasEvents({}, isNote)).toBe(false);
  });

  it('derives the same id twice, and a short one from long ids', () => {
    expect(derivedId('note', 't1', 'e2')).toBe('note-t1-e2');
    const long = derivedId('cmt', 'x'.repeat(80), 'y'.repeat(40));
    expect(long.length).toBeLessThanOrEqual(100);
    expect(derivedId('cmt', 'x'.repeat(80), 'y'.repeat(40))).toBe(long);
    expect(derivedId('cmt', 'x'.repeat(80), 'z'.repeat(40))).not.toBe(long);
  });

  it('names an event a write adds, not one already stored', () => {
    expect(addedEvent(ticket, ticket, isNote)).toBeUndefined();
    expect(addedEvent(null, ticket, isNote)?.id).toBe('e2');
    const more = { ...ticket, events: [...ticket.events, { id: 'e3', kind: 'note' }] };
    expect(addedEvent(ticket, more, isNote)?.id).toBe('e3');
  });

  it('counts any change but the receipt stamp as a change', () => {
    const stored = { text: 'a', receivedAt: '2026-01-01T00:00:00Z' };
    expect(changesWritten(stored, { ...stored, receivedAt: '2026-01-02T00:00:00Z' })).toBe(false);
    expect(changesWritten(stored, { ...stored, text: 'b' })).toBe(true);
    expect(changesWritten(stored, { text: 'a' })).toBe(false);
    expect(changesWritten(stored, { ...stored, extra: 1 })).toBe(true);
  });
});
