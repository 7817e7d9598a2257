import { describe, expect, it } from 'vitest';
import type { Role, SessionUser } from '../access';
import type { Assignee, Ticket, TicketEvent, TicketStatus } from '../schemas/tickets';
import { addEvent, answerWaiting, newTicket, withEvents } from './build';
import { checkTicketChange } from './check';
import { deriveAssignee, deriveStatus } from './events';
import { allowedTransitions, mayBeAssigned, orgsToReportIn, TRANSITIONS } from './lifecycle';

const user = (id: string): SessionUser => ({ id, name: id, memberships: [] });
const REQUESTER = user('ucitel.gymkt');
const OTHER = user('ucitel2.gymkt');
const MANAGER = user('reditel.gymkt');
const AGENT = user('helpdesk');
const TECH = user('technik.kt');
const TECH2 = user('technik2.kt');
const ADMIN = user('admin');
const NOW = new Date('2026-01-12T07:00:00Z');
let clock = NOW.getTime();
const tick = () => new Date((clock += 60_000));

/** A ticket of REQUESTER brought to `status` by the helpdesk, assigned to TECH. */
function ticketAt(status: TicketStatus): Ticket {
  const path: Record<TicketStatus, TicketStatus[]> = {
    new: [],
    assigned: [],
    in_progress: ['in_progress'],
    waiting: ['in_progress', 'waiting'],
    resolved: ['in_progress', 'resolved'],
    closed: ['in_progress', 'resolved', 'closed']
  };
  let t = newTicket(
    { orgId: 'gym-kt', title: 'Printer broken', description: '', category: 'printer', priority: 'P3' },
    REQUESTER,
    NOW
  );
  if (status === 'new') return t;
  t = addEvent(t, { kind: 'assign', assignee: { queue: 'contractor', userId: TECH.id } }, AGENT, tick());
  for (const to of path[status]) t = addEvent(t, { kind: 'status', to, text: 'done' }, AGENT, tick());
  return t;
}

type Actor = [name: string, who: SessionUser, roles: Role[]];
const ACTORS: Actor[] = [
  ['requester (own)', REQUESTER, ['requester']],
  ['requester (not own)', OTHER, ['requester']],
  ['manager', MANAGER, ['manager']],
  ['contractor (assigned)', TECH, ['contractor']],
  ['contractor (not assigned)', TECH2, ['contractor']],
  ['agent', AGENT, ['agent']],
  ['admin', ADMIN, ['admin']]
];

const EVERY = Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`));
const OWNER_SIDE = [
  'new>closed',
  'waiting>in_progress',
  'resolved>closed',
  'resolved>in_progress',
  'closed>in_progress'
];
/** The role table of lifecycle.ts, written out. */
const ALLOWED: Record<string, string[]> = {
  'requester (own)': OWNER_SIDE,
  'requester (not own)': [],
  manager: OWNER_SIDE,
  'contractor (assigned)': [
    'assigned>in_progress',
    'in_progress>waiting',
    'waiting>in_progress',
    'in_progress>resolved'
  ],
  'contractor (not assigned)': [],
  agent: EVERY,
  admin: EVERY
};

const cases = ACTORS.flatMap(([name, who, roles]) =>
  EVERY.map((edge) => [name, edge, ALLOWED[name].includes(edge), who, roles] as const)
);

describe('status transitions per role', () => {
  it.each(cases)('%s: %s → allowed %s', (_name, edge, allowed, who, roles) => {
    const [from, to] = edge.split('>') as [TicketStatus, TicketStatus];
    const before = ticketAt(from);
    expect(before.status).toBe(from);
    const after = addEvent(before, { kind: 'status', to, text: 'because' }, who, tick());
    const reason = checkTicketChange(who, roles, before, after);
    if (allowed) expect(reason).toBeNull();
    else expect(reason).toMatch(/may not/);
    expect(allowedTransitions(from, roles, before, who.id).includes(to)).toBe(allowed);
  });
});

describe('checkTicketChange', () => {
  const expectRefused = (reason: string | null, pattern: RegExp) => expect(reason).toMatch(pattern);

  it.each([
    ['resolving without a summary', 'in_progress', 'resolved', /summary/],
    ['reopening without a reason', 'resolved', 'in_progress', /reason/],
    ['cancelling without a reason', 'new', 'closed', /reason/]
  ] as const)('refuses %s', (_n, from, to, pattern) => {
    const before = ticketAt(from);
    const after = addEvent(before, { kind: 'status', to, text: '  ' }, AGENT, tick());
    expectRefused(checkTicketChange(AGENT, ['agent'], before, after), pattern);
  });

  it('accepts a new ticket from its requester and refuses one made for someone else', () => {
    const t = newTicket(
      { orgId: 'gym-kt', title: 'No network', description: 'x', category: 'network', priority: 'P2' },
      REQUESTER,
      NOW
    );
    expect(checkTicketChange(REQUESTER, ['requester'], undefined, t)).toBeNull();
    const forOther = { ...t, requester: OTHER.id };
    expectRefused(checkTicketChange(REQUESTER, ['requester'], undefined, forOther), /may not create/);
    expect(checkTicketChange(AGENT, ['agent'], undefined, { ...forOther, createdBy: AGENT.id })).toBeNull();
    expect(checkTicketChange(TECH, ['contractor'], undefined, { ...t, createdBy: TECH.id })).toMatch(/may not create/);
  });

  it('refuses unknown catalog values when a catalog is given', () => {
    const t = newTicket(
      { orgId: 'gym-kt', title: 'No network', description: 'x', category: 'bogus', priority: 'P2' },
      REQUESTER,
      NOW
    );
    const catalog = { categories: ['network'], priorities: ['P1', 'P2', 'P3', 'P4'] };
    expectRefused(checkTicketChange(REQUESTER, ['requester'], undefined, t, catalog), /Unknown category/);
    expect(checkTicketChange(REQUESTER, ['requester'], undefined, { ...t, category: 'network' }, catalog)).toBeNull();
  });

  it('keeps history append-only', () => {
    const before = addEvent(ticketAt('in_progress'), { kind: 'comment', text: 'hello' }, REQUESTER, tick());
    const removed = { ...before, events: before.events.slice(1) };
    expectRefused(
      checkTicketChange(AGENT, ['agent'], before, withEvents(removed, removed.events, AGENT.id, removed.updatedAt)),
      /removed/
    );
    const edited = before.events.map((e) => (e.kind === 'comment' ? { ...e, text: 'changed' } : e));
    expectRefused(checkTicketChange(AGENT, ['agent'], before, { ...before, events: edited }), /changed/);
    const dup = [...before.events, { ...before.events[0], at: tick().toISOString() }];
    expectRefused(checkTicketChange(AGENT, ['agent'], before, { ...before, events: dup }), /twice/);
  });

  it('refuses events recorded in someone else’s name', () => {
    const before = ticketAt('in_progress');
    const forged = addEvent(before, { kind: 'comment', text: 'hi' }, AGENT, tick());
    expectRefused(checkTicketChange(REQUESTER, ['requester'], before, forged), /recorded by you/);
  });

  it('refuses a status or assignee that does not follow from the events', () => {
    const before = ticketAt('in_progress');
    expectRefused(
      checkTicketChange(AGENT, ['agent'], before, { ...before, status: 'resolved' }),
      /status must be in_progress/
    );
    expectRefused(
      checkTicketChange(AGENT, ['agent'], before, { ...before, assignee: { queue: 'central' } }),
      /assignee/
    );
  });

  it('lets only IT staff write internal notes', () => {
    const before = ticketAt('in_progress');
    for (const [who, roles, ok] of [
      [REQUESTER, ['requester'], false],
      [MANAGER, ['manager'], false],
      [TECH, ['contractor'], true],
      [AGENT, ['agent'], true]
    ] as const) {
      const after = addEvent(before, { kind: 'note', text: 'internal' }, who, tick());
      expect(checkTicketChange(who, roles, before, after) === null, who.id).toBe(ok);
    }
  });

  it('lets a contractor hand a ticket back or take an unclaimed one, nothing else', () => {
    const mine = ticketAt('in_progress');
    const back = addEvent(mine, { kind: 'assign', assignee: { queue: 'central' } }, TECH, tick());
    expect(checkTicketChange(TECH, ['contractor'], mine, back)).toBeNull();
    const toOther = addEvent(
      mine,
      { kind: 'assign', assignee: { queue: 'contractor', userId: TECH2.id } },
      TECH,
      tick()
    );
    expectRefused(checkTicketChange(TECH, ['contractor'], mine, toOther), /may not assign/);
    const queue = addEvent(ticketAt('new'), { kind: 'assign', assignee: { queue: 'contractor' } }, AGENT, tick());
    const take = addEvent(
      queue,
      { kind: 'assign', assignee: { queue: 'contractor', userId: TECH2.id } },
      TECH2,
      tick()
    );
    expect(checkTicketChange(TECH2, ['contractor'], queue, take)).toBeNull();
  });

  it('names a ticket only to someone who can work it, when the server knows their roles', () => {
    const fresh = ticketAt('new');
    const roles: Record<string, Role[]> = { helpdesk: ['agent'], admin: ['admin'], 'technik.kt': ['contractor'] };
    const named = (to: Assignee) =>
      checkTicketChange(
        AGENT,
        ['agent'],
        fresh,
        addEvent(fresh, { kind: 'assign', assignee: to }, AGENT, tick()),
        undefined,
        (id) => roles[id] ?? (id === 'reditel.gymkt' ? ['manager'] : null)
      );
    expect(named({ queue: 'central', userId: 'helpdesk' })).toBeNull();
    expect(named({ queue: 'central', userId: 'admin' })).toBeNull();
    expect(named({ queue: 'contractor', userId: 'technik.kt' })).toBeNull();
    expect(named({ queue: 'contractor' })).toBeNull();
    expectRefused(named({ queue: 'central', userId: 'reditel.gymkt' }), /not on the helpdesk/);
    expectRefused(named({ queue: 'central', userId: 'technik.kt' }), /not on the helpdesk/);
    expectRefused(named({ queue: 'contractor', userId: 'helpdesk' }), /not a contractor/);
    expectRefused(named({ queue: 'central', userId: 'gone' }), /no active account gone/);
    // A history brought in resolved (people since gone) holds no work: its assignee is not judged.
    let done = addEvent(fresh, { kind: 'assign', assignee: { queue: 'central', userId: 'gone' } }, AGENT, tick());
    done = addEvent(done, { kind: 'status', to: 'in_progress' }, AGENT, tick());
    done = addEvent(done, { kind: 'status', to: 'resolved', text: 'done' }, AGENT, tick());
    expect(checkTicketChange(AGENT, ['agent'], fresh, done, undefined, () => null)).toBeNull();
    // …until the helpdesk reopens it: then the assignee it brings back must be able to work it.
    const rolesOf = (id: string) => roles[id] ?? null;
    const reopened = addEvent(done, { kind: 'status', to: 'in_progress', text: 'again' }, AGENT, tick());
    expectRefused(checkTicketChange(AGENT, ['agent'], done, reopened, undefined, rolesOf), /no active account gone/);
    // The requester's reopen is theirs to make; the helpdesk takes it from there.
    const byRequester = addEvent(done, { kind: 'status', to: 'in_progress', text: 'still broken' }, REQUESTER, tick());
    expect(checkTicketChange(REQUESTER, ['requester'], done, byRequester, undefined, rolesOf)).toBeNull();
    // The device's own check knows nobody's roles and leaves the assignee to the server.
    const toDirector = addEvent(
      fresh,
      { kind: 'assign', assignee: { queue: 'central', userId: 'reditel.gymkt' } },
      AGENT,
      tick()
    );
    expect(checkTicketChange(AGENT, ['agent'], fresh, toDirector)).toBeNull();
    expect(mayBeAssigned({ queue: 'central' }, [])).toBe(true);
  });

  it('lets the requester edit the text only while the ticket is new', () => {
    const fresh = ticketAt('new');
    expect(checkTicketChange(REQUESTER, ['requester'], fresh, { ...fresh, title: 'Printer on fire' })).toBeNull();
    const taken = ticketAt('in_progress');
    expectRefused(checkTicketChange(REQUESTER, ['requester'], taken, { ...taken, priority: 'P1' }), /no longer/);
    expect(checkTicketChange(AGENT, ['agent'], taken, { ...taken, priority: 'P1' })).toBeNull();
    expectRefused(checkTicketChange(TECH, ['contractor'], taken, { ...taken, title: 'x' }), /may not change/);
  });

  it('judges an offline event at its place in time', () => {
    // The agent resolved at +2 h; the requester's answer made offline at +1 h (while waiting) arrives later.
    let t = ticketAt('waiting');
    const waiting = t;
    const hour = (n: number) => new Date(clock + n * 3_600_000);
    t = addEvent(t, { kind: 'status', to: 'resolved', text: 'fixed' }, AGENT, hour(2));
    const answer = answerWaiting(waiting, 'it works again', REQUESTER, hour(1));
    const fresh = answer.events.filter((e) => !t.events.some((x) => x.id === e.id));
    const merged = withEvents(t, [...t.events, ...fresh], REQUESTER.id, hour(3).toISOString());
    expect(merged.status).toBe('resolved');
    expect(checkTicketChange(REQUESTER, ['requester'], t, merged)).toBeNull();
  });
});

describe('derived state', () => {
  const e = (id: string, at: string, kind: TicketEvent['kind'], extra: Partial<TicketEvent> = {}): TicketEvent => ({
    id,
    at,
    by: 'helpdesk',
    kind,
    ...extra
  });
  const central: Assignee = { queue: 'central' };

  it('moves new to assigned on assignment, and takes the last status by (at, id)', () => {
    expect(deriveStatus([])).toBe('new');
    expect(deriveStatus([e('a', '2026-01-01T10:00:00Z', 'assign', { assignee: central })])).toBe('assigned');
    const evs = [
      e('b', '2026-01-01T11:00:00Z', 'status', { to: 'waiting' }),
      e('a', '2026-01-01T11:00:00Z', 'status', { to: 'in_progress' })
    ];
    expect(deriveStatus(evs)).toBe('waiting');
    expect(deriveAssignee([e('x', '2026-01-01T09:00:00Z', 'assign', { assignee: central })])).toEqual(central);
  });
});

describe('where a person may report a problem', () => {
  const orgs = [
    { id: 'gym-kt', district: 'KT' },
    { id: 'sos-do', district: 'DO' }
  ];
  const user = (memberships: SessionUser['memberships']): SessionUser => ({ id: 'u', name: 'U', memberships });
  const writable = ['gym-kt', 'sos-do'];
  // The person's databases: those tickets written, another organization's only read.
  const databases = [
    ...writable.map((o) => ({ db: `org_${o}_tickets`, write: true })),
    { db: 'org_sus_tickets', write: false }
  ];

  it("in a requester's or a manager's own organization, and everywhere for the desk", () => {
    expect(orgsToReportIn(user([{ role: 'requester', org: 'gym-kt' }]), databases, orgs)).toEqual(['gym-kt']);
    expect(orgsToReportIn(user([{ role: 'manager', org: 'sos-do' }]), databases, orgs)).toEqual(['sos-do']);
    expect(orgsToReportIn(user([{ role: 'agent', org: 'ku' }]), databases, orgs)).toEqual(writable);
    expect(orgsToReportIn(user([{ role: 'admin' }]), databases, orgs)).toEqual(writable);
  });

  it("nowhere for a contractor, whose district's tickets it writes, also before the organizations are read", () => {
    const contractor = user([{ role: 'contractor', districts: ['KT', 'DO'] }]);
    expect(orgsToReportIn(contractor, databases, orgs)).toEqual([]);
    expect(orgsToReportIn(contractor, databases, [])).toEqual([]);
    expect(orgsToReportIn(user([{ role: 'requester', org: 'gym-kt' }]), databases, [])).toEqual(['gym-kt']);
  });
});
