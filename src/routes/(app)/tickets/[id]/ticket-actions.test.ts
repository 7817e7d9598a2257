import { describe, expect, it } from 'vitest';
import { addEvent, newTicket } from '../../../../lib/domain/tickets/build';
import { actionEvents, assignable, assignCandidates, ticketActions } from './ticket-actions';

const teacher = { id: 'ucitel.gymkt', name: 'U', memberships: [] };
const agent = { id: 'helpdesk', name: 'H', memberships: [] };
let minute = 0;
const next = () => new Date(Date.UTC(2026, 0, 12, 8, ++minute));
const fresh = () =>
  newTicket(
    { orgId: 'gym-kt', title: 'Tiskárna', description: '', category: 'cat-printer', priority: 'P3' },
    teacher,
    next()
  );
const assigned = () =>
  addEvent(fresh(), { kind: 'assign', assignee: { queue: 'contractor', userId: 'technik.kt' } }, agent, next());

describe('ticket actions', () => {
  it('offers the assigned contractor start, then ask and resolve', () => {
    const t = assigned();
    expect(ticketActions(t, ['contractor'], 'technik.kt').map((a) => a.kind)).toEqual(['start']);
    const started = addEvent(t, { kind: 'status', to: 'in_progress' }, { ...agent, id: 'technik.kt' }, next());
    expect(ticketActions(started, ['contractor'], 'technik.kt')).toEqual([
      { kind: 'ask', to: 'waiting', text: 'question' },
      { kind: 'resolve', to: 'resolved', text: 'summary' }
    ]);
  });

  it('offers another contractor nothing', () => {
    expect(ticketActions(assigned(), ['contractor'], 'technik2.kt')).toEqual([]);
  });

  it('lets the requester answer a question, confirm or reopen a resolution, and cancel a new ticket', () => {
    expect(ticketActions(fresh(), ['requester'], teacher.id)).toEqual([
      { kind: 'cancel', to: 'closed', text: 'reason' }
    ]);
    let t = addEvent(assigned(), { kind: 'status', to: 'in_progress' }, agent, next());
    t = addEvent(t, { kind: 'status', to: 'waiting', text: '?' }, agent, next());
    expect(ticketActions(t, ['requester'], teacher.id).map((a) => a.kind)).toEqual(['answer']);
    t = addEvent(t, { kind: 'status', to: 'resolved', text: 'ok' }, agent, next());
    expect(ticketActions(t, ['requester'], teacher.id).map((a) => a.kind)).toEqual(['confirm', 'reopen']);
  });

  it('assigns: the agent anywhere, the contractor only takes or hands back', () => {
    const candidates = assignCandidates('KT', [{ userId: 'technik.kt', districts: ['KT', 'DO'] }], ['helpdesk']);
    expect(candidates).toHaveLength(4);
    expect(assignable(fresh(), ['agent'], 'helpdesk', candidates)).toHaveLength(4);
    expect(assignable(assigned(), ['contractor'], 'technik.kt', candidates)).toEqual([{ queue: 'central' }]);
    expect(assignCandidates('PM', [{ userId: 'technik.kt', districts: ['KT'] }], [])).toEqual([{ queue: 'central' }]);
  });
});

describe('the events of an action', () => {
  it("takes a contractor's ticket over for the desk agent who starts it, then starts it", () => {
    const t = assigned();
    const [start] = ticketActions(t, ['agent'], 'helpdesk').filter((a) => a.kind === 'start');
    const events = actionEvents(start, t, ['agent'], 'helpdesk', '');
    expect(events).toEqual([
      { kind: 'assign', assignee: { queue: 'central', userId: 'helpdesk' } },
      { kind: 'status', to: 'in_progress' }
    ]);
    const after = events.reduce((n, e) => addEvent(n, e, agent, next()), t);
    expect(after).toMatchObject({ status: 'in_progress', assignee: { queue: 'central', userId: 'helpdesk' } });
  });

  it('only starts a ticket already assigned to the person, and keeps an answer or a summary as its text', () => {
    const t = assigned();
    const [start] = ticketActions(t, ['contractor'], 'technik.kt');
    expect(actionEvents(start, t, ['contractor'], 'technik.kt', '')).toEqual([{ kind: 'status', to: 'in_progress' }]);
    const resolve = { kind: 'resolve', to: 'resolved', text: 'summary' } as const;
    expect(actionEvents(resolve, t, ['contractor'], 'technik.kt', 'vyměněn toner')).toEqual([
      { kind: 'status', to: 'resolved', text: 'vyměněn toner' }
    ]);
  });

  it("takes a ticket waiting in the contractors' queue for the desk agent who starts it", () => {
    const t = addEvent(fresh(), { kind: 'assign', assignee: { queue: 'contractor' } }, agent, next());
    expect(ticketActions(t, ['contractor'], 'technik.kt')).toEqual([]);
    const [start] = ticketActions(t, ['agent'], 'helpdesk');
    expect(start.kind).toBe('start');
    expect(actionEvents(start, t, ['agent'], 'helpdesk', '')[0]).toEqual({
      kind: 'assign',
      assignee: { queue: 'central', userId: 'helpdesk' }
    });
  });
});
