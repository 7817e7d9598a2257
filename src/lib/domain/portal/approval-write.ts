/**
 * The server's judgement of a write to an organization's approvals database, pure so that it
 * is tested without a server. The gateway loads what the judgement needs (the document and
 * every decision under it, a příslib and the invoices drawing from it, the rule sets, the
 * organization's flags) and holds the database's writes in line while it judges, so "first
 * received" is well defined: the stored decisions plus those accepted earlier in the batch.
 */
import type { Role } from '../access';
import type { ApprovalDocType } from '../schemas/approvals';
import { approvalStatus, judgeDecision, refusal, type ApprovalDoc, type Decision, type Refusal } from './approval';
import { checkDocumentWrite, checkShape } from './approval-docs';
import { checkDraw, drawn, type Prislib } from './prislib';
import type { FinanceFlags, RuleSet } from './rule-sets';

type Doc = Record<string, unknown>;

export interface ApprovalDbState {
  ruleSets: readonly RuleSet[];
  flags: FinanceFlags;
  /** The server's calendar day (YYYY-MM-DD, the region's time zone). */
  today: string;
  /** Stored documents around the written ones, by id; accepted writes are added as they pass. */
  related: Map<string, Doc>;
}

export interface ApprovalWrite {
  userId: string;
  roles: readonly Role[];
  before: Doc | null;
  after: Doc;
}

const isDocType = (t: unknown): t is ApprovalDocType => t === 'order' || t === 'invoice' || t === 'prislib';

/** An invoice drawing from a příslib lives under it, so the příslib's draws are one key range. */
export const invoiceIdPrefix = (prislibId: string) => `${prislibId}:inv:`;

/** Ids whose key ranges (`id`, `id:…`) hold everything judging `doc` needs. */
export function rangesFor(doc: Doc): string[] {
  const out = [String(doc.type === 'decision' ? doc.parentId : doc.id)];
  if (typeof doc.prislibId === 'string') out.push(doc.prislibId);
  return out;
}

function decisionsOf(state: ApprovalDbState, docId: string): Decision[] {
  const out: Decision[] = [];
  for (const d of state.related.values())
    if (d.type === 'decision' && d.parentId === docId) out.push(d as unknown as Decision);
  return out;
}

function statusOf(state: ApprovalDbState, doc: ApprovalDoc) {
  return approvalStatus(doc, decisionsOf(state, doc.id), state.ruleSets, state.flags);
}

function judgeDraw(state: ApprovalDbState, invoice: ApprovalDoc): Refusal | null {
  const p = (state.related.get(invoice.prislibId!) ?? null) as Prislib | null;
  if (!String(invoice.id).startsWith(invoiceIdPrefix(invoice.prislibId!)))
    return refusal(
      'prislib-id',
      `an invoice drawing from ${invoice.prislibId} must have an id starting with ${invoiceIdPrefix(invoice.prislibId!)}`
    );
  const invoices = [...state.related.values()]
    .filter((d) => d.type === 'invoice' && d.prislibId === invoice.prislibId)
    .map((d) => ({ doc: d as unknown as ApprovalDoc, state: statusOf(state, d as unknown as ApprovalDoc).state }));
  return checkDraw(invoice, p, p ? statusOf(state, p).state : null, drawn(invoice.prislibId!, invoices, invoice.id));
}

export function judgeApprovalWrite(w: ApprovalWrite, state: ApprovalDbState): Refusal | null {
  const { before, after } = w;
  const shape = checkShape(after);
  if (shape) return shape;
  if (before && before.type !== after.type)
    return refusal('immutable', 'the type of a document may not change', { field: 'type' });
  if (after.type === 'decision') {
    if (before) return refusal('decision-immutable', 'a decision is final and may not be changed');
    const parent = state.related.get(String(after.parentId));
    if (!parent || !isDocType(parent.type))
      return refusal('parent-missing', `document ${String(after.parentId)} does not exist (yet) on the server`);
    const doc = parent as unknown as ApprovalDoc;
    return judgeDecision({
      ruleSets: state.ruleSets,
      flags: state.flags,
      doc,
      accepted: statusOf(state, doc).current,
      decision: after as unknown as Decision,
      roles: w.roles
    });
  }
  const doc = after as unknown as ApprovalDoc;
  const prev = before as unknown as ApprovalDoc | null;
  const written = checkDocumentWrite({
    before: prev,
    after: doc,
    status: prev ? statusOf(state, prev) : null,
    userId: w.userId,
    roles: w.roles,
    today: state.today
  });
  if (written) return written;
  if (prev && prev.prislibId !== doc.prislibId)
    return refusal('immutable', 'prislibId may not change', { field: 'prislibId' });
  if (doc.type === 'invoice' && doc.prislibId) return judgeDraw(state, doc);
  return null;
}

/** Judges and, when accepted, records the write so later documents of the batch see it. */
export function acceptApprovalWrite(w: ApprovalWrite, state: ApprovalDbState): Refusal | null {
  const r = judgeApprovalWrite(w, state);
  if (!r) state.related.set(String(w.after.id), w.after);
  return r;
}
