/** Words of the licence, telephony and contract screens: codes of the domain put into the person's language. */
import { formatCzk as formatMoney } from '$lib/ui/charts/format';
import { m } from '$lib/i18n';
import type { ContractProblem, Publication, ReminderReason } from '$lib/domain/assets/contracts';
import type { LicenceAgreement, LicenceMetric, SeatHolderKind, SeatVerdict } from '$lib/domain/assets/licences';
import type { NumberProblem, PhoneHolderKind } from '$lib/domain/assets/telephony';
import { formatDay } from '$lib/ui/portal/labels';

export const metricLabel = (x: LicenceMetric) =>
  x === 'device' ? m.lic_metric_device() : x === 'user' ? m.lic_metric_user() : m.lic_metric_site();

export const seatHolderLabel = (x: SeatHolderKind) =>
  x === 'asset' ? m.lic_holder_asset() : x === 'person' ? m.lic_holder_person() : m.lic_holder_site();

export const phoneHolderLabel = (x: PhoneHolderKind | undefined) =>
  x === 'asset' ? m.tel_kind_asset() : x === 'sim' ? m.tel_kind_sim() : m.tel_kind_person();

/** Why a seat is refused or warned about, for the agreement it names. */
export function seatVerdictText(v: SeatVerdict, a: LicenceAgreement | undefined): string {
  const product = a?.product ?? '';
  const seats = a?.seats ?? 0;
  switch (v.code) {
    case 'no-agreement':
      return m.lic_problem_no_agreement();
    case 'wrong-holder':
      return m.lic_problem_wrong_holder({ product, metric: a ? metricLabel(a.metric) : '' });
    case 'not-covered':
      return m.lic_problem_not_covered({ product });
    case 'not-valid':
      return m.lic_problem_not_valid({ product });
    case 'hard-limit':
      return m.lic_problem_hard_limit({ product, seats });
    case 'over-assigned':
      return m.lic_problem_over({ product, seats });
    default:
      return m.lic_problem_wrong_id();
  }
}

export function numberProblemText(p: NumberProblem, ctx: { number: string; holder?: string; since?: string }): string {
  switch (p.code) {
    case 'outside-ranges':
      return m.tel_problem_outside({ number: ctx.number });
    case 'taken':
      return m.tel_problem_taken({ number: ctx.number, holder: ctx.holder ?? '', since: formatDay(ctx.since) });
    case 'no-holder':
      return m.tel_problem_no_holder();
    default:
      return m.tel_problem_invalid();
  }
}

export function publicationText(p: Publication, publishedOn?: string): string {
  switch (p.state) {
    case 'not-required':
      return m.ctr_pub_not_required();
    case 'exempt':
      return m.ctr_pub_exempt();
    case 'published':
      return m.ctr_pub_published({ day: formatDay(publishedOn) });
    case 'published-late':
      return m.ctr_pub_late({ day: formatDay(publishedOn) });
    case 'due':
      return m.ctr_pub_due({ day: formatDay(p.deadline) });
    case 'overdue':
      return m.ctr_pub_overdue({ day: formatDay(p.deadline) });
  }
}

export function reminderText(reason: ReminderReason | string, due: string | undefined): string {
  const day = formatDay(due);
  return reason === 'contract-expiry'
    ? m.ctr_remind_expiry({ day })
    : reason === 'contract-notice'
      ? m.ctr_remind_notice({ day })
      : m.ctr_remind_publish({ day });
}

export function contractProblemText(p: ContractProblem, ico?: string): string {
  switch (p.code) {
    case 'number':
      return m.ctr_problem_number();
    case 'subject':
      return m.ctr_problem_subject();
    case 'parties':
      return m.ctr_problem_parties();
    case 'ico':
      return m.ctr_problem_ico({ ico: ico ?? '' });
    case 'value':
      return m.ctr_problem_value();
    case 'dates':
      return m.ctr_problem_dates();
    case 'responsible':
      return m.ctr_problem_responsible();
    case 'notice':
      return m.ctr_problem_notice();
    case 'published':
      return m.ctr_problem_published();
  }
}

/** An agreement's amount in the reader's language (it was always written the Czech way). */
export const formatCzk = (n: number | undefined) => (n === undefined ? '' : formatMoney(n));
