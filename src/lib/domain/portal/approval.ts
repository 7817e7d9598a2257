/**
 * The approval engine: which decision may be added to a document in circulation, and what
 * state the decisions so far put it in. Pure and shared: the gateway judges every decision
 * again when it arrives (against the roles the decider holds at that moment and the
 * decisions the server already holds, in the order it received them), and the tablet judges
 * the same way before it lets anyone tap "approve", so offline and online agree.
 *
 * Guarantees (property-tested in approval.property.test.ts): a document is approved only when
 * every step its rule set requires was approved in the current round, in order, each by a
 * person holding that step's role, no person taking two steps except a pair the rule set
 * allows to be combined and the organization permits. The rule set is the one in force on
 * the document's registration day. A rejection ends the round; a corrected document starts
 * the next round, and earlier rounds' decisions stay as history.
 */
import type { Role } from '../access';
import type { ApprovalDocType, ApprovalStep } from '../schemas/approvals';
import { flagsOn, mayCombine, requiredSteps, ruleSetFor, type FinanceFlags, type RuleSet } from './rule-sets';

export interface ApprovalDoc {
  id: string;
  type: ApprovalDocType;
  registeredOn: string;
  registrar: string;
  round: number;
  amount: number;
  currency: string;
  supplier?: string;
  supplierIco?: string;
  prislibId?: string;
  /** The server's first receipt: picks the organization's finance flags (`flagsOn`). */
  receivedAt?: string;
}

/** What a decision vouches for: the document's amount and supplier as its decider saw them. */
export interface Seen {
  amount: number;
  currency: string;
  supplier?: string;
  supplierIco?: string;
}

export function seenOf(doc: {
  amount?: unknown;
  currency?: unknown;
  supplier?: unknown;
  supplierIco?: unknown;
}): Seen | null {
  if (typeof doc.amount !== 'number' || typeof doc.currency !== 'string') return null;
  return {
    amount: doc.amount,
    currency: doc.currency,
    ...(typeof doc.supplier === 'string' ? { supplier: doc.supplier } : {}),
    ...(typeof doc.supplierIco === 'string' ? { supplierIco: doc.supplierIco } : {})
  };
}

const SEEN_FIELDS = ['amount', 'currency', 'supplier', 'supplierIco'] as const;

export interface Decision {
  id: string;
  parentId: string;
  round: number;
  step: ApprovalStep;
  verdict: 'approve' | 'reject';
  role: string;
  createdBy: string;
  decidedAt: string;
  comment?: string;
  fundsConfirmed?: boolean;
  /** What the decider saw (decisions made before it was recorded have none). */
  seen?: Seen;
  /** Server receipt time; absent while the decision waits on the device. */
  receivedAt?: string;
}

export type RefusalCode =
  | 'wrong-document'
  | 'stale-round'
  | 'document-changed'
  | 'already-approved'
  | 'already-rejected'
  | 'no-rule-set'
  | 'no-such-step'
  | 'already-decided'
  | 'out-of-order'
  | 'not-eligible'
  | 'same-person'
  | 'funds-not-confirmed'
  | 'reason-required';

/** A refusal: a stable code (the UI translates it), its parameters and an English sentence. */
export interface Refusal {
  code: string;
  params: Record<string, string | number>;
  reason: string;
}

export const refusal = (code: string, reason: string, params: Refusal['params'] = {}): Refusal => ({
  code,
  params,
  reason
});

export type ApprovalState = 'pending' | 'approved' | 'rejected';

export interface ApprovalStatus {
  rules: RuleSet | null;
  steps: ApprovalStep[];
  round: number;
  state: ApprovalState;
  /** The step waiting for a decision (pending only). */
  nextStep: ApprovalStep | null;
  /** Valid decisions of the current round in receipt order. */
  current: Decision[];
  /** The decision that rejected the current round. */
  rejection: Decision | null;
}

/**
 * Ids of records still waiting on the device (unsent or refused). A record the device sent
 * itself may lack the server's time locally; it is then placed by its device time, which
 * is when it was sent at the latest. Without the set, every record lacking a receipt time
 * counts as unsent (the server's case: only the record being judged lacks one).
 */
export type Unsent = ReadonlySet<string> | undefined;

export const receiptKey = (id: string, receivedAt: string | undefined, deviceTime: string, unsent: Unsent) =>
  receivedAt ?? (unsent && !unsent.has(id) ? deviceTime : '\uffff');

/** Receipt order: the server's time decides; decisions still on the device come last. */
export function byReceipt(a: Decision, b: Decision, unsent?: Unsent): number {
  const ra = receiptKey(a.id, a.receivedAt, a.decidedAt, unsent);
  const rb = receiptKey(b.id, b.receivedAt, b.decidedAt, unsent);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.decidedAt !== b.decidedAt) return a.decidedAt < b.decidedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

interface Judged {
  rules: RuleSet | null;
  steps: ApprovalStep[];
  accepted: Decision[];
}

function status(doc: ApprovalDoc, j: Judged): ApprovalStatus {
  const rejection = j.accepted.find((d) => d.verdict === 'reject') ?? null;
  const approvedSteps = j.accepted.filter((d) => d.verdict === 'approve').map((d) => d.step);
  const nextStep = j.steps.find((s) => !approvedSteps.includes(s)) ?? null;
  const state: ApprovalState = rejection ? 'rejected' : j.rules && nextStep === null ? 'approved' : 'pending';
  return {
    rules: j.rules,
    steps: j.steps,
    round: doc.round,
    state,
    nextStep: state === 'pending' ? nextStep : null,
    current: j.accepted,
    rejection
  };
}

/**
 * Whether `decision` may be added, given the decisions already accepted for the document's
 * current round (receipt order) and the roles its decider holds in the organization now.
 */
export function judgeDecision(input: {
  ruleSets: readonly RuleSet[];
  flags: FinanceFlags;
  doc: ApprovalDoc;
  accepted: readonly Decision[];
  decision: Decision;
  roles: readonly Role[];
}): Refusal | null {
  const { doc, decision: d } = input;
  const flags = flagsOn(input.flags, doc.receivedAt);
  if (d.parentId !== doc.id) return refusal('wrong-document', `the decision belongs to ${d.parentId}, not ${doc.id}`);
  if (d.round !== doc.round)
    return refusal('stale-round', `the document was corrected and is now in round ${doc.round}; decide it again`, {
      round: doc.round
    });
  if (d.seen) {
    const now = seenOf(doc);
    const changed = SEEN_FIELDS.find((f) => (now?.[f] ?? null) !== (d.seen?.[f] ?? null));
    if (changed)
      return refusal(
        'document-changed',
        `the document's ${changed} changed after you saw it (${String(d.seen[changed] ?? '—')} → ${String(now?.[changed] ?? '—')}); look at it again and decide`,
        { field: changed }
      );
  }
  const rules = ruleSetFor(input.ruleSets, doc.registeredOn);
  if (!rules)
    return refusal('no-rule-set', `no approval rule set applies on ${doc.registeredOn}`, { day: doc.registeredOn });
  const steps = requiredSteps(rules, doc.type, flags);
  const st = status(doc, { rules, steps, accepted: [...input.accepted] });
  if (st.state === 'rejected') {
    const r = st.rejection!;
    return refusal('already-rejected', `already rejected by ${r.createdBy} at ${r.receivedAt ?? r.decidedAt}`, {
      by: r.createdBy,
      at: r.receivedAt ?? r.decidedAt
    });
  }
  if (st.state === 'approved') return refusal('already-approved', 'the document is already approved');
  if (!steps.includes(d.step))
    return refusal('no-such-step', `a ${doc.type} has no ${d.step} step under ${rules.act}`, {
      step: d.step,
      act: rules.act
    });
  const taken = st.current.find((o) => o.step === d.step);
  if (taken) {
    const at = taken.receivedAt ?? taken.decidedAt;
    return refusal('already-decided', `the ${d.step} step was already decided by ${taken.createdBy} at ${at}`, {
      step: d.step,
      by: taken.createdBy,
      at
    });
  }
  if (st.nextStep !== d.step)
    return refusal('out-of-order', `the ${st.nextStep} step must be decided before the ${d.step} step`, {
      step: d.step,
      missing: st.nextStep ?? ''
    });
  const role = rules.stepRoles[d.step];
  if (!role || d.role !== role || !input.roles.includes(role))
    return refusal(
      'not-eligible',
      `the ${d.step} step needs the ${role ?? '?'} role in this organization, which ${d.createdBy} does not hold`,
      {
        step: d.step,
        role: role ?? '',
        by: d.createdBy
      }
    );
  const twice = st.current.find((o) => o.createdBy === d.createdBy && !mayCombine(rules, flags, o.step, d.step));
  if (twice)
    return refusal(
      'same-person',
      `${d.createdBy} already took the ${twice.step} step of this document; one person may not take both`,
      {
        by: d.createdBy,
        step: twice.step
      }
    );
  if (d.verdict === 'approve' && d.step === 'spravce' && d.fundsConfirmed !== true)
    return refusal('funds-not-confirmed', 'the správce rozpočtu must confirm that the budget line has the funds');
  if (d.verdict === 'reject' && !d.comment?.trim())
    return refusal('reason-required', 'a rejection needs a reason for the registrar');
  return null;
}

/**
 * The document's state from its decisions: every decision of the current round is replayed
 * in receipt order through `judgeDecision` with the role it claims (the server checked the
 * roles on receipt), so an invalid or late decision never counts.
 */
export function approvalStatus(
  doc: ApprovalDoc,
  decisions: readonly Decision[],
  ruleSets: readonly RuleSet[],
  flags: FinanceFlags,
  unsent?: Unsent
): ApprovalStatus {
  const rules = ruleSetFor(ruleSets, doc.registeredOn);
  const steps = rules ? requiredSteps(rules, doc.type, flagsOn(flags, doc.receivedAt)) : [];
  const accepted: Decision[] = [];
  for (const d of decisions
    .filter((x) => x.parentId === doc.id && x.round === doc.round)
    .sort((a, b) => byReceipt(a, b, unsent))) {
    if (!judgeDecision({ ruleSets, flags, doc, accepted, decision: d, roles: [d.role as Role] })) accepted.push(d);
  }
  return status(doc, { rules, steps, accepted });
}
