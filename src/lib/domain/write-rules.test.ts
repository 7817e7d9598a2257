import { describe, expect, it } from 'vitest';
import type { Membership, Role, SessionUser } from './access';
import { parseDbName, type DbRef } from './databases';
import { checkAudit, checkWrite, type Doc, type WriteContext } from './write-rules';

const T = '2025-01-10T08:00:00.000Z';
const user = (id: string, ...memberships: Membership[]): SessionUser => ({ id, name: id, memberships });
const db = (name: string) => parseDbName(name) as DbRef;
const audit = (by: string, extra: Doc = {}): Doc => ({
  orgId: 'gym-kt',
  createdBy: by,
  createdAt: T,
  updatedBy: by,
  updatedAt: T,
  ...extra
});

function ctx(
  u: SessionUser,
  roles: Role[],
  dbName: string,
  before: Doc | null,
  after: Doc,
  deleted = false
): WriteContext {
  return { user: u, roles, db: db(dbName), before, after, deleted };
}

const ucitel = user('ucitel.gymkt', { role: 'requester', org: 'gym-kt' });
const reditel = user('reditel.gymkt', { role: 'manager', org: 'gym-kt' });
const technik = user('technik.kt', { role: 'contractor', districts: ['KT', 'DO'] });
const silnicar = user('silnicar.kt', { role: 'crew', org: 'sus' });
const izs = user('izs', { role: 'izs' });
const admin = user('admin', { role: 'admin', org: 'ku' });

const ticket = (by: string, extra: Doc = {}) =>
  audit(by, { id: 't1', title: 'Tiskárna', events: [], status: 'new', ...extra });
const edit = (doc: Doc, by: string, extra: Doc = {}) => ({ ...doc, updatedBy: by, ...extra });
const approval = (docKind: string, decisions: Doc[] = []) =>
  audit('reditel.gymkt', { id: 'a1', docKind, amount: 1000, state: 'pending', decisions });

describe('checkAudit', () => {
  it.each([
    [
      'orgId of another organization',
      ctx(ucitel, ['requester'], 'org_gym-kt_tickets', null, { ...ticket('ucitel.gymkt'), orgId: 'sos-do' }),
      /orgId must be gym-kt/
    ],
    [
      'createdBy of someone else on create',
      ctx(ucitel, ['requester'], 'org_gym-kt_tickets', null, ticket('reditel.gymkt')),
      /createdBy of a new document/
    ],
    [
      'changing createdAt',
      ctx(
        reditel,
        ['manager'],
        'org_gym-kt_tickets',
        ticket('ucitel.gymkt'),
        edit(ticket('ucitel.gymkt'), 'reditel.gymkt', { createdAt: '2020-01-01T00:00:00.000Z' })
      ),
      /createdAt may not change/
    ],
    [
      'changing createdBy',
      ctx(
        reditel,
        ['manager'],
        'org_gym-kt_tickets',
        ticket('ucitel.gymkt'),
        edit(ticket('ucitel.gymkt'), 'reditel.gymkt', { createdBy: 'reditel.gymkt' })
      ),
      /createdBy may not change/
    ],
    [
      'updatedBy of someone else',
      ctx(reditel, ['manager'], 'org_gym-kt_tickets', ticket('ucitel.gymkt'), ticket('ucitel.gymkt')),
      /updatedBy must be reditel.gymkt/
    ]
  ])('refuses %s', (_name, c, reason) => {
    expect(checkAudit(c)).toMatch(reason);
  });

  it('allows an edit that keeps the immutable fields and records the writer', () => {
    expect(
      checkAudit(
        ctx(
          reditel,
          ['manager'],
          'org_gym-kt_tickets',
          ticket('ucitel.gymkt'),
          edit(ticket('ucitel.gymkt'), 'reditel.gymkt')
        )
      )
    ).toBeNull();
  });
});

describe('checkWrite: the role rules, each allowed and refused', () => {
  const t = ticket('ucitel.gymkt');
  const report = (by: string, entry = 'report') =>
    audit(by, { id: 'r1', orgId: 'sus', entry, district: 'KT', reportType: 'snow', severity: 2, text: 'Sníh' });
  const receipt = (by: string, entry = 'receipt') => ({
    id: entry === 'receipt' ? 'receipt:h1' : 'h1',
    handoffId: 'h1',
    title: 'Uzavírka',
    createdBy: by,
    createdAt: T,
    updatedBy: by,
    updatedAt: T,
    entry
  });

  it.each([
    ['requester: own ticket', ucitel, ['requester'], 'org_gym-kt_tickets', null, t, null],
    [
      'requester: ticket of someone else',
      ucitel,
      ['requester'],
      'org_gym-kt_tickets',
      ticket('reditel.gymkt'),
      edit(ticket('reditel.gymkt'), 'ucitel.gymkt'),
      /only their own tickets/
    ],
    [
      'requester: ticket the helpdesk opened for them',
      ucitel,
      ['requester'],
      'org_gym-kt_tickets',
      ticket('helpdesk', { requester: 'ucitel.gymkt' }),
      edit(ticket('helpdesk', { requester: 'ucitel.gymkt' }), 'ucitel.gymkt'),
      null
    ],
    [
      'requester: approvals are not theirs',
      ucitel,
      ['requester'],
      'org_gym-kt_approvals',
      null,
      approval('order'),
      /requester may not write approvals/
    ],
    [
      'contractor: ticket assigned to them',
      technik,
      ['contractor'],
      'org_gym-kt_tickets',
      ticket('x', { assignee: { queue: 'contractor', userId: 'technik.kt' } }),
      edit(ticket('x', { assignee: { queue: 'contractor', userId: 'technik.kt' } }), 'technik.kt', {
        status: 'in_progress'
      }),
      null
    ],
    [
      'contractor: ticket in the contractor queue',
      technik,
      ['contractor'],
      'org_gym-kt_tickets',
      ticket('x', { assignee: { queue: 'contractor' } }),
      edit(ticket('x', { assignee: { queue: 'contractor', userId: 'technik.kt' } }), 'technik.kt'),
      null
    ],
    [
      'contractor: ticket of the central queue',
      technik,
      ['contractor'],
      'org_gym-kt_tickets',
      ticket('x', { assignee: { queue: 'central' } }),
      edit(ticket('x', { assignee: { queue: 'central' } }), 'technik.kt'),
      /assigned to them or waiting in the contractor queue/
    ],
    [
      'contractor: ticket assigned to another technician',
      technik,
      ['contractor'],
      'org_gym-kt_tickets',
      ticket('x', { assignee: { queue: 'contractor', userId: 'jiny' } }),
      edit(ticket('x', { assignee: { queue: 'contractor', userId: 'jiny' } }), 'technik.kt'),
      /assigned to them/
    ],
    [
      'contractor: creating a ticket',
      technik,
      ['contractor'],
      'org_gym-kt_tickets',
      null,
      ticket('technik.kt'),
      /existing tickets only/
    ],
    ['crew: own report', silnicar, ['crew'], 'org_sus_dispatch', null, report('silnicar.kt'), null],
    ['crew: a log entry', silnicar, ['crew'], 'org_sus_dispatch', null, report('silnicar.kt', 'log'), /not a log/],
    [
      'crew: a report of someone else',
      silnicar,
      ['crew'],
      'org_sus_dispatch',
      report('dispecer'),
      edit(report('dispecer'), 'silnicar.kt'),
      /cannot be changed/
    ],
    ['izs: a receipt', izs, ['izs'], 'region_izs', null, receipt('izs'), null],
    ['izs: a hand-off', izs, ['izs'], 'region_izs', null, receipt('izs', 'handoff'), /only a dispatcher hands/],
    [
      'media: uploader changes own file',
      ucitel,
      ['requester'],
      'org_gym-kt_media',
      audit('ucitel.gymkt', { id: 'm1' }),
      edit(audit('ucitel.gymkt', { id: 'm1' }), 'ucitel.gymkt', { fileName: 'b.png' }),
      null
    ],
    [
      'media: changing the file of someone else',
      ucitel,
      ['requester'],
      'org_gym-kt_media',
      audit('reditel.gymkt', { id: 'm1' }),
      edit(audit('reditel.gymkt', { id: 'm1' }), 'ucitel.gymkt'),
      /only who uploaded/
    ],
    [
      'manager: any ticket of the org',
      reditel,
      ['manager'],
      'org_gym-kt_tickets',
      t,
      edit(t, 'reditel.gymkt', { priority: 'P1' }),
      null
    ],
    ['no role in the organization', ucitel, [], 'org_sos-do_tickets', null, t, /no role/]
  ] as const)('%s', (_name, u, roles, dbName, before, after, expected) => {
    const r = checkWrite(ctx(u, [...roles], dbName, before as Doc | null, after as Doc));
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});

describe('checkWrite: tasks and approvals are judged by the portal check the server supplies', () => {
  const after = audit('reditel.gymkt', { id: 'a1', type: 'order' });
  it('without the check, refused', () => {
    expect(checkWrite(ctx(reditel, ['manager'], 'org_gym-kt_approvals', null, after))).toMatch(/only by the server/);
  });
  it('with it, the check decides', () => {
    const hooks = { checkPortalWrite: (c: { after: Doc }) => (c.after.id === 'a1' ? null : 'no') };
    expect(checkWrite(ctx(reditel, ['manager'], 'org_gym-kt_approvals', null, after), hooks)).toBeNull();
    expect(checkWrite(ctx(reditel, ['manager'], 'org_gym-kt_tasks', null, { ...after, id: 'b' }), hooks)).toBe('no');
  });
  it('the role table still comes first', () => {
    const hooks = { checkPortalWrite: () => null };
    expect(checkWrite(ctx(ucitel, ['requester'], 'org_gym-kt_approvals', null, after), hooks)).toMatch(
      /may not write approvals/
    );
  });
});

describe('checkWrite: history is append-only and deletion is an admin act', () => {
  // Lifecycle events: comments are documents of their own (`tickets/comments.ts`).
  const ev = (id: string, by: string, text = 'x') => ({ id, at: T, by, kind: 'status', to: 'in_progress', text });
  const comment = (id: string, by: string) => ({ id, at: T, by, kind: 'comment', text: 'x' });
  const t = ticket('ucitel.gymkt', { events: [ev('e1', 'ucitel.gymkt')] });
  const legacy = ticket('ucitel.gymkt', { events: [comment('c1', 'ucitel.gymkt')] });

  it('a new comment or attachment event is refused in a ticket; a stored one may stay', () => {
    const add = (e: object) =>
      checkWrite(
        ctx(
          reditel,
          ['manager'],
          'org_gym-kt_tickets',
          legacy,
          edit(legacy, 'reditel.gymkt', { events: [comment('c1', 'ucitel.gymkt'), e] }) as Doc
        )
      );
    expect(add(comment('c2', 'reditel.gymkt'))).toMatch(/no longer part of the ticket/);
    expect(add({ id: 'a2', at: T, by: 'reditel.gymkt', kind: 'attachment', mediaId: 'm1' })).toMatch(
      /no longer part of the ticket/
    );
    expect(add(ev('e2', 'reditel.gymkt'))).toBeNull();
  });

  it.each([
    [
      'appending own event',
      edit(t, 'reditel.gymkt', { events: [ev('e1', 'ucitel.gymkt'), ev('e2', 'reditel.gymkt')] }),
      null
    ],
    [
      'editing an existing event',
      edit(t, 'reditel.gymkt', { events: [ev('e1', 'ucitel.gymkt', 'changed')] }),
      /may not be changed/
    ],
    ['removing an event', edit(t, 'reditel.gymkt', { events: [] }), /may not be removed/],
    [
      'an offline comment sorted in before a stored one',
      edit(t, 'reditel.gymkt', { events: [ev('e0', 'reditel.gymkt'), ev('e1', 'ucitel.gymkt')] }),
      null
    ],
    [
      'appending an event by someone else',
      edit(t, 'reditel.gymkt', { events: [ev('e1', 'ucitel.gymkt'), ev('e2', 'helpdesk')] }),
      /must be recorded by reditel.gymkt/
    ]
  ] as const)('ticket events: %s', (_name, after, expected) => {
    const r = checkWrite(ctx(reditel, ['manager'], 'org_gym-kt_tickets', t, after as Doc));
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });

  it('admins may delete', () => {
    expect(checkWrite(ctx(admin, ['admin'], 'org_gym-kt_tickets', t, t, true))).toBeNull();
  });
  it('others may not delete a stored document', () => {
    expect(checkWrite(ctx(reditel, ['manager'], 'org_gym-kt_tickets', t, t, true))).toMatch(/only an administrator/);
  });
  it('a creator may delete what the server never stored (created and removed offline)', () => {
    expect(checkWrite(ctx(ucitel, ['requester'], 'org_gym-kt_tickets', null, ticket('ucitel.gymkt'), true))).toBeNull();
  });

  it('calls the ticket lifecycle when one is supplied', () => {
    const c = ctx(
      reditel,
      ['manager'],
      'org_gym-kt_tickets',
      ticket('x'),
      edit(ticket('x'), 'reditel.gymkt', { status: 'closed' })
    );
    expect(checkWrite(c, { checkTicketChange: () => 'new → closed is not a transition' })).toBe(
      'new → closed is not a transition'
    );
    expect(checkWrite(c, { checkTicketChange: () => null })).toBeNull();
  });
});

describe('history records are never deleted, not even by an administrator', () => {
  const tombstone = { id: 'x' };
  it.each([
    [
      'an approval decision',
      'org_gym-kt_approvals',
      { type: 'decision', parentId: 'a1' },
      /decision record is history/
    ],
    ['a task step', 'org_gym-kt_tasks', { type: 'task-step', taskId: 't1' }, /task-step record is history/],
    ['a stocktake scan', 'org_gym-kt_assets', { type: 'stocktake_scan' }, /stocktake_scan record is history/],
    ['a stocktake decision', 'org_gym-kt_assets', { type: 'stocktake_decision' }, /stocktake_decision record/],
    ['a closed stocktake', 'org_gym-kt_assets', { type: 'stocktake', state: 'closed' }, /closed stocktake is never/]
  ])('%s', (_n, dbName, stored, reason) => {
    expect(checkWrite(ctx(admin, ['admin'], dbName, audit('reditel.gymkt', stored), tombstone, true))).toMatch(reason);
  });

  it('while an open stocktake, a task or an approval document itself may still be deleted by an administrator', () => {
    for (const [dbName, stored] of [
      ['org_gym-kt_assets', { type: 'stocktake', state: 'open' }],
      ['org_gym-kt_tasks', { type: 'task' }],
      ['org_gym-kt_approvals', { type: 'invoice' }]
    ] as const)
      expect(checkWrite(ctx(admin, ['admin'], dbName, audit('reditel.gymkt', stored), tombstone, true))).toBeNull();
  });
});
