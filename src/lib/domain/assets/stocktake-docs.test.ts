import { describe, expect, it } from 'vitest';
import type { Role } from '../access';
import type { Doc, WriteContext } from '../write-rules';
import {
  checkStocktakeParent,
  closeStocktake,
  decisionRole,
  newDecision,
  newScan,
  newStocktake,
  scanRole,
  stocktakeRole,
  validateDecision,
  validateScan,
  validateStocktake
} from './stocktake-docs';

const NOW = new Date('2026-11-30T09:00:00.000Z');
const st = newStocktake({ orgId: 'gym-kt', userId: 'reditel.gymkt', name: 'Inventura', site: 'Tělocvična', now: NOW });
const scan = newScan({
  orgId: 'gym-kt',
  userId: 'helpdesk',
  stocktakeId: st.id,
  code: ' GYMKT-PC-0001 ',
  method: 'camera',
  now: NOW
});
const closed = closeStocktake(st, 'reditel.gymkt', undefined, new Date('2026-11-30T11:00:00.000Z'));
const asDoc = (d: object) => d as unknown as Doc;

const ctx = (userId: string, before: object | null, after: object): WriteContext => ({
  user: { id: userId, name: userId, memberships: [] },
  roles: [],
  db: { kind: 'org', orgId: 'gym-kt', collection: 'assets', name: 'org_gym-kt_assets' },
  before: before as Doc | null,
  after: after as Doc
});

describe('new records are valid', () => {
  it('stocktake, scan and decision as the constructors make them', () => {
    expect(validateStocktake(asDoc(st))).toBeNull();
    expect(validateStocktake(asDoc(closed))).toBeNull();
    expect(validateScan(asDoc(scan))).toBeNull();
    expect(scan.data.code).toBe('GYMKT-PC-0001');
    const d = newDecision({
      orgId: 'gym-kt',
      userId: 'reditel.gymkt',
      stocktakeId: st.id,
      proposal: 'missing-a',
      kind: 'missing',
      decision: 'confirmed',
      inventoryNo: 'A'
    });
    expect(validateDecision(asDoc(d))).toBeNull();
  });
});

describe('validators refuse with a reason', () => {
  it.each([
    ['no committee', { ...st, data: { ...st.data, committee: [] } }, 'committee has 1 to 20'],
    ['starter outside the committee', { ...st, data: { ...st.data, committee: ['jiny'] } }, 'member of its committee'],
    ['closed without time', { ...st, state: 'closed' }, 'says when and by whom'],
    [
      'ends before it starts',
      { ...closed, data: { ...closed.data, closedAt: '2026-01-01T00:00:00.000Z' } },
      'end before'
    ],
    ['unknown state', { ...st, state: 'paused' }, 'open or closed'],
    ['bad summary', { ...closed, data: { ...closed.data, summary: { found: -1 } } }, 'not a count'],
    ['extra data', { ...st, data: { ...st.data, x: 1 } }, 'data.x'],
    ['snapshot while open', { ...st, data: { ...st.data, register: [] } }, 'kept when the stocktake is closed'],
    [
      'snapshot of nonsense',
      { ...closed, data: { ...closed.data, register: [{ id: 'a' }] } },
      'id, inventory number and name'
    ]
  ])('stocktake: %s', (_, doc, reason) => {
    expect(validateStocktake(asDoc(doc))).toContain(reason);
  });

  it.each([
    ['empty code', { ...scan, data: { ...scan.data, code: '  ' } }, 'needs the code'],
    ['too long a code', { ...scan, data: { ...scan.data, code: 'x'.repeat(201) } }, 'at most 200'],
    ['unknown method', { ...scan, data: { ...scan.data, method: 'nfc' } }, 'camera or typed'],
    ['id outside its stocktake', { ...scan, id: 'scan:1' }, 'id starts with'],
    ['no stocktake', { ...scan, refId: 'asset:x' }, 'belongs to a stocktake']
  ])('scan: %s', (_, doc, reason) => {
    expect(validateScan(asDoc(doc))).toContain(reason);
  });

  it('accepts any text as a code: a code that is no inventory number is a surplus, not an error', () => {
    for (const code of ['https://example.com/?a=1', 'ŽLUŤOUČKÝ KŮŇ', '4006381333931', '☺'])
      expect(validateScan(asDoc({ ...scan, data: { ...scan.data, code } }))).toBeNull();
  });

  it('decision: one per proposal, named by its id', () => {
    const d = newDecision({
      orgId: 'gym-kt',
      userId: 'reditel.gymkt',
      stocktakeId: st.id,
      proposal: 'missing-a',
      kind: 'missing',
      decision: 'confirmed',
      inventoryNo: 'A'
    });
    expect(validateDecision(asDoc({ ...d, id: `${st.id}:dec:other` }))).toContain('one decision per proposal');
    expect(validateDecision(asDoc({ ...d, data: { ...d.data, decision: 'maybe' } }))).toContain('confirms or rejects');
  });
});

describe('who may write', () => {
  it.each<[Role, string | null]>([
    ['agent', null],
    ['manager', null],
    ['admin', null],
    ['requester', 'committee'],
    ['contractor', 'committee']
  ])('%s starting and scanning', (role, reason) => {
    const r1 = stocktakeRole(role, ctx('reditel.gymkt', null, st));
    const r2 = scanRole(role);
    if (reason === null) expect([r1, r2]).toEqual([null, null]);
    else expect([r1, r2].every((r) => r?.includes(reason))).toBe(true);
  });

  it('a committee member closes, someone outside may not, and closing is signed by the closer', () => {
    expect(stocktakeRole('manager', ctx('reditel.gymkt', st, closed))).toBeNull();
    expect(stocktakeRole('agent', ctx('helpdesk', st, closeStocktake(st, 'helpdesk', undefined)))).toContain(
      'member of the inventory committee'
    );
    expect(stocktakeRole('admin', ctx('admin', st, closeStocktake(st, 'admin', undefined)))).toBeNull();
    expect(
      stocktakeRole('manager', ctx('reditel.gymkt', st, { ...closed, data: { ...closed.data, closedBy: 'jiny' } }))
    ).toContain('closed by reditel.gymkt');
  });

  it('a closed stocktake never changes; the site, start and committee members stay', () => {
    expect(stocktakeRole('manager', ctx('reditel.gymkt', closed, st))).toContain('never changes');
    expect(stocktakeRole('manager', ctx('reditel.gymkt', st, { ...st, site: 'Jinde' }))).toContain('never change');
    expect(
      stocktakeRole(
        'manager',
        ctx('reditel.gymkt', { ...st, data: { ...st.data, committee: ['reditel.gymkt', 'helpdesk'] } }, st)
      )
    ).toContain('never removed');
    // Started and closed offline, it arrives closed, signed by who closed it.
    expect(stocktakeRole('manager', ctx('reditel.gymkt', null, closed))).toBeNull();
    expect(stocktakeRole('agent', ctx('helpdesk', null, closed))).toContain('closed by helpdesk');
  });

  it.each<[Role, boolean]>([
    ['manager', true],
    ['admin', true],
    ['agent', false],
    ['requester', false]
  ])('%s confirming differences: %s', (role, ok) => {
    expect(decisionRole(role) === null).toBe(ok);
  });
});

describe('against the stored stocktake', () => {
  const dec = asDoc(
    newDecision({
      orgId: 'gym-kt',
      userId: 'reditel.gymkt',
      stocktakeId: st.id,
      proposal: 'k',
      kind: 'surplus',
      decision: 'rejected',
      inventoryNo: 'X'
    })
  );
  it.each([
    ['scan into an open stocktake', asDoc(scan), asDoc(st), null],
    ['scan before its stocktake arrived', asDoc(scan), null, null],
    ['scan into a closed stocktake', asDoc(scan), asDoc(closed), 'takes no more scans'],
    ['scan under something else', asDoc(scan), { type: 'asset' }, 'is not a stocktake'],
    ['decision on a closed stocktake', dec, asDoc(closed), null],
    ['decision on an open stocktake', dec, asDoc(st), 'after the stocktake is closed'],
    ['decision on no stocktake', dec, null, 'does not exist']
  ])('%s', (_, after, stored, reason) => {
    const r = checkStocktakeParent(after, stored as Doc | null, true);
    if (reason === null) expect(r).toBeNull();
    else expect(r).toContain(reason);
  });

  it('judges only new records (edits are refused as append-only elsewhere)', () => {
    expect(checkStocktakeParent(asDoc(scan), asDoc(closed), false)).toBeNull();
  });
});
