import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../access';
import { computeSla } from '../sla/clock';
import { addEvent, newTicket } from './build';
import { checkTicketChange } from './check';
import type { Role } from '../access';
import type { Assignee, Ticket } from '../schemas/tickets';
import { autoAssign, requeueReopened, routeTicket, SYSTEM_USER, type AssignRules } from './auto-assign';

const user = (id: string): SessionUser => ({ id, name: id, memberships: [] });
const TEACHER = user('ucitel.gymkt');
const TECH = user('technik.kt');
const RULES: AssignRules = {
  onSiteCategories: ['cat-hardware', 'cat-printer', 'cat-network'],
  contractors: [{ userId: 'technik.kt', districts: ['KT', 'DO'] }]
};
const AT = '2026-01-12T08:00:00.000Z';
const ticket = (category: string) =>
  newTicket(
    { orgId: 'gym-kt', title: 'Nejde tiskárna', description: '', category, priority: 'P3' },
    TEACHER,
    new Date('2026-01-12T07:30:00Z')
  );

describe('routeTicket', () => {
  it.each([
    ['cat-printer', 'KT', { queue: 'contractor', userId: 'technik.kt' }],
    ['cat-network', 'DO', { queue: 'contractor', userId: 'technik.kt' }],
    ['cat-software', 'KT', { queue: 'central' }],
    ['cat-hardware', 'PM', { queue: 'central' }],
    ['cat-hardware', undefined, { queue: 'central' }]
  ])('%s in district %s goes to %j', (category, district, expected) => {
    expect(routeTicket(category, district, RULES)).toEqual(expected);
  });
});

describe('autoAssign', () => {
  it('appends one assign event by the system user and derives status and assignee', () => {
    const t = autoAssign(ticket('cat-printer'), 'KT', RULES, AT, () => new Uint8Array(8))!;
    expect(t.status).toBe('assigned');
    expect(t.assignee).toEqual({ queue: 'contractor', userId: 'technik.kt' });
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({ by: SYSTEM_USER, kind: 'assign', at: AT });
    expect(t.updatedBy).toBe(TEACHER.id);
  });

  it('leaves a ticket alone that was assigned or moved on before the server saw it', () => {
    const handled = addEvent(
      ticket('cat-printer'),
      { kind: 'status', to: 'closed', text: 'omyl' },
      TEACHER,
      new Date(AT)
    );
    expect(autoAssign(handled, 'KT', RULES, AT)).toBeNull();
    const once = autoAssign(ticket('cat-printer'), 'KT', RULES, AT)!;
    expect(autoAssign(once, 'KT', RULES, AT)).toBeNull();
  });

  it('lets the assigned contractor start work on the routed ticket, and the history stays checkable', () => {
    const routed = autoAssign(ticket('cat-hardware'), 'KT', RULES, AT)!;
    const started = addEvent(routed, { kind: 'status', to: 'in_progress' }, TECH, new Date('2026-01-12T09:00:00Z'));
    expect(checkTicketChange(TECH, ['contractor'], routed, started)).toBeNull();
  });

  it('still lets the requester correct the ticket after routing, until IT acts on it', () => {
    const routed = autoAssign(ticket('cat-printer'), 'KT', RULES, AT)!;
    const fixed = { ...routed, description: 'Učebna 12', updatedAt: '2026-01-12T08:05:00.000Z' };
    expect(checkTicketChange(TEACHER, ['requester'], routed, fixed)).toBeNull();
    const started = addEvent(routed, { kind: 'status', to: 'in_progress' }, TECH, new Date('2026-01-12T09:00:00Z'));
    expect(checkTicketChange(TEACHER, ['requester'], started, { ...started, description: 'x' })).toMatch(/no longer/);
  });

  it('is not a response for the SLA', () => {
    const routed = autoAssign(ticket('cat-hardware'), 'KT', RULES, AT)!;
    const sla = computeSla(
      { ...routed, receivedAt: AT },
      { responseMinutes: 60, resolutionMinutes: 480, calendar: '24x7' },
      '2026-01-12T08:30:00Z'
    );
    expect(sla.respondedAt).toBeUndefined();
  });
});

describe('requeueReopened', () => {
  const DESK = user('helpdesk');
  const at = (min: number) => new Date(Date.parse(AT) + min * 60_000);
  /** A ticket of `category` assigned to `to`, worked and resolved, and the requester's reopen of it. */
  function reopened(category: string, to: Assignee): { before: Ticket; after: Ticket } {
    let t = addEvent(ticket(category), { kind: 'assign', assignee: to }, DESK, at(1));
    t = addEvent(t, { kind: 'status', to: 'in_progress' }, DESK, at(2));
    const before = addEvent(t, { kind: 'status', to: 'resolved', text: 'hotovo' }, DESK, at(3));
    return { before, after: addEvent(before, { kind: 'status', to: 'in_progress', text: 'zase' }, TEACHER, at(4)) };
  }
  const roles = (map: Record<string, readonly Role[] | null>) => (id: string) => map[id];
  const NOW = at(5).toISOString();

  it.each([
    [
      'an account that is gone',
      'cat-software',
      { queue: 'central', userId: 'byvala' },
      { byvala: null },
      { queue: 'central' }
    ],
    [
      'a person no longer on the helpdesk',
      'cat-software',
      { queue: 'central', userId: 'byvala' },
      { byvala: ['requester'] },
      { queue: 'central' }
    ],
    [
      "a former contractor: the district's contractor now",
      'cat-printer',
      { queue: 'contractor', userId: 'byvaly' },
      { byvaly: null },
      { queue: 'contractor', userId: 'technik.kt' }
    ],
    [
      'the contractor the rule still names: the central queue',
      'cat-printer',
      { queue: 'contractor', userId: 'technik.kt' },
      { 'technik.kt': null },
      { queue: 'central' }
    ]
  ] as const)('%s', (_, category, to, held, expected) => {
    const { before, after } = reopened(category, to as Assignee);
    const t = requeueReopened(before, after, 'KT', RULES, roles(held), NOW, () => new Uint8Array(8))!;
    expect(t.assignee).toEqual(expected);
    expect(t.status).toBe('in_progress');
    expect(t.events.at(-1)).toMatchObject({ by: SYSTEM_USER, kind: 'assign', at: NOW, assignee: expected });
    expect(t.events).toHaveLength(after.events.length + 1);
    expect(t.updatedBy).toBe(TEACHER.id);
  });

  it("comes after a reopen whose device clock runs ahead of the server's", () => {
    const { before, after } = reopened('cat-software', { queue: 'central', userId: 'byvala' });
    const early = at(3.5).toISOString(); // the server's time: half a minute before the device's reopen
    const t = requeueReopened(before, after, 'KT', RULES, roles({ byvala: null }), early)!;
    const reopen = after.events.at(-1)!;
    expect(t.events.at(-2)).toEqual(reopen);
    expect(t.events.at(-1)).toMatchObject({
      by: SYSTEM_USER,
      kind: 'assign',
      at: new Date(Date.parse(reopen.at) + 1).toISOString()
    });
  });

  it('without rules, the central queue', () => {
    const { before, after } = reopened('cat-printer', { queue: 'contractor', userId: 'byvaly' });
    expect(requeueReopened(before, after, 'KT', undefined, roles({ byvaly: null }), NOW)!.assignee).toEqual({
      queue: 'central'
    });
  });

  it('leaves alone a person who can still work it, one not looked up, nobody named, and what is not a reopen', () => {
    const kept = reopened('cat-software', { queue: 'central', userId: 'helpdesk' });
    expect(requeueReopened(kept.before, kept.after, 'KT', RULES, roles({ helpdesk: ['agent'] }), NOW)).toBeNull();
    expect(requeueReopened(kept.before, kept.after, 'KT', RULES, roles({}), NOW)).toBeNull();
    const queue = reopened('cat-software', { queue: 'central' });
    expect(requeueReopened(queue.before, queue.after, 'KT', RULES, roles({}), NOW)).toBeNull();
    const resolved = kept.before;
    const worked = addEvent(
      ticket('cat-software'),
      { kind: 'assign', assignee: { queue: 'central', userId: 'byvala' } },
      DESK,
      at(1)
    );
    const commented = addEvent(worked, { kind: 'status', to: 'in_progress' }, DESK, at(2));
    expect(requeueReopened(worked, commented, 'KT', RULES, roles({ byvala: null }), NOW)).toBeNull();
    const closed = addEvent(resolved, { kind: 'status', to: 'closed' }, TEACHER, at(4));
    expect(requeueReopened(resolved, closed, 'KT', RULES, roles({ helpdesk: null }), NOW)).toBeNull();
  });
});
