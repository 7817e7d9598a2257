import { describe, expect, it } from 'vitest';
import { approvalStatus } from './approval';
import { checkAmount, checkDocumentWrite, checkShape } from './approval-docs';
import { newDecision } from './build';
import { checkDraw, drawn, type Prislib } from './prislib';
import { financeHistoryAfter, flagsOn, SINCE_ALWAYS } from './rule-sets';
import { RULES, decision, doc } from './test-factories';

const invoice = {
  id: 'apv-1',
  type: 'invoice',
  number: 'FV-1',
  supplier: 'Alza.cz a.s.',
  supplierIco: '27082440',
  amount: 1200.5,
  currency: 'CZK',
  registeredOn: '2026-11-30',
  registrar: 'referent',
  round: 1
};

describe('checkShape', () => {
  it.each([
    ['a valid invoice', invoice, null],
    ['a negative amount', { ...invoice, amount: -1 }, 'amount-negative'],
    ['an amount that is not a number', { ...invoice, amount: 'sto' }, 'amount-nan'],
    ['NaN', { ...invoice, amount: NaN }, 'amount-nan'],
    ['three decimals', { ...invoice, amount: 1.005 }, 'amount-decimals'],
    ['a bad IČO', { ...invoice, supplierIco: '27082441' }, 'ico-invalid'],
    ['no supplier', { ...invoice, supplier: '' }, 'missing-field'],
    ['a decision field on an invoice', { ...invoice, verdict: 'approve' }, 'foreign-field'],
    [
      'a příslib ending before it starts',
      { ...invoice, type: 'prislib', subject: 'energie', validFrom: '2026-12-01', validTo: '2026-01-01' },
      'period-invalid'
    ],
    [
      'a decision not under its document',
      {
        id: 'x:dec:1',
        type: 'decision',
        parentId: 'apv-1',
        round: 1,
        step: 'prikazce',
        verdict: 'approve',
        role: 'manager',
        decidedAt: '2026-11-30T10:00:00Z'
      },
      'decision-id'
    ],
    [
      'a decision',
      {
        id: 'apv-1:dec:1',
        type: 'decision',
        parentId: 'apv-1',
        round: 1,
        step: 'prikazce',
        verdict: 'approve',
        role: 'manager',
        decidedAt: '2026-11-30T10:00:00Z'
      },
      null
    ]
  ])('%s → %s', (_n, d, code) => expect(checkShape(d)?.code ?? null).toBe(code));

  it('accepts two decimals', () => expect(checkAmount(19.99)).toBeNull());
});

describe('checkDocumentWrite', () => {
  const today = '2026-11-30';
  const base = doc({ registrar: 'referent' });
  const pending = approvalStatus(base, [], RULES, {});
  const withDecision = approvalStatus(
    base,
    [decision({ step: 'prikazce', createdBy: 'reditel', receivedAt: 'x' })],
    RULES,
    {}
  );
  const rejected = approvalStatus(
    base,
    [decision({ step: 'prikazce', createdBy: 'reditel', verdict: 'reject', comment: 'ne', receivedAt: 'x' })],
    RULES,
    {}
  );
  const write = (o: Partial<Parameters<typeof checkDocumentWrite>[0]>) =>
    checkDocumentWrite({ before: null, after: base, status: null, userId: 'referent', roles: ['clerk'], today, ...o })
      ?.code ?? null;

  it.each([
    ['a clerk registers', {}, null],
    ['a requester may not register', { roles: ['requester'] }, 'not-registrar'],
    ['registered in someone else’s name', { userId: 'jiny' }, 'registrar-self'],
    ['dated tomorrow', { after: doc({ registrar: 'referent', registeredOn: '2026-12-01' }) }, 'future-date'],
    ['a typo fixed before any decision', { before: base, after: { ...base, amount: 2000 }, status: pending }, null],
    [
      'changed after a decision',
      { before: base, after: { ...base, amount: 2000 }, status: withDecision },
      'frozen-decided'
    ],
    ['corrected after a rejection', { before: base, after: { ...base, round: 2 }, status: rejected }, null],
    ['corrected without a new round', { before: base, after: base, status: rejected }, 'new-round'],
    [
      'corrected by someone else',
      { before: base, after: { ...base, round: 2 }, status: rejected, userId: 'jiny' },
      'not-registrar'
    ],
    [
      'registration day moved',
      { before: base, after: { ...base, registeredOn: '2027-01-02' }, status: pending },
      'immutable'
    ]
  ] as [string, object, string | null][])('%s → %s', (_n, o, code) => expect(write(o)).toBe(code));
});

describe('příslib', () => {
  const p: Prislib = {
    ...doc({ id: 'lp-1', type: 'prislib', amount: 10000 }),
    validFrom: '2026-01-01',
    validTo: '2026-12-31'
  };
  const inv = (id: string, amount: number) => doc({ id, amount, prislibId: 'lp-1' });

  it('draws from the limit and refuses over it with what remains', () => {
    const others = [
      { doc: inv('a', 4000), state: 'approved' as const },
      { doc: inv('b', 1000), state: 'rejected' as const },
      { doc: inv('c', 1000), state: 'pending' as const }
    ];
    expect(drawn('lp-1', others)).toBe(5000);
    expect(checkDraw(inv('d', 5000), p, 'approved', 5000)).toBeNull();
    const over = checkDraw(inv('d', 5000.01), p, 'approved', 5000);
    expect(over?.code).toBe('prislib-over');
    expect(over?.params.remaining).toBe(5000);
    expect(over?.reason).toContain('5000 CZK remains');
  });

  it.each([
    ['not approved', 'pending', {}, 'prislib-not-approved'],
    ['outside its period', 'approved', { registeredOn: '2027-01-02' }, 'prislib-period'],
    ['another currency', 'approved', { currency: 'EUR' }, 'prislib-currency']
  ] as const)('%s → %s', (_n, state, over, code) => {
    expect(checkDraw({ ...inv('d', 1), ...over }, p, state, 0)?.code).toBe(code);
  });
});

describe('a decision records what its decider saw', () => {
  it("carries the document's amount, currency and supplier, and its shape is accepted", () => {
    const doc = {
      id: 'apv-1',
      orgId: 'gym-kt',
      round: 1,
      amount: 1200,
      currency: 'CZK',
      supplier: 'Alza.cz a.s.',
      supplierIco: '27082440'
    };
    const d = newDecision(doc, 'reditel.gymkt', 'prikazce', 'manager', 'approve', '2026-12-02T10:00:00.000Z');
    expect(d.seen).toEqual({ amount: 1200, currency: 'CZK', supplier: 'Alza.cz a.s.', supplierIco: '27082440' });
    expect(checkShape(d)).toBeNull();
  });
});

describe("an organization's finance flags by the moment they took effect", () => {
  const before = { allowBudgetAccountantSamePerson: false, invoicesNeedBudget: false };
  const after = { allowBudgetAccountantSamePerson: false, invoicesNeedBudget: true };
  const history = financeHistoryAfter(before, after, '2026-12-02T10:00:00.000Z')!;

  it('the first change keeps the flags before it, in force since always', () => {
    expect(history).toEqual([
      { from: SINCE_ALWAYS, ...before },
      { from: '2026-12-02T10:00:00.000Z', ...after }
    ]);
    expect(financeHistoryAfter({ ...after, financeHistory: history }, after, '2026-12-03T00:00:00.000Z')).toEqual(
      history
    );
    expect(financeHistoryAfter(before, before, '2026-12-03T00:00:00.000Z')).toBeUndefined();
  });

  it('a document is judged by the flags in force when the server received it; one not received yet by the current ones', () => {
    const flags = { ...after, financeHistory: history };
    expect(flagsOn(flags, '2026-12-02T09:59:59.999Z')).toEqual(before);
    expect(flagsOn(flags, '2026-12-02T10:00:00.000Z')).toEqual(after);
    expect(flagsOn(flags, undefined)).toBe(flags);
  });
});
