import { describe, expect, it } from 'vitest';
import { computeSla } from '../sla/clock';
import type { TicketComment } from '../schemas/comments';
import type { Ticket, TicketEvent } from '../schemas/tickets';
import {
  checkCommentAgainstTicket,
  checkCommentShape,
  commentFromEvent,
  commentIdFor,
  newComment,
  withComments,
  withoutCommentEvents
} from './comments';

const T0 = '2026-03-02T08:00:00.000Z';
const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();
const ev = (id: string, min: number, by: string, extra: Partial<TicketEvent>): TicketEvent =>
  ({ id, at: at(min), receivedAt: at(min), by, ...extra }) as TicketEvent;

const ticket: Ticket = {
  id: 'tk-1',
  orgId: 'gym-kt',
  title: 'Projektor',
  description: '',
  category: 'cat-hardware',
  priority: 'P2',
  requester: 'ucitel.gymkt',
  status: 'assigned',
  events: [
    ev('e1', 0, 'ucitel.gymkt', { kind: 'status', to: 'new' }),
    ev('e2', 1, 'system', { kind: 'assign', assignee: { queue: 'central' } })
  ],
  createdBy: 'ucitel.gymkt',
  createdAt: at(0),
  updatedBy: 'ucitel.gymkt',
  updatedAt: at(0),
  receivedAt: at(0)
};

const comment = (min: number, by: string, text = 'Díváme se na to.'): TicketComment => ({
  ...newComment(ticket, { kind: 'comment', text }, { id: by }, new Date(at(min))),
  receivedAt: at(min)
});

describe('comments as documents of their own', () => {
  it('join the lifecycle in receipt order; a legacy event and its moved document count once', () => {
    const legacy = ev('e3', 5, 'ucitel.gymkt', { kind: 'comment', text: 'Stále nesvítí.' });
    const withLegacy = { ...ticket, events: [...ticket.events, legacy] };
    const moved = commentFromEvent(ticket, legacy);
    const later = comment(10, 'helpdesk');
    const view = withComments(withLegacy, [later, moved]);
    expect(view.events.map((e) => e.id)).toEqual(['e1', 'e2', moved.id, later.id]);
    expect(view.events[3]).toMatchObject({ kind: 'comment', by: 'helpdesk', text: 'Díváme se na to.' });
    // Another ticket's comments are not this ticket's.
    expect(withComments(ticket, [{ ...later, ticketId: 'tk-2' }])).toBe(ticket);
  });

  it('a staff comment is the first response of the SLA, as it was as an event', () => {
    const policy = { responseMinutes: 60, resolutionMinutes: 600, calendar: '24x7' } as never;
    const noAnswer = computeSla(ticket, policy, at(120));
    expect(noAnswer.responseBreached).toBe(true);
    const answered = computeSla(withComments(ticket, [comment(30, 'helpdesk')]), policy, at(120));
    expect(answered.responseBreached).toBe(false);
    // The requester's own comment is no response.
    expect(computeSla(withComments(ticket, [comment(30, 'ucitel.gymkt')]), policy, at(120)).responseBreached).toBe(
      true
    );
  });

  it('moved events get one stable id, short enough for any ticket id', () => {
    expect(commentIdFor('tk-1', 'e3')).toBe('cmt-tk-1-e3');
    const long = commentIdFor('t'.repeat(90), 'e'.repeat(40));
    expect(long.length).toBeLessThanOrEqual(100);
    expect(commentIdFor('t'.repeat(90), 'e'.repeat(40))).toBe(long);
    const photo = commentFromEvent(
      ticket,
      ev('e4', 3, 'ucitel.gymkt', { kind: 'attachment', mediaId: 'm-1', fileName: 'a.jpg' })
    );
    expect(photo).toMatchObject({
      kind: 'attachment',
      mediaId: 'm-1',
      fileName: 'a.jpg',
      createdBy: 'ucitel.gymkt',
      receivedAt: at(3)
    });
    const stripped = withoutCommentEvents({
      ...ticket,
      events: [...ticket.events, ev('e4', 3, 'x', { kind: 'attachment', mediaId: 'm' })]
    });
    expect(stripped.events.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(withoutCommentEvents(ticket)).toBe(ticket);
  });
});

describe('comment write rules', () => {
  const base = comment(1, 'ucitel.gymkt');
  const doc = (extra: object = {}) => ({ ...base, ...extra }) as unknown as Record<string, unknown>;
  const user = (id: string) => ({ id, name: id, memberships: [] });

  it.each([
    ['a comment with text', null, doc(), null],
    ['an empty comment', null, doc({ text: '  ' }), /needs some text/],
    ['an attachment without its file', null, doc({ kind: 'attachment', text: undefined }), /name its file/],
    ['the same comment stamped by the server', doc(), doc({ receivedAt: at(9) }), null],
    ['a changed comment', doc(), doc({ text: 'jinak' }), /cannot be changed/]
  ] as const)('%s', (_name, before, after, expected) => {
    const r = checkCommentShape({ before, after });
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });

  const facts = {
    requester: 'ucitel.gymkt',
    createdBy: 'ucitel.gymkt',
    assignee: { queue: 'contractor' as const, userId: 'technik.kt' }
  };
  it.each([
    ['the requester on their ticket', 'ucitel.gymkt', ['requester'], facts, null],
    ['another requester of the organization', 'jiny.gymkt', ['requester'], facts, /may not add/],
    ['the assigned contractor', 'technik.kt', ['contractor'], facts, null],
    ['another contractor', 'technik.pm', ['contractor'], facts, /may not add/],
    ['a requester before the ticket arrived', 'ucitel.gymkt', ['requester'], null, null],
    ['a contractor before the ticket arrived', 'technik.kt', ['contractor'], null, /not known/]
  ] as const)('%s', (_name, by, roles, ticketFacts, expected) => {
    const r = checkCommentAgainstTicket({ user: user(by), roles, before: null, after: doc() }, ticketFacts);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});
