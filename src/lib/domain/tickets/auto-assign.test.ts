import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../access';
import { computeSla } from '../sla/clock';
import { addEvent, newTicket } from './build';
import { checkTicketChange } from './check';
import { autoAssign, routeTicket, SYSTEM_USER, type AssignRules } from './auto-assign';

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
