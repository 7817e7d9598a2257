/**
 * What the approval screens show, computed from the documents on the device: each document
 * with its state under its rule set, its decisions (all rounds), what its příslib has left,
 * and whether it waits for the signed-in user. Pure; the screens only render it.
 */
import { rolesInOrg, type OrgInfo, type Role, type SessionUser } from '../access';
import type { ApprovalDocType, ApprovalStep } from '../schemas/approvals';
import {
  approvalStatus,
  byReceipt,
  judgeDecision,
  type ApprovalDoc,
  type ApprovalStatus,
  type Decision,
  type Refusal,
  type Unsent
} from './approval';
import { drawn, remaining, type Prislib } from './prislib';
import { groupBy } from '../group-by';
import type { FinanceFlags, RuleSet } from './rule-sets';

type Doc = Record<string, unknown>;

export interface ApprovalRecord extends ApprovalDoc {
  orgId: string;
  number: string;
  supplier?: string;
  supplierIco?: string;
  subject?: string;
  budgetLine?: string;
  dueDate?: string;
  mediaId?: string;
  validFrom?: string;
  validTo?: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalRow {
  doc: ApprovalRecord;
  status: ApprovalStatus;
  /** Every decision on the document, every round, in receipt order (unsent last). */
  decisions: Decision[];
  /** The step the user may decide now, if any. */
  myStep: ApprovalStep | null;
  /** příslib: drawn so far and what remains. */
  drawn?: number;
  remaining?: number;
}

export interface OrgFinance extends OrgInfo, FinanceFlags {}

/** The roles a user holds in an organization, for judging on the device. */
export function rolesFor(user: SessionUser, org: OrgInfo | undefined): Role[] {
  return org ? rolesInOrg(user, org) : [];
}

/** A trial decision of `step` by `user`, judged as the server would. */
export function trialDecision(
  doc: ApprovalDoc,
  status: ApprovalStatus,
  step: ApprovalStep,
  user: SessionUser,
  roles: readonly Role[],
  ruleSets: readonly RuleSet[],
  flags: FinanceFlags,
  verdict: 'approve' | 'reject' = 'approve'
): Refusal | null {
  const role = status.rules?.stepRoles[step] ?? '';
  return judgeDecision({
    ruleSets,
    flags,
    doc,
    accepted: status.current,
    roles,
    decision: {
      id: `${doc.id}:dec:trial`,
      parentId: doc.id,
      round: doc.round,
      step,
      verdict,
      role,
      createdBy: user.id,
      decidedAt: '',
      fundsConfirmed: true,
      comment: 'x'
    }
  });
}

export function approvalRows(
  all: readonly Doc[],
  ruleSets: readonly RuleSet[],
  orgs: readonly OrgFinance[],
  user: SessionUser,
  unsent?: Unsent
): ApprovalRow[] {
  const orgById = new Map(orgs.map((o) => [o.id, o]));
  const decisionsOf = new Map<string, Decision[]>();
  const docs: ApprovalRecord[] = [];
  for (const d of all) {
    if (d.type === 'decision') {
      const list = decisionsOf.get(String(d.parentId)) ?? [];
      list.push(d as unknown as Decision);
      decisionsOf.set(String(d.parentId), list);
    } else if (d.type === 'order' || d.type === 'invoice' || d.type === 'prislib')
      docs.push(d as unknown as ApprovalRecord);
  }
  const rows = docs.map((doc) =>
    approvalRowOf(doc, decisionsOf.get(doc.id) ?? [], ruleSets, orgById.get(doc.orgId), user, unsent)
  );
  // Each příslib sums only its own invoices: scanning every invoice for every příslib was
  // quadratic (most of the time at 10,000 documents, bench/diagnose-portal-views.ts).
  const invoicesOf = groupBy(
    rows.filter((r) => r.doc.type === 'invoice'),
    (r) => r.doc.prislibId
  );
  for (const r of rows) if (r.doc.type === 'prislib') withBalance(r, invoicesOf.get(r.doc.id) ?? []);
  return rows;
}

/**
 * One document's row from the document and its own decisions (any order). A příslib's balance
 * needs its invoices' rows: `withBalance`.
 */
export function approvalRowOf(
  doc: ApprovalRecord,
  ownDecisions: readonly Decision[],
  ruleSets: readonly RuleSet[],
  org: OrgFinance | undefined,
  user: SessionUser,
  unsent?: Unsent
): ApprovalRow {
  const decisions = [...ownDecisions].sort((a, b) => byReceipt(a, b, unsent));
  const status = approvalStatus(doc, decisions, ruleSets, org ?? {}, unsent);
  const roles = rolesFor(user, org);
  const step = status.nextStep;
  const myStep = step && !trialDecision(doc, status, step, user, roles, ruleSets, org ?? {}) ? step : null;
  return { doc, status, decisions, myStep };
}

/** A příslib's row with what its invoices (their rows, any order) drew and what remains. */
export function withBalance(row: ApprovalRow, invoices: readonly ApprovalRow[]): ApprovalRow {
  row.drawn = drawn(
    row.doc.id,
    invoices.map((r) => ({ doc: r.doc, state: r.status.state }))
  );
  row.remaining = remaining(row.doc as unknown as Prislib, row.drawn);
  return row;
}

/** Urgency order for lists: what waits for me first, then by due date, then newest. */
export function byUrgency(a: ApprovalRow, b: ApprovalRow): number {
  if (!!a.myStep !== !!b.myStep) return a.myStep ? -1 : 1;
  const da = a.doc.dueDate ?? '9999';
  const db = b.doc.dueDate ?? '9999';
  if (da !== db) return da < db ? -1 : 1;
  return a.doc.createdAt < b.doc.createdAt ? 1 : -1;
}

export const isDocType = (t: string): t is ApprovalDocType => t === 'order' || t === 'invoice' || t === 'prislib';
