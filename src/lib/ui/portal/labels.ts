/** Words for the portal's codes (steps, states, refusal codes) in the current language. */
import type { ApprovalStatus, Refusal } from '$lib/domain/portal/approval';
import type { ApprovalDocType, ApprovalStep } from '$lib/domain/schemas';
import { m } from '$lib/i18n';
import { intlLocale } from '$lib/i18n';

export function stepLabel(s: ApprovalStep): string {
  return s === 'prikazce' ? m.apv_step_prikazce() : s === 'spravce' ? m.apv_step_spravce() : m.apv_step_ucetni();
}

export function typeLabel(t: ApprovalDocType): string {
  return t === 'order' ? m.apv_type_order() : t === 'invoice' ? m.apv_type_invoice() : m.apv_type_prislib();
}

export function stateLabel(st: ApprovalStatus): string {
  if (st.state === 'approved') return m.apv_state_approved();
  if (st.state === 'rejected') return m.apv_state_rejected();
  if (!st.rules) return m.apv_state_no_rules();
  return st.nextStep ? m.apv_state_waiting({ step: stepLabel(st.nextStep) }) : m.apv_state_pending();
}

/** The form's labels of the document fields a refusal may name. */
const FIELD_LABELS: Record<string, () => string> = {
  number: m.apv_field_number,
  supplier: m.apv_field_supplier,
  supplierIco: m.apv_field_ico,
  amount: m.apv_field_amount,
  currency: m.apv_field_currency,
  subject: m.apv_field_subject,
  validTo: m.apv_field_valid_to
};

/** The form's label of a document field a refusal names; the field's own name for any other. */
const fieldLabel = (field: unknown): string => FIELD_LABELS[String(field)]?.() ?? String(field);

/** A refusal in the user's language where the code is known, else the server's sentence. */
export function refusalLabel(r: Pick<Refusal, 'code' | 'reason'> & { params?: Refusal['params'] }): string {
  const p = r.params ?? {};
  switch (r.code) {
    case 'already-decided':
      return m.apv_refused_already_decided({
        by: String(p.by),
        at: new Date(String(p.at)).toLocaleString(intlLocale())
      });
    case 'already-approved':
      return m.apv_refused_already_approved();
    case 'already-rejected':
      return m.apv_refused_already_rejected({ by: String(p.by) });
    case 'out-of-order':
      return m.apv_refused_out_of_order({ step: stepLabel(p.missing as ApprovalStep) });
    case 'not-eligible':
      return m.apv_refused_not_eligible({ step: stepLabel(p.step as ApprovalStep) });
    case 'same-person':
      return m.apv_refused_same_person({ step: stepLabel(p.step as ApprovalStep) });
    case 'funds-not-confirmed':
      return m.apv_refused_funds();
    case 'reason-required':
      return m.apv_refused_reason();
    case 'prislib-over':
      return m.apv_refused_prislib_over({
        remaining: Number(p.remaining).toLocaleString(intlLocale()),
        currency: String(p.currency)
      });
    case 'ico-invalid':
      return m.apv_refused_ico();
    case 'missing-field':
      return m.apv_refused_missing({ field: fieldLabel(p.field) });
    case 'amount-negative':
    case 'amount-nan':
    case 'amount-decimals':
      return m.apv_refused_amount();
    default:
      return r.reason;
  }
}

// Kept apart so that screens needing only these do not load the approval labels' messages.
export { taskActionLabel, taskStateLabel } from './task-labels';
export { formatAmount, formatDay, formatTime } from './format';
