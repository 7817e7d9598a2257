/**
 * The administrator's form for approval rule sets (`approval-rules` catalog entries), checked
 * the same way inline in the form and on the server. A rule set judges every document
 * registered from its first day on, so history is kept by never changing one that is already
 * in force: a change of the rules is a new rule set from today or a later day, and only a rule
 * set whose first day is still ahead may be corrected.
 */
import { APPROVAL_DOC_TYPES, APPROVAL_STEPS, type ApprovalDocType, type ApprovalStep } from '../schemas/approvals';

export interface RuleSetInput {
  name: string;
  act: string;
  /** YYYY-MM-DD, Prague calendar day. */
  effectiveFrom: string;
  steps: Record<ApprovalDocType, ApprovalStep[]>;
  invoiceBudgetStep?: ApprovalStep;
  /** Whether správce rozpočtu and hlavní účetní may be one person where the organization allows it. */
  budgetAccountantCombinable?: boolean;
}

export type RuleSetProblemCode = 'required' | 'bad-date' | 'past-day' | 'no-steps' | 'repeated-step' | 'unknown-step';

export interface RuleSetProblem {
  /** `name`, `act`, `effectiveFrom`, `steps.order`, `steps.invoice`, `steps.prislib`, `invoiceBudgetStep`. */
  field: string;
  code: RuleSetProblemCode;
}

/** The role that takes each step: fixed by the product's roles, not by the rule set's author. */
export const STEP_ROLES = { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' } as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Problems of a rule set as entered; `today` is the Prague calendar day (YYYY-MM-DD). */
export function checkRuleSet(input: RuleSetInput, today: string): RuleSetProblem[] {
  const out: RuleSetProblem[] = [];
  if (!input.name.trim()) out.push({ field: 'name', code: 'required' });
  if (!input.act.trim()) out.push({ field: 'act', code: 'required' });
  if (!DAY.test(input.effectiveFrom) || Number.isNaN(Date.parse(input.effectiveFrom)))
    out.push({ field: 'effectiveFrom', code: 'bad-date' });
  else if (input.effectiveFrom < today) out.push({ field: 'effectiveFrom', code: 'past-day' });
  for (const type of APPROVAL_DOC_TYPES) {
    const steps = input.steps[type] ?? [];
    const field = `steps.${type}`;
    if (steps.length === 0) out.push({ field, code: 'no-steps' });
    else if (steps.some((s) => !(APPROVAL_STEPS as readonly string[]).includes(s)))
      out.push({ field, code: 'unknown-step' });
    else if (new Set(steps).size !== steps.length) out.push({ field, code: 'repeated-step' });
  }
  if (input.invoiceBudgetStep && !(APPROVAL_STEPS as readonly string[]).includes(input.invoiceBudgetStep))
    out.push({ field: 'invoiceBudgetStep', code: 'unknown-step' });
  return out;
}

/** Whether a stored rule set may still be corrected: only before its first day. */
export function ruleSetEditable(effectiveFrom: string, today: string): boolean {
  return effectiveFrom > today;
}

/** The catalog's `approvalRules` field for a checked input. */
export function approvalRulesOf(input: RuleSetInput) {
  return {
    act: input.act.trim(),
    steps: input.steps,
    ...(input.invoiceBudgetStep ? { invoiceBudgetStep: input.invoiceBudgetStep } : {}),
    stepRoles: { ...STEP_ROLES },
    combinable: input.budgetAccountantCombinable ? [['spravce', 'ucetni'] as [ApprovalStep, ApprovalStep]] : []
  };
}

/** English reasons for the server's answers (the form shows its own words). */
export function ruleSetProblemText(p: RuleSetProblem): string {
  const reasons: Record<RuleSetProblemCode, string> = {
    required: 'is required',
    'bad-date': 'must be a date (YYYY-MM-DD)',
    'past-day': 'must be today or a later day; days past keep the rules they had',
    'no-steps': 'needs at least one step',
    'repeated-step': 'may name each step once',
    'unknown-step': 'names a step that does not exist (prikazce, spravce, ucetni)'
  };
  return `${p.field} ${reasons[p.code]}`;
}
