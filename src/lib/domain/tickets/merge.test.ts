import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../access';
import { addEvent, newTicket } from './build';
import { mergeTickets } from './merge';

const u = (id: string): SessionUser => ({ id, name: id, memberships: [] });

describe('mergeTickets', () => {
  it('unions offline events and derives status and assignee from them, reporting no false conflict', () => {
    const base = newTicket(
      { orgId: 'gym-kt', title: 'Projector', description: '', category: 'av', priority: 'P3' },
      u('ucitel.gymkt'),
      new Date('2026-01-12T07:00:00Z')
    );
    const agent = addEvent(
      base,
      { kind: 'assign', assignee: { queue: 'contractor', userId: 'technik.kt' } },
      u('helpdesk'),
      new Date('2026-01-12T07:10:00Z')
    );
    const requester = addEvent(
      base,
      { kind: 'comment', text: 'Room 12' },
      u('ucitel.gymkt'),
      new Date('2026-01-12T07:05:00Z')
    );
    const edited = { ...requester, title: 'Projector in room 12' };
    const { merged, conflicts } = mergeTickets(base, edited, agent);
    expect(merged.events.map((e) => e.kind)).toEqual(['comment', 'assign']);
    expect(merged).toMatchObject({
      status: 'assigned',
      assignee: { queue: 'contractor', userId: 'technik.kt' },
      title: 'Projector in room 12'
    });
    expect(conflicts).toEqual([]);
    expect(mergeTickets(base, agent, edited).merged).toEqual(merged);
  });
});
