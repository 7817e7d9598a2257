import { describe, expect, it } from 'vitest';
import { addEvent, newTicket } from '../../domain/tickets/build';
import { loadSeen, markTicketSeen, unseenChanges } from './ticket-changes';

const me = { id: 'ucitel.gymkt', name: 'U', memberships: [] };
const tech = { id: 'technik.kt', name: 'T', memberships: [] };
const at = (min: number) => new Date(Date.UTC(2026, 0, 12, 8, min));

function memory() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('ticket changes for notifications', () => {
  const base = newTicket(
    { orgId: 'gym-kt', title: 'Tiskárna', description: '', category: 'cat-printer', priority: 'P3' },
    me,
    at(0)
  );
  const old = addEvent(base, { kind: 'comment', text: 'stará' }, tech, at(1));
  const seen = { since: at(5).toISOString(), tickets: {} };

  it('reports events by others after the baseline, not my own and not old ones', () => {
    let t = addEvent(old, { kind: 'status', to: 'in_progress' }, tech, at(10));
    t = addEvent(t, { kind: 'comment', text: 'díky' }, me, at(11));
    const changes = unseenChanges([t], me.id, seen, false);
    expect(changes.map((c) => c.event.kind)).toEqual(['status']);
  });

  it('hides internal notes from requesters', () => {
    const t = addEvent(old, { kind: 'note', text: 'interní' }, tech, at(10));
    expect(unseenChanges([t], me.id, seen, false)).toEqual([]);
    expect(unseenChanges([t], tech.id, seen, true)).toEqual([]); // not the technician's ticket
  });

  it('forgets what was seen once the ticket is opened', () => {
    const t = addEvent(old, { kind: 'status', to: 'in_progress' }, tech, at(10));
    expect(unseenChanges([t], me.id, markTicketSeen(seen, t), false)).toEqual([]);
  });

  it('starts from now on first use and reads back what it stored', () => {
    const s = memory();
    const first = loadSeen(s, me.id, at(20).toISOString());
    expect(first.since).toBe(at(20).toISOString());
    expect(loadSeen(s, me.id, at(30).toISOString()).since).toBe(at(20).toISOString());
  });
});
