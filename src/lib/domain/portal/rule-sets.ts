/**
 * Approval rule sets are data (catalog entries of kind `approval-rules`), each with the day it
 * starts to apply. A document is judged by the rule set in force on its registration day,
 * so a change of law is a new catalog entry and old documents keep the rules they were
 * registered under. Nothing here knows which act is which.
 */
import type { Role } from '../access';
import type { ApprovalDocType, ApprovalStep } from '../schemas/approvals';

export interface RuleSet {
  id: string;
  name: string;
  /** YYYY-MM-DD: documents registered on this day or later. */
  effectiveFrom: string;
  act: string;
  steps: Record<ApprovalDocType, ApprovalStep[]>;
  /** Inserted before the invoice's last step when the organization asks for it. */
  invoiceBudgetStep?: ApprovalStep;
  /** The role that takes each step. */
  stepRoles: Partial<Record<ApprovalStep, Role>>;
  /** Pairs of steps one person may take in one document, where the organization allows it. */
  combinable?: [ApprovalStep, ApprovalStep][];
}

/** What an organization decides for itself (fields of its `region_orgs` record). */
export interface FinanceFlags {
  allowBudgetAccountantSamePerson?: boolean;
  invoicesNeedBudget?: boolean;
}

/** The rule set in force on a day (YYYY-MM-DD), or null when none applies yet. */
export function ruleSetFor(ruleSets: readonly RuleSet[], day: string): RuleSet | null {
  let best: RuleSet | null = null;
  for (const r of ruleSets) {
    if (r.effectiveFrom <= day && (!best || r.effectiveFrom > best.effectiveFrom)) best = r;
  }
  return best;
}

/** The steps a document needs, in order. */
export function requiredSteps(rules: RuleSet, type: ApprovalDocType, flags: FinanceFlags): ApprovalStep[] {
  const steps = [...rules.steps[type]];
  const extra = rules.invoiceBudgetStep;
  if (type === 'invoice' && flags.invoicesNeedBudget && extra && !steps.includes(extra)) {
    steps.splice(Math.max(steps.length - 1, 0), 0, extra);
  }
  return steps;
}

/** Whether one person may take both steps of one document. */
export function mayCombine(rules: RuleSet, flags: FinanceFlags, a: ApprovalStep, b: ApprovalStep): boolean {
  if (!flags.allowBudgetAccountantSamePerson) return false;
  return (rules.combinable ?? []).some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

/** Catalog record → rule set; null when the record is not a usable rule set. */
export function ruleSetFromCatalog(doc: Record<string, unknown>): RuleSet | null {
  const r = doc.approvalRules as Omit<RuleSet, 'id' | 'name' | 'effectiveFrom'> | undefined;
  if (doc.kind !== 'approval-rules' || !r || typeof doc.effectiveFrom !== 'string') return null;
  return {
    id: String(doc.id),
    name: String(doc.name),
    effectiveFrom: doc.effectiveFrom,
    act: r.act,
    steps: r.steps,
    invoiceBudgetStep: r.invoiceBudgetStep,
    stepRoles: r.stepRoles,
    combinable: r.combinable
  };
}

/**
 * Act 320/2001 § 26: příkazce operace, správce rozpočtu, hlavní účetní; only správce rozpočtu
 * and hlavní účetní may be one person. Order (before the commitment) and příslib: příkazce →
 * správce; invoice (after it): příkazce → hlavní účetní.
 */
export const ACT_320_2001: Omit<RuleSet, 'id' | 'name' | 'effectiveFrom'> = {
  act: '320/2001 Sb.',
  steps: { order: ['prikazce', 'spravce'], invoice: ['prikazce', 'ucetni'], prislib: ['prikazce', 'spravce'] },
  invoiceBudgetStep: 'spravce',
  stepRoles: { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' },
  combinable: [['spravce', 'ucetni']]
};

/**
 * Act 231/2025 from 2027-01-01. Whether it keeps the roles and steps is unconfirmed; this
 * record assumes the three-step invoice sequence of current practice (příkazce → správce →
 * hlavní účetní) and is meant to be corrected in the catalog, not in code.
 */
export const ACT_231_2025: Omit<RuleSet, 'id' | 'name' | 'effectiveFrom'> = {
  act: '231/2025 Sb.',
  steps: {
    order: ['prikazce', 'spravce'],
    invoice: ['prikazce', 'spravce', 'ucetni'],
    prislib: ['prikazce', 'spravce']
  },
  stepRoles: { prikazce: 'manager', spravce: 'budget', ucetni: 'accountant' },
  combinable: [['spravce', 'ucetni']]
};
