/**
 * The contract archive: parties, value, dates, notice period and the register of contracts.
 *
 * Act 340/2015 (registr smluv) makes a contract above a value (50,000 CZK without VAT) be
 * published within a number of days (30) of its conclusion. Both figures are data
 * (`PublicationRule`, dated by the day it applies from, catalog kind `contract-register`),
 * so a change of the law is a new record and an older contract keeps the rule it was concluded
 * under. The archive records the publication day and flags what is unpublished or was late.
 *
 * The notice deadline is the last day notice can be given so that the contract ends on its
 * expiry day rather than running on: expiry minus the notice period, or, where the period runs
 * from the first day of the month after delivery (a common clause), the end of the month that
 * leaves whole months before expiry.
 */
import { parseIco } from '../admin/ico';
import { compareCzech } from '../czech-order';
import {
  addDays,
  addMonths,
  daysBetween,
  endOfPreviousMonth,
  firstOfMonth,
  isDay,
  type Day
} from './contracts-calendar';

export const PARTY_ROLES = ['supplier', 'customer', 'other'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export interface ContractParty {
  name: string;
  ico?: string;
  role?: PartyRole;
}

export interface Contract {
  id: string;
  orgId: string;
  type: 'contract';
  number: string;
  subject: string;
  parties: ContractParty[];
  /** Value in CZK without VAT: what the register's threshold is judged on. */
  valueExclVat?: number;
  /** Day of conclusion (the last signature). */
  signedOn: Day;
  effectiveFrom?: Day;
  expiresOn?: Day;
  noticeMonths?: number;
  noticeDays?: number;
  /** The notice period runs from the first day of the month after the notice is delivered. */
  noticeFromNextMonth?: boolean;
  responsible: string;
  assetIds?: string[];
  licenceIds?: string[];
  /** The scan in the organization's media database. */
  mediaId?: string;
  publishedOn?: Day;
  /** The version id the register gave the published contract. */
  registryId?: string;
  /** Why the contract need not be published although its value is above the threshold. */
  publicationExempt?: string;
  /** Days ahead of expiry and of the notice deadline that the responsible person is reminded. */
  remindDays?: number;
  /** What it is for (licence, telephony, hardware, service…), free text for the lists. */
  category?: string;
}

export interface PublicationRule {
  /** The rule applies to contracts concluded on or after this day. */
  validFrom: Day;
  thresholdExclVat: number;
  deadlineDays: number;
}

/** Act 340/2015 as in force since 1 July 2016; the catalog may hold later versions. */
export const DEFAULT_PUBLICATION_RULE: PublicationRule = {
  validFrom: '2016-07-01',
  thresholdExclVat: 50_000,
  deadlineDays: 30
};

/** The rule a contract concluded on `signedOn` is judged by (before any rule: the oldest). */
export function ruleFor(rules: readonly PublicationRule[], signedOn: Day): PublicationRule {
  const sorted = [...(rules.length ? rules : [DEFAULT_PUBLICATION_RULE])].sort((a, b) =>
    a.validFrom.localeCompare(b.validFrom)
  );
  return sorted.filter((r) => r.validFrom <= signedOn).at(-1) ?? sorted[0];
}

/** A `contract-register` catalog entry as a rule, or null when it is something else. */
export function publicationRuleFromCatalog(doc: Record<string, unknown>): PublicationRule | null {
  if (doc.kind !== 'contract-register') return null;
  const { validFrom, thresholdExclVat, deadlineDays } = doc;
  if (!isDay(validFrom) || typeof thresholdExclVat !== 'number' || typeof deadlineDays !== 'number') return null;
  return { validFrom, thresholdExclVat, deadlineDays };
}

export type PublicationState = 'not-required' | 'exempt' | 'published' | 'published-late' | 'due' | 'overdue';

export interface Publication {
  state: PublicationState;
  /** Last day to publish, when publication is required. */
  deadline?: Day;
  /** Days left until the deadline (negative: past it). */
  daysLeft?: number;
}

export function publicationOf(c: Contract, rules: readonly PublicationRule[], today: Day): Publication {
  const rule = ruleFor(rules, c.signedOn);
  if ((c.valueExclVat ?? 0) <= rule.thresholdExclVat) return { state: 'not-required' };
  if (c.publicationExempt) return { state: 'exempt' };
  const deadline = addDays(c.signedOn, rule.deadlineDays);
  if (c.publishedOn) return { state: c.publishedOn <= deadline ? 'published' : 'published-late', deadline };
  const daysLeft = daysBetween(today, deadline);
  return { state: daysLeft < 0 ? 'overdue' : 'due', deadline, daysLeft };
}

export const isUnpublished = (p: Publication) => p.state === 'due' || p.state === 'overdue';

/** Last day to give notice so that the contract ends on its expiry day; none without both. */
export function noticeDeadline(
  c: Pick<Contract, 'expiresOn' | 'noticeMonths' | 'noticeDays' | 'noticeFromNextMonth'>
): Day | undefined {
  const { expiresOn, noticeMonths = 0, noticeDays = 0 } = c;
  if (!expiresOn || (noticeMonths <= 0 && noticeDays <= 0)) return undefined;
  if (c.noticeFromNextMonth && noticeMonths > 0) {
    // The period ends on a month's last day: the last such day not after expiry.
    const lastFullMonthEnd = addDays(expiresOn, 1).endsWith('-01') ? expiresOn : endOfPreviousMonth(expiresOn);
    const deliveryMonth = addMonths(firstOfMonth(lastFullMonthEnd), -noticeMonths);
    return addDays(addMonths(deliveryMonth, 1), -1 - noticeDays);
  }
  return addDays(addMonths(expiresOn, -noticeMonths), -noticeDays);
}

export type ContractProblemCode =
  'number' | 'subject' | 'parties' | 'ico' | 'value' | 'dates' | 'responsible' | 'notice' | 'published';

export interface ContractProblem {
  code: ContractProblemCode;
  field: string;
  reason: string;
}

/** What is wrong with a contract as entered, field by field (the form and the server share it). */
export function contractProblems(c: Contract): ContractProblem[] {
  const out: ContractProblem[] = [];
  const add = (code: ContractProblemCode, field: string, reason: string) => out.push({ code, field, reason });
  if (!c.number?.trim()) add('number', 'number', 'the contract needs its number');
  if (!c.subject?.trim()) add('subject', 'subject', 'say what the contract is about');
  if (!c.parties?.length) add('parties', 'parties', 'a contract has at least one other party');
  c.parties?.forEach((p, i) => {
    if (!p.name?.trim()) add('parties', `parties.${i}.name`, `party ${i + 1} has no name`);
    if (p.ico !== undefined && p.ico !== '') {
      const r = parseIco(p.ico);
      if (!('ico' in r) || r.ico !== p.ico)
        add(
          'ico',
          `parties.${i}.ico`,
          `IČO ${p.ico} of ${p.name || `party ${i + 1}`} is not valid (eight digits, the last a check digit)`
        );
    }
  });
  if (c.valueExclVat !== undefined && !(Number.isFinite(c.valueExclVat) && c.valueExclVat >= 0))
    add('value', 'valueExclVat', 'the value is a sum in CZK, zero or more');
  for (const f of ['signedOn', 'effectiveFrom', 'expiresOn', 'publishedOn'] as const)
    if (c[f] !== undefined && !isDay(c[f])) add('dates', f, `${f} is not a calendar day`);
  if (!isDay(c.signedOn)) add('dates', 'signedOn', 'the day the contract was concluded is needed');
  if (c.expiresOn && c.effectiveFrom && c.expiresOn < c.effectiveFrom)
    add('dates', 'expiresOn', 'the contract expires before it takes effect');
  if (c.expiresOn && isDay(c.signedOn) && c.expiresOn < c.signedOn)
    add('dates', 'expiresOn', 'the contract expires before it was concluded');
  if (c.publishedOn && isDay(c.signedOn) && c.publishedOn < c.signedOn)
    add('published', 'publishedOn', 'a contract cannot be published before it was concluded');
  if ((c.noticeMonths ?? 0) < 0 || (c.noticeDays ?? 0) < 0)
    add('notice', 'noticeMonths', 'a notice period is not negative');
  if (!c.responsible) add('responsible', 'responsible', 'name the person responsible for the contract');
  return out;
}

/** Days before expiry and the notice deadline that reminders start, unless the contract says. */
export const DEFAULT_REMIND_DAYS = 60;

export type ReminderReason = 'contract-expiry' | 'contract-notice' | 'contract-publish';

export interface ContractReminder {
  contractId: string;
  orgId: string;
  title: string;
  reason: ReminderReason;
  due: Day;
  daysLeft: number;
}

/**
 * What the responsible person is to act on: expiry and the notice deadline within the
 * contract's reminder window (not yet passed), and a publication the register still waits for
 * (also once late: an unpublished contract is never forgotten). Soonest first.
 */
export function contractReminders(
  contracts: readonly Contract[],
  opts: {
    userId?: string;
    today: Day;
    rules: readonly PublicationRule[];
    /** Days ahead a contract's reminders start (the inbox's reminder policy); default its `remindDays` or 60. */
    leadOf?: (c: Contract) => number;
  }
): ContractReminder[] {
  const out: ContractReminder[] = [];
  for (const c of contracts) {
    if (opts.userId !== undefined && c.responsible !== opts.userId) continue;
    const lead = opts.leadOf?.(c) ?? c.remindDays ?? DEFAULT_REMIND_DAYS;
    const title = `${c.number} ${c.subject}`.trim();
    const push = (reason: ReminderReason, due: Day) =>
      out.push({ contractId: c.id, orgId: c.orgId, title, reason, due, daysLeft: daysBetween(opts.today, due) });
    const notice = noticeDeadline(c);
    if (notice && notice >= opts.today && daysBetween(opts.today, notice) <= lead) push('contract-notice', notice);
    if (c.expiresOn && c.expiresOn >= opts.today && daysBetween(opts.today, c.expiresOn) <= lead)
      push('contract-expiry', c.expiresOn);
    const pub = publicationOf(c, opts.rules, opts.today);
    if (isUnpublished(pub) && pub.deadline) push('contract-publish', pub.deadline);
  }
  return out.sort((a, b) => a.due.localeCompare(b.due) || compareCzech(a.title, b.title));
}

export interface ContractFilter {
  orgId?: string;
  text?: string;
  /** Expiring within this many days (not yet expired). */
  expiringWithin?: number;
  unpublished?: boolean;
  responsible?: string;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The archive's list filters; the text matches number, subject, party names and IČO. */
export function filterContracts(
  contracts: readonly Contract[],
  f: ContractFilter,
  today: Day,
  rules: readonly PublicationRule[]
): Contract[] {
  const words = f.text ? fold(f.text).split(/\s+/).filter(Boolean) : [];
  return contracts.filter((c) => {
    if (f.orgId && c.orgId !== f.orgId) return false;
    if (f.responsible && c.responsible !== f.responsible) return false;
    if (f.unpublished && !isUnpublished(publicationOf(c, rules, today))) return false;
    if (f.expiringWithin !== undefined) {
      if (!c.expiresOn || c.expiresOn < today || daysBetween(today, c.expiresOn) > f.expiringWithin) return false;
    }
    if (words.length) {
      const hay = fold([c.number, c.subject, ...c.parties.flatMap((p) => [p.name, p.ico ?? ''])].join(' '));
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
}
