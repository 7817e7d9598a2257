/**
 * Limited pre-approval (limitovaný příslib): one approval for a set of recurring expenses up
 * to a maximum amount within a period. Invoices registered against it draw from it; an
 * invoice that would go over the limit is refused with the amount that remains.
 */
import { refusal, type ApprovalDoc, type ApprovalState, type Refusal } from './approval';

export interface Prislib extends ApprovalDoc {
  validFrom: string;
  validTo: string;
}

/** Invoices that count against a příslib: every one drawing from it that is not rejected. */
export function drawn(
  prislibId: string,
  invoices: readonly { doc: ApprovalDoc; state: ApprovalState }[],
  exceptId?: string
): number {
  let sum = 0;
  for (const { doc, state } of invoices) {
    if (doc.prislibId === prislibId && doc.id !== exceptId && state !== 'rejected') sum += doc.amount;
  }
  return Math.round(sum * 100) / 100;
}

export function remaining(p: Prislib, drawnSoFar: number): number {
  return Math.round((p.amount - drawnSoFar) * 100) / 100;
}

/** Whether an invoice may draw from the příslib, given what others already drew. */
export function checkDraw(
  invoice: ApprovalDoc,
  p: Prislib | null,
  pState: ApprovalState | null,
  drawnByOthers: number
): Refusal | null {
  if (!p || p.type !== 'prislib')
    return refusal('prislib-missing', `there is no příslib ${invoice.prislibId ?? ''} in this organization`);
  if (pState !== 'approved')
    return refusal('prislib-not-approved', `the příslib ${p.id} is not approved`, { id: p.id });
  if (invoice.currency !== p.currency)
    return refusal('prislib-currency', `the příslib is in ${p.currency}, the invoice in ${invoice.currency}`, {
      currency: p.currency
    });
  if (invoice.registeredOn < p.validFrom || invoice.registeredOn > p.validTo)
    return refusal('prislib-period', `the příslib covers ${p.validFrom} to ${p.validTo}`, {
      from: p.validFrom,
      to: p.validTo
    });
  const left = remaining(p, drawnByOthers);
  if (invoice.amount > left)
    return refusal('prislib-over', `over the příslib's limit: ${left} ${p.currency} remains`, {
      remaining: left,
      currency: p.currency
    });
  return null;
}
