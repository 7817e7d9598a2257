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
  /** The flags by the day they took effect (kept from the first change on). */
  financeHistory?: readonly FinanceChange[];
}

/** The organization's flags from a moment on (the server's time of the change, ISO 8601). */
export interface FinanceChange {
  from: string;
  allowBudgetAccountantSamePerson: boolean;
  invoicesNeedBudget: boolean;
}

/** Before any recorded change: the first entry of a history holds the flags of all time before it. */
export const SINCE_ALWAYS = '0000-01-01T00:00:00.000Z';

const changeOf = (f: FinanceFlags, from: string): FinanceChange => ({
  from,
  allowBudgetAccountantSamePerson: f.allowBudgetAccountantSamePerson === true,
  invoicesNeedBudget: f.invoicesNeedBudget === true
});

/**
 * The flags a document is judged by: those in force when the server first received it (its
 * `receivedAt`, which its registrar cannot choose), the current ones for a document the server
 * has not received yet. Changing the flags must not re-judge documents registered before: an
 * approved invoice would turn pending again and take a step it never needed.
 */
export function flagsOn(flags: FinanceFlags, receivedAt: string | undefined): FinanceFlags {
  if (!receivedAt || !flags.financeHistory?.length) return flags;
  let best: FinanceChange | null = null;
  for (const c of flags.financeHistory) if (c.from <= receivedAt && (!best || c.from >= best.from)) best = c;
  return best
    ? {
        allowBudgetAccountantSamePerson: best.allowBudgetAccountantSamePerson,
        invoicesNeedBudget: best.invoicesNeedBudget
      }
    : flags;
}

/**
 * The history an organization record keeps after its flags were edited at `at`: unchanged
 * flags keep it as it is; the first change records the flags before it as in force since
 * always, then the new ones from `at`.
 */
export function financeHistoryAfter(
  before: FinanceFlags,
  after: FinanceFlags,
  at: string
): FinanceChange[] | undefined {
  const same =
    (before.allowBudgetAccountantSamePerson === true) === (after.allowBudgetAccountantSamePerson === true) &&
    (before.invoicesNeedBudget === true) === (after.invoicesNeedBudget === true);
  const history = before.financeHistory?.length ? [...before.financeHistory] : null;
  if (same) return history ?? undefined;
  return [...(history ?? [changeOf(before, SINCE_ALWAYS)]), changeOf(after, at)];
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
