/** New documents of the portal as the device writes them (audit fields, ids under their parent). */
import type { ApprovalDocType, ApprovalStep } from '../schemas/approvals';
import type { TaskAction } from '../schemas/tasks';
import { seenOf } from './approval';
import { decisionIdPrefix } from './approval-docs';
import { invoiceIdPrefix } from './approval-write';
import { stepIdPrefix, subTaskIdPrefix } from './task-flow';

type Doc = Record<string, unknown>;

/** A short random suffix: ids must be unique across devices that write offline. */
export const suffix = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

const audit = (orgId: string, by: string, now: string) => ({
  orgId,
  createdBy: by,
  createdAt: now,
  updatedBy: by,
  updatedAt: now
});

export interface ApprovalDraft {
  orgId: string;
  type: ApprovalDocType;
  number: string;
  supplier?: string;
  supplierIco?: string;
  amount: number;
  currency: 'CZK' | 'EUR';
  subject?: string;
  budgetLine?: string;
  dueDate?: string;
  registeredOn: string;
  mediaId?: string;
  prislibId?: string;
  validFrom?: string;
  validTo?: string;
}

export function newApprovalDoc(d: ApprovalDraft, by: string, now: string): Doc {
  const id = d.prislibId ? `${invoiceIdPrefix(d.prislibId)}${suffix()}` : `apv-${d.orgId}-${suffix()}`;
  const doc: Doc = { id, ...audit(d.orgId, by, now), ...d, registrar: by, round: 1 };
  for (const [k, v] of Object.entries(doc)) if (v === undefined || v === '') delete doc[k];
  return doc;
}

export function newDecision(
  doc: {
    id: string;
    orgId: string;
    round: number;
    amount?: number;
    currency?: string;
    supplier?: string;
    supplierIco?: string;
  },
  by: string,
  step: ApprovalStep,
  role: string,
  verdict: 'approve' | 'reject',
  now: string,
  extra: { comment?: string; fundsConfirmed?: boolean } = {}
): Doc {
  const out: Doc = {
    id: `${decisionIdPrefix(doc.id)}${suffix()}`,
    ...audit(doc.orgId, by, now),
    type: 'decision',
    parentId: doc.id,
    round: doc.round,
    step,
    verdict,
    role,
    decidedAt: now
  };
  if (extra.comment?.trim()) out.comment = extra.comment.trim();
  if (step === 'spravce') out.fundsConfirmed = extra.fundsConfirmed === true;
  const seen = seenOf(doc);
  if (seen) out.seen = seen;
  return out;
}

export function newTaskStep(
  task: { id: string; orgId: string },
  by: string,
  action: TaskAction,
  now: string,
  extra: { text?: string; assignee?: string; mediaId?: string } = {}
): Doc {
  const out: Doc = {
    id: `${stepIdPrefix(task.id)}${suffix()}`,
    ...audit(task.orgId, by, now),
    type: 'task-step',
    parentId: task.id,
    action,
    at: now
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export interface TaskDraft {
  title: string;
  description: string;
  dueAt: string;
  issuedBy: string;
  targets: string[];
  mediaIds?: string[];
  /** Reminder lead times in days before the deadline; none: the policy's defaults. */
  remindDays?: number[];
}

/** One task per target organization, all sharing one issue id. */
export function newIssuedTasks(d: TaskDraft, by: string, now: string): Doc[] {
  const issueId = `issue-${d.issuedBy}-${suffix()}`;
  return d.targets.map((orgId) => ({
    id: `task-${orgId}-${suffix()}`,
    ...audit(orgId, by, now),
    type: 'task',
    title: d.title,
    description: d.description,
    issueId,
    issuedBy: d.issuedBy,
    targets: d.targets,
    dueAt: d.dueAt,
    ...(d.remindDays?.length ? { remindDays: d.remindDays } : {})
  }));
}

export function newSubTask(
  parent: { id: string; orgId: string },
  by: string,
  now: string,
  d: { title: string; assignee: string; dueAt?: string }
): Doc {
  const out: Doc = {
    id: `${subTaskIdPrefix(parent.id)}${suffix()}`,
    ...audit(parent.orgId, by, now),
    type: 'task',
    title: d.title,
    parentId: parent.id,
    assignee: d.assignee
  };
  if (d.dueAt) out.dueAt = d.dueAt;
  return out;
}
