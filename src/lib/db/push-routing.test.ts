import { describe, expect, it } from 'vitest';
import {
  classifyBulkResult,
  mastersFromAllDocs,
  outdatedRows,
  planWrites,
  routeForPush,
  type PushRow
} from './push-routing';

const ticket = (id: string, orgId: string, extra: Record<string, unknown> = {}) => ({
  id,
  orgId,
  title: 'Printer',
  status: 'new',
  _deleted: false,
  ...extra
});
const row = (doc: ReturnType<typeof ticket>, assumed?: ReturnType<typeof ticket>): PushRow => ({
  newDocumentState: doc,
  assumedMasterState: assumed
});

describe('routing a push to databases', () => {
  const access = [
    { db: 'org_gym-kt_tickets', write: true },
    { db: 'org_sos-do_tickets', write: false },
    { db: 'region_orgs', write: false }
  ];

  it('sends each document to the database of its own organization only', () => {
    const { byDb, refused } = routeForPush(
      'tickets',
      [row(ticket('t1', 'gym-kt')), row(ticket('t2', 'gym-kt'))],
      access
    );
    expect([...byDb.keys()]).toEqual(['org_gym-kt_tickets']);
    expect(byDb.get('org_gym-kt_tickets')!.map((r) => r.newDocumentState.id)).toEqual(['t1', 't2']);
    expect(refused).toEqual([]);
  });

  it.each([
    ['sos-do', 'read-only'],
    ['zhpk', 'no-access'],
    ['NOT VALID', 'no-org']
  ])('sets aside a document of org %s as %s without sending it', (org, code) => {
    const { byDb, refused } = routeForPush('tickets', [row(ticket('t1', org))], access);
    expect(byDb.size).toBe(0);
    expect(refused).toMatchObject([{ id: 't1', code }]);
  });

  it('sends region documents to the region database of their kind', () => {
    const { refused } = routeForPush(
      'region',
      [row({ id: 'ku', _deleted: false, regionKind: 'orgs' } as never)],
      access
    );
    expect(refused).toMatchObject([{ code: 'read-only' }]);
  });
});

describe('planning writes against the server state', () => {
  const masters = mastersFromAllDocs([
    {
      key: 't1',
      id: 't1',
      value: { rev: '1-a' },
      doc: { _id: 't1', _rev: '1-a', orgId: 'o1', title: 'Printer', status: 'new', receivedAt: '2025-01-01T00:00:00Z' }
    },
    {
      key: 't2',
      id: 't2',
      value: { rev: '2-b' },
      doc: { _id: 't2', _rev: '2-b', orgId: 'o1', title: 'Changed', status: 'new' }
    },
    { key: 't3', error: 'not_found' },
    { key: 't4', id: 't4', value: { rev: '3-c', deleted: true }, doc: null }
  ]);

  it('updates with the current rev when the server still holds the base (server-stamped fields aside)', () => {
    const plan = planWrites(
      [row(ticket('t1', 'o1', { status: 'assigned' }), ticket('t1', 'o1'))],
      masters,
      (r) => r.assumedMasterState ?? null
    );
    expect(plan.write).toEqual([
      { _id: 't1', _rev: '1-a', orgId: 'o1', title: 'Printer', status: 'assigned', receivedAt: '2025-01-01T00:00:00Z' }
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('returns the server state as a conflict when it moved on', () => {
    const plan = planWrites(
      [row(ticket('t2', 'o1', { status: 'assigned' }), ticket('t2', 'o1'))],
      masters,
      (r) => r.assumedMasterState ?? null
    );
    expect(plan.write).toEqual([]);
    expect(plan.conflicts).toMatchObject([{ id: 't2', title: 'Changed', _deleted: false }]);
  });

  it('writes nothing for a version the server holds exactly (a merge that took the server version)', () => {
    // Signed by someone else: written again it would be refused as this user's edit.
    const held = ticket('t1', 'o1', { receivedAt: '2025-01-01T00:00:00Z' });
    const plan = planWrites([row(held, held)], masters, (r) => r.assumedMasterState ?? null);
    expect(plan).toEqual({ write: [], conflicts: [], noop: ['t1'] });
    // A copy without the server's stamp is still written, so the device receives the stamp.
    expect(
      planWrites([row(ticket('t1', 'o1'), held)], masters, (r) => r.assumedMasterState ?? null).write
    ).toHaveLength(1);
  });

  it('tells which rows RxDB read before the document changed on the device', () => {
    const old = ticket('t1', 'o1');
    const current = new Map([
      ['t1', { ...old, title: 'Newer from the server', _meta: { lwt: 2 }, _rev: '2-x' }],
      ['t2', { ...ticket('t2', 'o1'), _meta: { lwt: 1 }, _rev: '1-y' }]
    ]);
    const rows = [
      row(old, ticket('t1', 'o1', { title: 'Newer from the server' })),
      row(ticket('t2', 'o1')),
      row(ticket('t3', 'o1'))
    ];
    expect([...outdatedRows(rows, current, (d) => d.id)]).toEqual(['t1']);
  });

  it('creates a new document without a rev', () => {
    const plan = planWrites([row(ticket('t3', 'o1'))], masters, () => null);
    expect(plan.write).toEqual([{ _id: 't3', orgId: 'o1', title: 'Printer', status: 'new' }]);
  });

  it('sends a second creation under a content-made id as new, for the server to refuse, instead of merging', () => {
    const mine = ticket('t1', 'o1', { createdAt: '2025-02-01T00:00:00Z', createdBy: 'b' });
    const plan = planWrites([row(mine)], masters, () => null, 'org_o1_assets', undefined, true);
    expect(plan.write).toEqual([
      { _id: 't1', orgId: 'o1', title: 'Printer', status: 'new', createdAt: '2025-02-01T00:00:00Z', createdBy: 'b' }
    ]);
    expect(plan.conflicts).toEqual([]);
    // Without content-made ids the same row is a conflict, merged as before.
    expect(planWrites([row(mine)], masters, () => null).conflicts).toHaveLength(1);
  });

  it('reports a server deletion under a local edit as a conflict, and skips deleting what is gone', () => {
    const plan = planWrites(
      [row(ticket('t4', 'o1', { status: 'closed' }), ticket('t4', 'o1')), row(ticket('t3', 'o1', { _deleted: true }))],
      masters,
      (r) => r.assumedMasterState ?? null
    );
    expect(plan.conflicts).toEqual([{ id: 't4', _deleted: true }]);
    expect(plan.noop).toEqual(['t3']);
  });
});

describe('reading the _bulk_docs answer', () => {
  it('splits written, conflicting and refused documents', () => {
    const out = classifyBulkResult(
      ['a', 'b', 'c', 'd', 'e'],
      [
        { id: 'a', ok: true, rev: '1-x' },
        { id: 'b', error: 'conflict', reason: 'Document update conflict.' },
        { id: 'c', error: 'forbidden', reason: 'Only the requester may edit this ticket.' },
        { id: 'd', error: 'bad_request', reason: 'title too short' }
      ]
    );
    expect(out.written).toEqual(['a']);
    expect(out.conflicts).toEqual(['b']);
    expect(out.rejected).toEqual([
      { id: 'c', code: 'forbidden', reason: 'Only the requester may edit this ticket.' },
      { id: 'd', code: 'invalid', reason: 'title too short' },
      { id: 'e', code: 'error', reason: 'The server did not answer for this document.' }
    ]);
  });
});
