import { describe, expect, it } from 'vitest';
import type { Role } from '../access';
import { approvalStatus, judgeDecision, type Decision } from './approval';
import { ruleSetFor } from './rule-sets';
import { RULES, decision, doc } from './test-factories';

const judge = (accepted: Decision[], d: Decision, roles: Role[], over = {}, flags = {}) =>
  judgeDecision({ ruleSets: RULES, flags, doc: doc(over), accepted, decision: d, roles })?.code ?? null;

describe('judgeDecision: act 320/2001', () => {
  const p = decision({ step: 'prikazce', createdBy: 'reditel', receivedAt: '2026-11-30T10:01:00.000Z' });

  it.each<[string, Decision[], Decision, Role[], string | null, object?, object?]>([
    ['příkazce first', [], p, ['manager'], null],
    ['hlavní účetní after příkazce', [p], decision({ step: 'ucetni', createdBy: 'ucetni' }), ['accountant'], null],
    [
      'hlavní účetní before příkazce',
      [],
      decision({ step: 'ucetni', createdBy: 'ucetni' }),
      ['accountant'],
      'out-of-order'
    ],
    [
      'a role the decider does not hold',
      [],
      decision({ step: 'prikazce', createdBy: 'x' }),
      ['accountant'],
      'not-eligible'
    ],
    [
      'a claimed role that is not the step’s',
      [],
      decision({ step: 'prikazce', createdBy: 'x', role: 'admin' }),
      ['manager', 'admin'],
      'not-eligible'
    ],
    ['the same step twice', [p], decision({ step: 'prikazce', createdBy: 'jiny' }), ['manager'], 'already-decided'],
    [
      'příkazce also as účetní',
      [p],
      decision({ step: 'ucetni', createdBy: 'reditel' }),
      ['manager', 'accountant'],
      'same-person'
    ],
    ['no správce step on an invoice', [p], decision({ step: 'spravce', createdBy: 's' }), ['budget'], 'no-such-step'],
    [
      'správce on an order without funds',
      [p],
      decision({ step: 'spravce', createdBy: 's', fundsConfirmed: false }),
      ['budget'],
      'funds-not-confirmed',
      { type: 'order' }
    ],
    [
      'a rejection without a reason',
      [],
      decision({ step: 'prikazce', createdBy: 'r', verdict: 'reject' }),
      ['manager'],
      'reason-required'
    ],
    [
      'a decision of an old round',
      [],
      decision({ step: 'prikazce', createdBy: 'r', round: 1 }),
      ['manager'],
      'stale-round',
      { round: 2 }
    ],
    ['before any rule set', [], p, ['manager'], 'no-rule-set', { registeredOn: '1999-05-01' }]
  ])('%s → %s', (_name, accepted, d, roles, code, over = {}, flags = {}) => {
    expect(judge(accepted, d, roles, over, flags)).toBe(code);
  });

  it('správce rozpočtu and hlavní účetní may be one person only where the organization allows it', () => {
    const s = decision({ step: 'spravce', createdBy: 'ekonom', receivedAt: '2026-11-30T11:00:00.000Z' });
    const u = decision({ step: 'ucetni', createdBy: 'ekonom' });
    const flags = { invoicesNeedBudget: true };
    expect(judge([p, s], u, ['budget', 'accountant'], {}, flags)).toBe('same-person');
    expect(judge([p, s], u, ['budget', 'accountant'], {}, { ...flags, allowBudgetAccountantSamePerson: true })).toBe(
      null
    );
  });

  it('a rejected round refuses every later decision and names who rejected', () => {
    const r = decision({
      step: 'prikazce',
      createdBy: 'reditel',
      verdict: 'reject',
      comment: 'chybí IČO',
      receivedAt: '2026-11-30T10:05:00.000Z'
    });
    const refusal = judgeDecision({
      ruleSets: RULES,
      flags: {},
      doc: doc(),
      accepted: [r],
      decision: decision({ step: 'ucetni', createdBy: 'u' }),
      roles: ['accountant']
    });
    expect(refusal?.code).toBe('already-rejected');
    expect(refusal?.reason).toContain('reditel');
  });

  it('already decided names who and when (server time)', () => {
    const refusal = judgeDecision({
      ruleSets: RULES,
      flags: {},
      doc: doc(),
      accepted: [p],
      decision: decision({ step: 'prikazce', createdBy: 'zastupce' }),
      roles: ['manager']
    });
    expect(refusal?.reason).toBe('the prikazce step was already decided by reditel at 2026-11-30T10:01:00.000Z');
  });
});

describe('approvalStatus', () => {
  it('first received wins: two offline decisions on one step', () => {
    const late = decision({
      step: 'prikazce',
      createdBy: 'zastupce',
      decidedAt: '2026-11-30T08:00:00.000Z',
      receivedAt: '2026-11-30T10:02:00.000Z',
      verdict: 'reject',
      comment: 'ne'
    });
    const early = decision({
      step: 'prikazce',
      createdBy: 'reditel',
      decidedAt: '2026-11-30T09:00:00.000Z',
      receivedAt: '2026-11-30T10:01:00.000Z'
    });
    const st = approvalStatus(doc(), [late, early], RULES, {});
    expect(st.current.map((d) => d.createdBy)).toEqual(['reditel']);
    expect(st.state).toBe('pending');
    expect(st.nextStep).toBe('ucetni');
  });

  it('approved after příkazce and hlavní účetní', () => {
    const st = approvalStatus(
      doc(),
      [
        decision({ step: 'prikazce', createdBy: 'reditel', receivedAt: '2026-11-30T10:01:00.000Z' }),
        decision({ step: 'ucetni', createdBy: 'ucetni', receivedAt: '2026-11-30T10:02:00.000Z' })
      ],
      RULES,
      {}
    );
    expect(st.state).toBe('approved');
  });

  it('a corrected document starts a new round; old decisions stay but do not count', () => {
    const old = [
      decision({
        step: 'prikazce',
        createdBy: 'reditel',
        verdict: 'reject',
        comment: 'špatná částka',
        receivedAt: '2026-11-30T10:01:00.000Z'
      })
    ];
    expect(approvalStatus(doc(), old, RULES, {}).state).toBe('rejected');
    const st = approvalStatus(doc({ round: 2 }), old, RULES, {});
    expect(st.state).toBe('pending');
    expect(st.nextStep).toBe('prikazce');
  });

  it('the rule set in force on the registration day applies', () => {
    expect(ruleSetFor(RULES, '2026-12-31')?.id).toBe('rules-320');
    expect(ruleSetFor(RULES, '2027-01-01')?.id).toBe('rules-231');
    expect(approvalStatus(doc({ registeredOn: '2027-01-04' }), [], RULES, {}).steps).toEqual([
      'prikazce',
      'spravce',
      'ucetni'
    ]);
    expect(approvalStatus(doc({ registeredOn: '2026-12-31' }), [], RULES, {}).steps).toEqual(['prikazce', 'ucetni']);
  });

  it('an organization can require the správce rozpočtu on invoices', () => {
    expect(approvalStatus(doc(), [], RULES, { invoicesNeedBudget: true }).steps).toEqual([
      'prikazce',
      'spravce',
      'ucetni'
    ]);
  });
});
