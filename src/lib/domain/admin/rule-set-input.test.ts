import { describe, expect, it } from 'vitest';
import { approvalRulesOf, checkRuleSet, ruleSetEditable, type RuleSetInput } from './rule-set-input';

const today = '2026-11-30';
const valid: RuleSetInput = {
  name: 'Zákon 231/2025',
  act: '231/2025 Sb.',
  effectiveFrom: '2027-01-01',
  steps: {
    order: ['prikazce', 'spravce'],
    invoice: ['prikazce', 'spravce', 'ucetni'],
    prislib: ['prikazce', 'spravce']
  },
  budgetAccountantCombinable: true
};

describe('approval rule set input', () => {
  it('accepts a rule set from today or a later day', () => {
    expect(checkRuleSet(valid, today)).toEqual([]);
    expect(checkRuleSet({ ...valid, effectiveFrom: today }, today)).toEqual([]);
  });

  it.each([
    [{ name: ' ' }, 'name', 'required'],
    [{ act: '' }, 'act', 'required'],
    [{ effectiveFrom: '2026-11-29' }, 'effectiveFrom', 'past-day'],
    [{ effectiveFrom: '1.1.2027' }, 'effectiveFrom', 'bad-date'],
    [{ steps: { ...valid.steps, order: [] } }, 'steps.order', 'no-steps'],
    [{ steps: { ...valid.steps, invoice: ['prikazce', 'prikazce'] } }, 'steps.invoice', 'repeated-step'],
    [{ steps: { ...valid.steps, prislib: ['starosta'] } }, 'steps.prislib', 'unknown-step']
  ] as const)('refuses %o: %s %s', (change, field, code) => {
    expect(checkRuleSet({ ...valid, ...(change as Partial<RuleSetInput>) }, today)).toEqual([{ field, code }]);
  });

  it('lets only a rule set not yet in force be corrected', () => {
    expect(ruleSetEditable('2027-01-01', today)).toBe(true);
    expect(ruleSetEditable(today, today)).toBe(false);
    expect(ruleSetEditable('2001-01-01', today)).toBe(false);
  });

  it('stores the roles of the steps and the combinable pair as the decision engine reads them', () => {
    expect(approvalRulesOf(valid)).toEqual({
      act: '231/2025 Sb.',
      steps: valid.steps,
      stepRoles: { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' },
      combinable: [['spravce', 'ucetni']]
    });
    expect(approvalRulesOf({ ...valid, budgetAccountantCombinable: false }).combinable).toEqual([]);
  });
});
