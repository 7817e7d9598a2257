import { describe, expect, it } from 'vitest';
import type { Membership, Role, SessionUser } from '../access';
import { parseDbName, type DbRef } from '../databases';
import { checkWrite, type Doc, type WriteContext } from '../write-rules';
import { receiptIdFor, type WinterHooks } from './rules';

const T = '2026-01-14T08:00:00.000Z';
const user = (id: string, ...ms: Membership[]): SessionUser => ({ id, name: id, memberships: ms });
const dispecer = user('dispecer', { role: 'dispatcher', org: 'sus' });
const silnicar = user('silnicar.kt', { role: 'crew', org: 'sus' });
const izs = user('izs', { role: 'izs' });
const admin = user('admin', { role: 'admin' });
const rolesOf = (u: SessionUser) => u.memberships.map((m) => m.role) as Role[];

const audit = (by: string, extra: Doc): Doc => ({ createdBy: by, createdAt: T, updatedBy: by, updatedAt: T, ...extra });
const entry = (by: string, extra: Doc = {}): Doc =>
  audit(by, {
    id: 'd1',
    orgId: 'sus',
    entry: 'report',
    district: 'KT',
    reportType: 'black_ice',
    severity: 2,
    lat: 49.34,
    lon: 13.24,
    ...extra
  });
const hooks: WinterHooks = {
  winterSections: () => new Map([['sec-kt-1', { district: 'KT', order: 'II' }]])
};

function check(u: SessionUser, dbName: string, before: Doc | null, after: Doc, deleted = false): string | null {
  const ctx: WriteContext = { user: u, roles: rolesOf(u), db: parseDbName(dbName) as DbRef, before, after, deleted };
  return checkWrite(ctx, hooks);
}

const D = 'org_sus_dispatch';
const stored = { ...entry('silnicar.kt'), receivedAt: T };

describe('deník rules', () => {
  it.each<[string, SessionUser, Doc | null, Doc, boolean, RegExp | null]>([
    ['crew reports under its own name', silnicar, null, entry('silnicar.kt'), false, null],
    [
      'crew reports a treatment of a section',
      silnicar,
      null,
      entry('silnicar.kt', {
        entry: 'treatment',
        reportType: undefined,
        severity: undefined,
        sectionId: 'sec-kt-1',
        startedAt: T,
        method: 'gritting'
      }),
      false,
      null
    ],
    ['crew writes as someone else', silnicar, null, entry('dispecer'), false, /under your own name/],
    ['crew edits its own past entry', silnicar, stored, { ...stored, text: 'jinak' }, false, /cannot be changed/],
    ['re-sending the stored entry unchanged is no edit', silnicar, stored, { ...stored }, false, null],
    ['crew deletes its past entry', silnicar, stored, stored, true, /never deleted/],
    [
      'admin edits a past entry',
      admin,
      stored,
      { ...stored, severity: 1, updatedBy: 'admin' },
      false,
      /cannot be changed/
    ],
    ['admin deletes a past entry', admin, stored, stored, true, /never deleted/],
    ['an entry created and removed offline leaves a tombstone', silnicar, null, entry('silnicar.kt'), true, null],
    [
      'crew assigns crews',
      silnicar,
      null,
      entry('silnicar.kt', {
        entry: 'assignment',
        sectionId: 'sec-kt-1',
        crew: 'x.y',
        reportType: undefined,
        severity: undefined,
        lat: undefined,
        lon: undefined
      }),
      false,
      /not a assignment/
    ],
    [
      'dispatcher assigns a crew',
      dispecer,
      null,
      audit('dispecer', {
        id: 'a1',
        orgId: 'sus',
        entry: 'assignment',
        district: 'KT',
        sectionId: 'sec-kt-1',
        crew: 'silnicar.kt'
      }),
      false,
      null
    ],
    [
      'dispatcher switches calamity mode',
      dispecer,
      null,
      audit('dispecer', { id: 'c1', orgId: 'sus', entry: 'calamity', district: 'KT', calamity: true }),
      false,
      null
    ],
    [
      'report outside the region',
      silnicar,
      null,
      entry('silnicar.kt', { lat: 50.08, lon: 14.43 }),
      false,
      /outside the Plzeň Region/
    ],
    [
      'report on a section that does not exist',
      silnicar,
      null,
      entry('silnicar.kt', { sectionId: 'sec-none' }),
      false,
      /does not exist/
    ],
    [
      'report on a section of another district',
      silnicar,
      null,
      entry('silnicar.kt', { sectionId: 'sec-kt-1', district: 'DO' }),
      false,
      /is in district KT/
    ],
    [
      'treatment without its section',
      silnicar,
      null,
      audit('silnicar.kt', {
        id: 't',
        orgId: 'sus',
        entry: 'treatment',
        district: 'KT',
        startedAt: T,
        method: 'ploughing'
      }),
      false,
      /needs sectionId/
    ],
    ['a field of another type', silnicar, null, entry('silnicar.kt', { calamity: true }), false, /no field calamity/],
    [
      'latitude without longitude',
      silnicar,
      null,
      entry('silnicar.kt', { lon: undefined }),
      false,
      /both latitude and longitude/
    ]
  ])('%s', (_name, u, before, after, deleted, expected) => {
    const clean = Object.fromEntries(Object.entries(after).filter(([, v]) => v !== undefined));
    const r = check(u, D, before, clean, deleted);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });

  it('a requester of another organization has no say in the deník', () => {
    const u = user('ucitel.gymkt', { role: 'requester', org: 'gym-kt' });
    expect(check(u, D, null, entry('ucitel.gymkt'))).toMatch(/may not write the deník/);
  });
});

describe('alerts, IZS hand-offs and receipts, sections and the operating plan', () => {
  const alert = (by: string) => audit(by, { id: 'al1', district: 'KT', title: 'Náledí od 3:00', severity: 3 });
  const handoff = audit('dispecer', { id: 'h1', entry: 'handoff', title: 'Uzavírka II/185', district: 'KT' });
  const receipt = audit('izs', { id: receiptIdFor('h1'), entry: 'receipt', handoffId: 'h1' });

  it.each<[string, SessionUser, string, Doc | null, Doc, RegExp | null]>([
    ['a dispatcher sends an alert', dispecer, 'region_alerts', null, alert('dispecer'), null],
    ['an admin is no dispatcher', admin, 'region_alerts', null, alert('admin'), /only a dispatcher sends/],
    [
      'an alert is not edited',
      dispecer,
      'region_alerts',
      alert('dispecer'),
      { ...alert('dispecer'), title: 'Jinak' },
      /cannot be changed/
    ],
    ['a dispatcher hands over', dispecer, 'region_izs', null, handoff, null],
    [
      'IZS hands over',
      izs,
      'region_izs',
      null,
      { ...handoff, createdBy: 'izs', updatedBy: 'izs' },
      /only a dispatcher hands/
    ],
    ['IZS confirms receipt', izs, 'region_izs', null, receipt, null],
    [
      'IZS confirms twice',
      izs,
      'region_izs',
      { ...receipt, receivedAt: T },
      { ...receipt, updatedAt: '2026-01-14T09:00:00.000Z' },
      /already confirmed by izs/
    ],
    ['a receipt under another id', izs, 'region_izs', null, { ...receipt, id: 'r-2' }, /must have id receipt:h1/],
    [
      'a dispatcher confirms for IZS',
      dispecer,
      'region_izs',
      null,
      { ...receipt, createdBy: 'dispecer', updatedBy: 'dispecer' },
      /only the rescue system/
    ],
    [
      'a dispatcher edits a hand-off',
      dispecer,
      'region_izs',
      handoff,
      { ...handoff, title: 'Jinak' },
      /cannot be changed/
    ],
    [
      'a dispatcher edits a section',
      dispecer,
      'region_sections',
      audit('admin', {
        id: 's',
        name: 'A',
        road: 'II/185',
        district: 'KT',
        order: 'II',
        path: [
          [49.39, 13.29],
          [49.38, 13.36]
        ]
      }),
      audit('admin', {
        id: 's',
        name: 'A',
        road: 'II/185',
        district: 'KT',
        order: 'I',
        unmaintained: true,
        path: [
          [49.39, 13.29],
          [49.38, 13.36]
        ],
        updatedBy: 'dispecer'
      }),
      null
    ],
    [
      'a section drawn outside the region',
      dispecer,
      'region_sections',
      null,
      audit('dispecer', {
        id: 's',
        name: 'A',
        road: 'II/1',
        district: 'KT',
        order: 'II',
        path: [
          [50.08, 14.43],
          [49.38, 13.36]
        ]
      }),
      /outside the Plzeň Region/
    ],
    ...(
      [
        ['a section of one point', [[49.39, 13.29]], /at least 2 different points/],
        [
          'a section away from its district',
          [
            [49.9, 13.8],
            [49.85, 13.75]
          ],
          /does not reach district KT/
        ]
      ] satisfies [string, number[][], RegExp][]
    ).map(([name, path, reason]): [string, SessionUser, string, Doc | null, Doc, RegExp | null] => [
      name,
      dispecer,
      'region_sections',
      null,
      audit('dispecer', { id: 's', name: 'A', road: 'II/1', district: 'KT', order: 'II', path }),
      reason
    ]),
    [
      'a new operating plan',
      dispecer,
      'region_catalog',
      null,
      audit('dispecer', { id: 'p2', kind: 'winter-plan', name: 'Plán 2026', validFrom: T, orders: [] }),
      null
    ],
    [
      'an operating plan rewritten',
      dispecer,
      'region_catalog',
      audit('admin', { id: 'p1', kind: 'winter-plan', name: 'Plán', validFrom: T }),
      audit('admin', {
        id: 'p1',
        kind: 'winter-plan',
        name: 'Plán',
        validFrom: T,
        dueSoonMinutes: 5,
        updatedBy: 'dispecer'
      }),
      /valid from a date instead/
    ],
    [
      'a dispatcher edits a ticket category',
      dispecer,
      'region_catalog',
      null,
      audit('dispecer', { id: 'c', kind: 'category', name: 'X' }),
      /may not write region_catalog/
    ]
  ])('%s', (_name, u, dbName, before, after, expected) => {
    const r = check(u, dbName, before, after);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});
