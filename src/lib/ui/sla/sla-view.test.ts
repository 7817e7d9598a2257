import { describe, expect, it } from 'vitest';
import { newTicket, addEvent } from '../../domain/tickets/build';
import { newComment, withComments } from '../../domain/tickets/comments';
import { groupByTicket } from './comments-group';
import { slaOf, splitMinutes, urgency } from './sla-view';

const T = newTicket(
  { orgId: 'gym-kt', title: 'Nejde síť', description: '', category: 'cat-network', priority: 'P1' },
  { id: 'ucitel.gymkt', name: 'U', memberships: [] },
  new Date('2026-01-12T08:00:00Z')
);
const received = { ...T, receivedAt: '2026-01-12T08:00:00.000Z' };
const agent = { id: 'helpdesk', name: 'H', memberships: [] };

describe('sla view', () => {
  it('uses the default policy of the priority when the catalog has none (P1: 24x7, 4 h)', () => {
    const s = slaOf(received, [], new Date('2026-01-12T08:20:00Z'));
    expect(s.state).toBe('running');
    expect(Math.round(s.remainingMinutes)).toBe(220);
    // No response within the 30 minutes of P1 breaches the ticket even with resolution time left.
    expect(slaOf(received, [], new Date('2026-01-12T09:00:00Z')).state).toBe('breached');
  });

  it("counts a staff comment, a document of its own, as the first response when the list passes the ticket's comments", () => {
    const reply = {
      ...newComment(received, { kind: 'comment', text: 'Jdeme na to.' }, agent, new Date('2026-01-12T08:10:00Z')),
      receivedAt: '2026-01-12T08:10:00.000Z'
    };
    const at = new Date('2026-01-12T09:00:00Z');
    expect(slaOf(received, [], at).responseBreached).toBe(true);
    expect(slaOf(received, [], at, [reply]).responseBreached).toBe(false);
    expect(slaOf(received, [], at, [reply]).state).toBe('running');
  });

  it('pauses while the ticket waits for the requester', () => {
    let t = addEvent(received, { kind: 'status', to: 'in_progress' }, agent, new Date('2026-01-12T08:10:00Z'));
    t = addEvent(t, { kind: 'status', to: 'waiting', text: 'Který počítač?' }, agent, new Date('2026-01-12T08:20:00Z'));
    const a = slaOf(t, [], new Date('2026-01-12T09:00:00Z'));
    const b = slaOf(t, [], new Date('2026-01-12T11:00:00Z'));
    expect(a.state).toBe('paused');
    expect(b.remainingMinutes).toBe(a.remainingMinutes);
  });

  it("gives the detail panel and the list's badge the same figures from the same ticket and comments", () => {
    // The agent asks, the requester answers in a comment, the agent's comment follows: the
    // detail passes the plain ticket and its comment documents, as the list does per row.
    let t = addEvent(
      received,
      { kind: 'status', to: 'waiting', text: 'Který počítač?' },
      agent,
      new Date('2026-01-12T08:05:00Z')
    );
    t = addEvent(t, { kind: 'status', to: 'in_progress' }, agent, new Date('2026-01-12T09:05:00Z'));
    const teacher = { id: 'ucitel.gymkt', name: 'U', memberships: [] };
    const comments = [
      {
        ...newComment(t, { kind: 'comment', text: 'Ten u okna.' }, teacher, new Date('2026-01-12T09:00:00Z')),
        receivedAt: '2026-01-12T09:00:00.000Z'
      },
      {
        ...newComment(t, { kind: 'comment', text: 'Díky.' }, agent, new Date('2026-01-12T09:10:00Z')),
        receivedAt: '2026-01-12T09:10:00.000Z'
      }
    ];
    const at = new Date('2026-01-12T09:30:00Z');
    const detail = slaOf(t, [], at, comments);
    // The same as reading the ticket with its comments merged into its events.
    expect(detail).toEqual(slaOf(withComments(t, comments), [], at));
    // The hour waiting for the requester is not counted: 5 min before the question, 25 after.
    expect(Math.round(detail.elapsedResolution)).toBe(30);
    expect(detail.state).toBe('running');
    // Without the comments, a ticket still in `new` has no response after 30 minutes of P1.
    const silent = slaOf(received, [], new Date('2026-01-12T08:40:00Z'));
    const answered = slaOf(received, [], new Date('2026-01-12T08:40:00Z'), [
      {
        ...newComment(received, { kind: 'comment', text: 'Jdu tam.' }, agent, new Date('2026-01-12T08:15:00Z')),
        receivedAt: '2026-01-12T08:15:00.000Z'
      }
    ]);
    expect(silent.state).toBe('breached');
    expect(answered.state).toBe('running');
    expect(answered.respondedAt).toBe('2026-01-12T08:15:00.000Z');
  });

  it('splits minutes into hours and minutes', () => {
    expect(splitMinutes(135.7)).toEqual({ hours: 2, minutes: 15 });
    expect(splitMinutes(-61)).toEqual({ hours: 1, minutes: 1 });
  });

  it('puts breached tickets first and paused ones after running ones', () => {
    const running = slaOf(received, [], new Date('2026-01-12T08:20:00Z'));
    const breached = slaOf(received, [], new Date('2026-01-12T13:00:00Z'));
    expect(urgency(breached)).toBeLessThan(urgency(running));
  });
});

describe('comments of list rows', () => {
  it('groups comments by ticket so each row gets its own staff reply', () => {
    const other = { ...received, id: 'tk-other' };
    const reply = {
      ...newComment(received, { kind: 'comment', text: 'Jdeme na to.' }, agent, new Date('2026-01-12T08:10:00Z')),
      receivedAt: '2026-01-12T08:10:00.000Z'
    };
    const byTicket = groupByTicket([reply]);
    const at = new Date('2026-01-12T09:00:00Z');
    expect(slaOf(received, [], at, byTicket.get(received.id)).responseBreached).toBe(false);
    expect(slaOf(other, [], at, byTicket.get(other.id)).responseBreached).toBe(true);
  });
});
